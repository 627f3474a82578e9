/**
 * Builds a full Préau app for route tests: a fresh migrated database (PGlite, or PostgreSQL when
 * TEST_DATABASE_URL is set), in-process shared state, a manual clock, no logs. `client` keeps
 * cookies and the CSRF token between calls like a browser would.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppDeps, type BuildOptions } from '../app.ts';
import type { FrontDoorControl } from '../front-door/front-door.plugin.ts';
import { loadConfig } from '../config.ts';
import { createMemoryState } from '../platform/shared-state/memory.ts';
import type { SharedState } from '../platform/shared-state/shared-state.ts';
import { manualClock } from '../shared/time.ts';
import { openTestDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  frontDoor: FrontDoorControl;
  clock: ReturnType<typeof manualClock>;
  close(): Promise<void>;
}

export async function buildTestApp(
  options: { state?: SharedState; env?: Record<string, string>; frontDoor?: BuildOptions['frontDoor'] } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'preau-test-'));
  const database = await openTestDatabase();
  const state = options.state ?? createMemoryState();
  const clock = manualClock(Date.now());
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...options.env });
  // The front door's background loop is driven by hand (`frontDoor.step()`), in step with the manual
  // clock, and it does not shed: a test machine busy with other suites must not fail route tests.
  const { app, deps, frontDoor } = await buildApp({
    config,
    database,
    state,
    clock,
    logger: false,
    webDistDir: path.join(dataDir, 'no-web'),
    frontDoor: { timers: false, shedding: false, ...options.frontDoor },
  });
  await app.ready();
  return {
    app,
    deps,
    frontDoor,
    clock,
    async close() {
      await app.close();
      await state.close();
      await database.close();
    },
  };
}

/** A browser-like client: keeps cookies, sends the CSRF token on unsafe methods. */
export class Client {
  private readonly cookies = new Map<string, string>();
  csrfToken = '';

  constructor(
    private readonly app: FastifyInstance,
    readonly headers: Record<string, string> = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36' },
  ) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  forget(name: string): void {
    this.cookies.delete(name);
  }

  async request(options: InjectOptions & { method: string; url: string }): Promise<LightMyRequestResponse> {
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(options.method.toUpperCase());
    if (unsafe && !this.csrfToken) await this.refreshCsrf();
    const response = await this.app.inject({
      ...options,
      headers: {
        ...this.headers,
        ...(this.cookies.size > 0 ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(unsafe ? { 'x-csrf-token': this.csrfToken } : {}),
        ...(options.headers as Record<string, string> | undefined),
      },
    } as InjectOptions);
    for (const c of response.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const expired = c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() <= Date.now() && c.maxAge === undefined) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const isJson = response.headers['content-type']?.includes('json') && !response.headers['content-encoding'];
    const body = isJson ? response.json<{ csrfToken?: unknown }>() : null;
    if (body && typeof body.csrfToken === 'string') this.csrfToken = body.csrfToken;
    return response;
  }

  async refreshCsrf(): Promise<void> {
    const res = await this.request({ method: 'GET', url: '/api/auth/csrf' });
    this.csrfToken = res.json<{ csrfToken: string }>().csrfToken;
  }

  get(url: string) {
    return this.request({ method: 'GET', url });
  }

  post(url: string, payload?: unknown, headers?: Record<string, string>) {
    return this.request({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as string }), ...(headers ? { headers } : {}) });
  }

  async signIn(login: string, password: string, remember = true): Promise<LightMyRequestResponse> {
    const res = await this.post('/api/auth/login', { login, password, remember });
    if (res.statusCode !== 200) throw new Error(`sign-in of ${login} failed: ${res.statusCode} ${res.body}`);
    return res;
  }
}

/**
 * One signed-in browser per person for a whole test file: sign-in is rate-limited per account,
 * and a real person does not sign in again before every click.
 */
export function browsers(app: () => FastifyInstance, password: string): (login: string) => Promise<Client> {
  const signedIn = new Map<string, Client>();
  return async (login) => {
    let c = signedIn.get(login);
    if (!c) {
      c = new Client(app());
      await c.signIn(login, password);
      signedIn.set(login, c);
    }
    return c;
  };
}
