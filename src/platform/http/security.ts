/**
 * Security headers (helmet), cookie parsing, and CSRF protection: every POST, PUT, PATCH and
 * DELETE under /api must carry an `x-csrf-token` header minted by @fastify/csrf-protection and
 * bound to the caller's device session, on top of SameSite=Lax cookies.
 */
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';

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

export async function registerSecurity(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  await app.register(helmet, {
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
  });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'preau_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: 'auto' },
    getToken: (request) => request.headers['x-csrf-token'] as string | undefined,
    getUserInfo: (request) => options.userInfo(request),
    csrfOpts: { hmacKey: options.csrfKey },
  });
  app.addHook('onRequest', function checkCsrf(request, reply, done) {
    if (UNSAFE.has(request.method) && request.url.startsWith('/api/')) {
      this.csrfProtection(request, reply, done);
      return;
    }
    done();
  });
}
