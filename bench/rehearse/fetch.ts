/**
 * One API call as the web app makes it, with a browser's persistence: a 503 WAITING_ROOM is honest
 * waiting (the ticket stays in the jar, the call is repeated after the server's delay); 429 and
 * other 503s are errors, retried after Retry-After; other 5xx, timeouts and connection errors are
 * errors, retried after a backoff; other 4xx are errors, not retried (unless expected, like the
 * 401 of /api/me for someone signed out). Every attempt is counted in the recorder.
 */
import { call, errorCodeOfBody, jsonOf, numberField, type CallOptions, type Identity, type Reply } from '../lib/http.ts';
import type { Context } from './context.ts';
import type { ErrorKind } from './recorder.ts';

export interface FetchOptions extends CallOptions {
  /** Statuses that are a normal answer here (401 on /api/me when signed out). */
  expect?: number[];
  maxRetries?: number;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function retryAfterMs(reply: Reply, fallbackS: number): number {
  const fromBody = numberField(jsonOf(reply), 'error', 'details', 'retryAfterSeconds');
  const header = Number(reply.headers['retry-after']);
  const s = fromBody ?? (Number.isFinite(header) && header > 0 ? header : fallbackS);
  return Math.max(0.25, s) * 1000;
}

export function classify(reply: Reply): ErrorKind | 'waiting' | null {
  if (reply.failure === 'timeout') return 'timeout';
  if (reply.failure === 'connection') return 'connection';
  if (reply.status === 503 && errorCodeOfBody(reply) === 'WAITING_ROOM') return 'waiting';
  if (reply.status >= 500) return 'server_5xx';
  if (reply.status >= 400) return 'other_4xx';
  return null;
}

/** The call, repeated as a browser would; returns the last reply (ok or not). */
export async function fetchAs(ctx: Context, who: Identity, path: string, options: FetchOptions = {}): Promise<Reply> {
  const { rec } = ctx;
  const maxRetries = options.maxRetries ?? 4;
  const deadline = Date.now() + ctx.options.patienceMs;
  let retries = 0;
  let waiting = false;
  try {
    for (;;) {
      const reply = await call(ctx.agent, ctx.base, who, path, { timeoutMs: ctx.options.timeoutMs, ...options });
      if (ctx.halted?.value) return reply; // the rehearsal is over: nothing more is counted
      const kind = classify(reply);
      if (kind === null || (options.expect ?? []).includes(reply.status)) {
        rec.answer(reply.ms, true);
        return reply;
      }
      rec.answer(reply.ms, false);
      if (kind === 'waiting') {
        if (!waiting) rec.startWaiting();
        waiting = true;
        if (Date.now() > deadline) return reply;
        await sleep(retryAfterMs(reply, 3));
        continue;
      }
      rec.error(kind, reply.status > 0 ? `${reply.status} ${errorCodeOfBody(reply) ?? ''} ${path.split('/').slice(0, 3).join('/')}`.trim() : `${reply.errorCode ?? kind} ${path.split('/').slice(0, 3).join('/')}`);
      const retriable = kind !== 'other_4xx' || reply.status === 429;
      if (!retriable || retries >= maxRetries || Date.now() > deadline) return reply;
      retries++;
      await sleep(reply.status === 429 || reply.status === 503 ? retryAfterMs(reply, 2) : Math.min(8_000, 500 * 2 ** retries));
    }
  } finally {
    if (waiting) rec.stopWaiting();
  }
}
