/**
 * Signing in over the real API, as the web app does: fetch a CSRF token, POST the credentials
 * with it, keep the cookies. Used to provision the bench's sessions and the rehearsal's people.
 */
import type { Agent } from 'undici';
import { jsonOf, stringField, type Identity, type Reply } from './http.ts';
import { callPatiently } from './patient.ts';

export interface SignedIn {
  userId: string;
  csrfToken: string;
  /** The roles of /api/me: `[{ role, schoolId }]`. */
  roles: Array<{ role: string; schoolId: string | null }>;
}

export async function csrfToken(agent: Agent, base: string, who: Identity): Promise<string | null> {
  const reply = await callPatiently(agent, base, who, '/api/auth/csrf');
  return reply.ok ? stringField(jsonOf(reply), 'csrfToken') : null;
}

/** The signed-in person of a /api/me-shaped body (login, activation, /api/me). */
export function meOf(reply: Reply): SignedIn | null {
  if (!reply.ok) return null;
  const body = jsonOf(reply);
  const userId = stringField(body, 'id');
  const csrf = stringField(body, 'csrfToken');
  if (!userId || !csrf) return null;
  const raw = (body as { roles?: unknown }).roles;
  const roles = Array.isArray(raw)
    ? raw.map((r: unknown) => ({ role: stringField(r, 'role') ?? '', schoolId: stringField(r, 'schoolId') }))
    : [];
  return { userId, csrfToken: csrf, roles };
}

export async function signIn(agent: Agent, base: string, who: Identity, login: string, password: string): Promise<{ me: SignedIn | null; reply: Reply }> {
  const token = await csrfToken(agent, base, who);
  if (!token) return { me: null, reply: await callPatiently(agent, base, who, '/api/auth/csrf') };
  const reply = await callPatiently(agent, base, who, '/api/auth/login', {
    method: 'POST',
    json: { login, password, remember: true },
    headers: { 'x-csrf-token': token },
  });
  return { me: meOf(reply), reply };
}

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function inParallel<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A documentation-range address (RFC 2544 benchmarking block 198.18.0.0/15) for person `i`. */
export function benchAddress(i: number): string {
  const host = (i % 254) + 1;
  const net = Math.floor(i / 254);
  return `198.${18 + (Math.floor(net / 256) % 2)}.${net % 256}.${host}`;
}
