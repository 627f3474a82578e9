/**
 * Tells "the database is unreachable or restarting" apart from every other database error, so the
 * error handler can answer 503 with Retry-After at once (the client retries, the load balancer may
 * go elsewhere) instead of a 500 or a hang. What counts:
 * - socket errors while connecting or talking (ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT…);
 * - SQLSTATE class 08 (connection exception), 57P01/57P02/57P03 (admin or crash shutdown, the
 *   server starting up) and 53300 (too many connections);
 * - pg's own messages for a pool connect timeout, a query timeout and a connection that died.
 * Causes are followed (Kysely and AggregateError wrap the real error).
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const PG_MESSAGES = [
  'timeout exceeded when trying to connect',
  'connection terminated',
  'query read timeout',
  'client has encountered a connection error and is not queryable',
  'client was closed and is not queryable',
];

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') {
    if (SOCKET_CODES.has(e.code) || SQLSTATES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code)) return true;
  }
  if (typeof e.message === 'string') {
    const message = e.message.toLowerCase();
    if (PG_MESSAGES.some((m) => message.includes(m))) return true;
  }
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return e.cause !== undefined && isDatabaseUnavailable(e.cause, depth + 1);
}
