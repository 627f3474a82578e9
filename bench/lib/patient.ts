/**
 * A call that obeys the front door like a browser does, for provisioning: on 503 WAITING_ROOM the
 * ticket cookie stays in the jar and the call is repeated after the server's delay; on 429 or a
 * 503 with Retry-After, after that delay; on a connection error, after a second. Gives up after
 * `patienceMs`.
 */
import type { Agent } from 'undici';
import { call, numberField, jsonOf, type CallOptions, type Identity, type Reply } from './http.ts';

export async function callPatiently(agent: Agent, base: string, who: Identity, path: string, options: CallOptions = {}, patienceMs = 180_000): Promise<Reply> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    const reply = await call(agent, base, who, path, options);
    const delayMs = retryDelayMs(reply);
    if (delayMs === null || Date.now() + delayMs > deadline) return reply;
    await new Promise((r) => setTimeout(r, delayMs));
  }
}

/** How long to wait before retrying, or null when the answer is final. */
export function retryDelayMs(reply: Reply): number | null {
  if (reply.failure === 'connection' || reply.failure === 'timeout') return 1_000;
  if (reply.status !== 429 && reply.status !== 503) return null;
  const body = jsonOf(reply);
  const fromBody = numberField(body, 'error', 'details', 'retryAfterSeconds');
  const header = Number(reply.headers['retry-after']);
  const seconds = fromBody ?? (Number.isFinite(header) && header > 0 ? header : 2);
  return Math.max(0.5, seconds) * 1000;
}
