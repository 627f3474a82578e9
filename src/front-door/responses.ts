/**
 * How the front door answers people it does not let through yet: the waiting page (HTML) or a
 * 503 JSON for /api/, the proof-of-work page, 429 for a spent minting budget, 503 for shed work.
 * Every such answer carries Retry-After and is never cached.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PASS_COOKIE, TICKET_COOKIE, clearCookie, serializeCookie } from './cookies.ts';
import type { WaitBand } from './room-state.ts';
import { positionOf, type Ticket } from './tickets.ts';
import { REDEEM_PATH, WAITING_PAGE_CSP, pickLanguage, renderBusyPage, renderWaitingPage, safeNext, type Lang } from './waiting-page.ts';

/** True for the JSON API (answered with JSON, never with a page). */
export const isApiPath = (path: string): boolean => path.startsWith('/api/');

/** The path of a request URL (without the query string). */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** Whether cookies must be Secure (the request came over HTTPS, directly or via a trusted proxy). */
export const isSecure = (request: FastifyRequest): boolean => request.protocol === 'https';

/** Sets the admitted pass, and deletes the ticket when `clearTicket`. */
export function setPassCookie(reply: FastifyReply, token: string, ttlMs: number, clearTicket: boolean): void {
  const secure = isSecure(reply.request);
  reply.header('set-cookie', serializeCookie(PASS_COOKIE, token, { maxAgeSeconds: ttlMs / 1000, secure }));
  if (clearTicket) reply.header('set-cookie', clearCookie(TICKET_COOKIE, secure));
}

/** Sets the ticket cookie until the ticket's expiry. */
export function setTicketCookie(reply: FastifyReply, token: string, exp: number, nowMs: number): void {
  reply.header('set-cookie', serializeCookie(TICKET_COOKIE, token, { maxAgeSeconds: (exp - nowMs) / 1000, secure: isSecure(reply.request) }));
}

/** The page language for a request (`?lang=` then Accept-Language). */
export function languageOf(request: FastifyRequest): Lang {
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = typeof query?.['lang'] === 'string' ? query['lang'] : new URLSearchParams(request.url.split('?')[1] ?? '').get('lang') ?? undefined;
  return pickLanguage(request.headers['accept-language'], fromQuery);
}

function noStore(reply: FastifyReply, status: number, retryAfterSeconds: number): FastifyReply {
  return reply.code(status).header('retry-after', String(Math.max(1, Math.round(retryAfterSeconds)))).header('cache-control', 'no-store');
}

function sendPage(reply: FastifyReply, html: string): FastifyReply {
  return reply
    .header('content-security-policy', WAITING_PAGE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .type('text/html; charset=utf-8')
    .send(html);
}

/** Everything the waiting answer shows. */
export interface WaitingView {
  ticket: Ticket;
  ahead: number;
  band: WaitBand;
  pollMs: number;
  ticketTtlMs: number;
  /** Server-chosen, jittered delay before the no-JS page reloads (and the API's Retry-After). */
  refreshSeconds: number;
  next: string;
  status: 200 | 503;
}

/** The waiting page, or the API's 503 `WAITING_ROOM`. */
export function sendWaiting(request: FastifyRequest, reply: FastifyReply, view: WaitingView): FastifyReply {
  noStore(reply, view.status, view.refreshSeconds);
  if (isApiPath(pathOf(request.url))) {
    return reply.code(503).send({
      error: {
        code: 'WAITING_ROOM',
        message: "Beaucoup de monde se connecte en ce moment : vous êtes dans la file d'attente, votre place est gardée.",
        details: {
          ahead: view.ahead,
          waitLowSeconds: view.band.lowSeconds,
          waitHighSeconds: view.band.highSeconds,
          retryAfterSeconds: Math.round(view.refreshSeconds),
        },
      },
    });
  }
  const html = renderWaitingPage({
    mode: 'wait',
    lang: languageOf(request),
    ahead: view.ahead,
    band: view.band,
    lane: view.ticket.lane,
    position: positionOf(view.ticket),
    ticketExp: view.ticket.exp,
    ticketTtlMs: view.ticketTtlMs,
    pollMs: view.pollMs,
    jitter: 0.3,
    refreshSeconds: view.refreshSeconds,
    next: view.next,
  });
  return sendPage(reply, html);
}

/** The proof-of-work page, or the API's 503 `WAITING_ROOM` carrying the challenge. */
export function sendChallenge(
  request: FastifyRequest,
  reply: FastifyReply,
  challenge: { challenge: string; bits: number; issuedAt: number; next: string; status: 200 | 503 },
): FastifyReply {
  noStore(reply, challenge.status, 5);
  if (isApiPath(pathOf(request.url))) {
    return reply.code(503).send({
      error: {
        code: 'WAITING_ROOM',
        message: 'Vérification en cours : ouvrez la page d’accueil pour rejoindre la file.',
        details: { ahead: null, waitLowSeconds: null, waitHighSeconds: null, retryAfterSeconds: 5, challenge: challenge.challenge, bits: challenge.bits, redeemPath: REDEEM_PATH },
      },
    });
  }
  return sendPage(reply, renderWaitingPage({ mode: 'challenge', lang: languageOf(request), ...challenge }));
}

/** 429 with the French message and an honest Retry-After. */
export function sendLimited(reply: FastifyReply, retryAfterSeconds: number): FastifyReply {
  const unit = retryAfterSeconds === 1 ? 'seconde' : 'secondes';
  return noStore(reply, 429, retryAfterSeconds).send({
    error: { code: 'RATE_LIMITED', message: `Trop de tentatives. Réessayez dans ${retryAfterSeconds} ${unit}.`, details: { retryAfterSeconds } },
  });
}

/** 503 for work shed under overload, or dropped past its deadline: a page that reloads itself for a browser, JSON for the API. */
export function sendUnavailable(request: FastifyRequest, reply: FastifyReply, retryAfterSeconds: number, reason: 'overload' | 'deadline'): FastifyReply {
  if (!isApiPath(pathOf(request.url)) && request.method === 'GET') {
    noStore(reply, 503, retryAfterSeconds);
    return sendPage(reply, renderBusyPage(languageOf(request), retryAfterSeconds, safeNext(request.url)));
  }
  const message =
    reason === 'overload'
      ? 'Le service est très sollicité : cette fonction est suspendue quelques instants. Réessayez un peu plus tard.'
      : 'La demande a attendu trop longtemps et a été abandonnée. Réessayez.';
  return noStore(reply, 503, retryAfterSeconds).send({ error: { code: 'UNAVAILABLE', message, details: { reason, retryAfterSeconds } } });
}
