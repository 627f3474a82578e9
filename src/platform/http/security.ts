/**
 * Security headers (helmet), cookie parsing, and CSRF protection: every POST, PUT, PATCH and
 * DELETE under /api must carry an `x-csrf-token` header minted by @fastify/csrf-protection and
 * bound to the caller's device session, on top of SameSite=Lax cookies.
 *
 * The headers are helmet's, computed once at boot from the policy below and set on every reply
 * (errors and the waiting room included): @fastify/helmet rebuilt and re-parsed the whole policy on
 * each request, a quarter of the CPU of a cached answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface SecurityOptions {
  /** Secret for the CSRF token HMAC. */
  csrfKey: Buffer;
  /** Who the request belongs to (the device session id, or 'anonymous'): binds the token. */
  userInfo: (request: FastifyRequest) => string;
}

/** Cookie parsing comes first of all: the front door's gate reads the session cookies. */
export async function registerCookies(app: FastifyInstance): Promise<void> {
  await app.register(cookie);
}

const HELMET_POLICY: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      workerSrc: ["'self'", 'blob:'],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
      upgradeInsecureRequests: null,
    },
  },
  strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: true },
};

/** The headers helmet sets for `policy`, computed once (helmet's output does not depend on the request). */
export function securityHeaders(policy: HelmetOptions = HELMET_POLICY): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(policy)({} as IncomingMessage, res as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error('helmet', { cause: error });
  });
  return headers;
}

export async function registerSecurity(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  const entries = Object.entries(securityHeaders());
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'preau_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: 'auto' },
    getToken: (request) => request.headers['x-csrf-token'] as string | undefined,
    getUserInfo: (request) => options.userInfo(request),
    csrfOpts: { hmacKey: options.csrfKey },
  });
  // One hook for both: the headers on every answer (errors included), the CSRF check on writes.
  app.addHook('onRequest', function securityHook(request, reply, done) {
    const raw = reply.raw;
    for (const [name, value] of entries) raw.setHeader(name, value);
    if (UNSAFE.has(request.method) && request.url.startsWith('/api/')) {
      this.csrfProtection(request, reply, done);
      return;
    }
    done();
  });
}
