/**
 * The lines of the benchmark: what each request is, with which cookies and addresses. Every line
 * sends the same kind of request a browser sends at 9:00; see bench/README.md for why each one.
 */
import { benchAddress } from '../lib/session.ts';
import type { LoadSpec, Variant } from '../lib/load.ts';
import { BENCH_UA, type BenchFixtures } from './provision.ts';

/** Stable result names (the JSON's `results.<name>`), then extra lines. */
export const RESULT_NAMES = ['dashboard', 'waiting_room_refresh', 'sign_in', 'static_shell', 'document_download'] as const;
export type ResultName = (typeof RESULT_NAMES)[number];

export interface Scenario {
  name: ResultName | 'dashboard_with_pass';
  label: string;
  /** Minimum ratio to the baseline (issue 5), when the line has one. */
  target: number | null;
  /** Builds the line's requests right before it runs (cookies with a short life are renewed then). */
  spec: (() => Promise<LineSpec>) | null;
  unavailable?: string;
}

/** A line's requests; `connections`/`durationS` override the run's (sign-in: few connections, long). */
export type LineSpec = Omit<LoadSpec, 'connections' | 'durationS'> & { connections?: number; minDurationS?: number };
const now = (spec: LineSpec) => () => Promise.resolve(spec);

// What Chrome sends over HTTPS (the dashboard answers brotli to it).
const BROWSER = { 'user-agent': BENCH_UA, 'accept-language': 'fr-FR,fr;q=0.9', 'accept-encoding': 'gzip, deflate, br, zstd' };
const cookieVariants = (cookies: readonly string[]): Variant[] => cookies.map((cookie) => ({ headers: { cookie } }));

export function buildScenarios(base: string, f: BenchFixtures, docKb: number): Scenario[] {
  const signInVariants: Variant[] = f.logins.map((login, i) => ({
    headers: { 'x-forwarded-for': benchAddress(i % 254) },
    body: JSON.stringify({ login, password: 'preau-demo', remember: true }),
  }));
  const doc = typeof f.document === 'function' ? f.document : null;
  return [
    {
      name: 'waiting_room_refresh',
      label: 'waiting-room refresh (GET /file-attente/etat.json)',
      target: 0.8,
      spec: now({ name: 'waiting_room_refresh', base, path: '/file-attente/etat.json', headers: { ...BROWSER, accept: 'application/json' } }),
    },
    {
      name: 'static_shell',
      label: 'static app shell (GET /, brotli, remembered session)',
      target: null,
      spec: async () => ({ name: 'static_shell', base, path: '/', headers: { ...BROWSER, accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' }, rotate: cookieVariants(await f.admittedCookies()) }),
    },
    {
      name: 'dashboard',
      label: 'session resume + GET /api/dashboard',
      target: 0.5,
      spec: async () => ({ name: 'dashboard', base, path: '/api/dashboard', headers: { ...BROWSER, accept: 'application/json' }, rotate: cookieVariants(await f.admittedCookies()) }),
    },
    {
      name: 'dashboard_with_pass',
      label: 'GET /api/dashboard with a live pass (no resume)',
      target: null,
      spec: async () => ({ name: 'dashboard_with_pass', base, path: '/api/dashboard', headers: { ...BROWSER, accept: 'application/json' }, rotate: cookieVariants(await f.passCookies()) }),
    },
    {
      name: 'sign_in',
      label: 'password sign-in (POST /api/auth/login, argon2id)',
      target: null,
      spec: async () => {
        const anonymous = await f.signIn();
        return {
          name: 'sign_in',
          base,
          path: '/api/auth/login',
          method: 'POST',
          // argon2id takes ~190 ms of CPU: 64 connections would queue seconds behind libuv's 4 threads.
          connections: 8,
          minDurationS: 15,
          headers: { ...BROWSER, accept: 'application/json', 'content-type': 'application/json', cookie: anonymous.cookie, 'x-csrf-token': anonymous.token },
          rotate: signInVariants,
        };
      },
    },
    doc
      ? {
          name: 'document_download',
          label: `document download (${docKb} KB PDF)`,
          target: null,
          spec: async () => {
            const d = await doc();
            return { name: 'document_download', base, path: d.path, headers: { ...BROWSER, accept: '*/*', cookie: d.cookie } };
          },
        }
      : { name: 'document_download', label: 'document download', target: null, spec: null, unavailable: typeof f.document === 'function' ? '' : f.document.unavailable },
  ];
}
