/**
 * Opening a page as a browser with JavaScript does, obeying the waiting room: when the answer is
 * the waiting page, keep the ticket cookie, read what the page says (people ahead, the wait range
 * shown), poll /file-attente/etat.json on the server-set jittered delay, and go back to the page
 * once the frontier has passed the ticket (or the ticket needs renewing), as the page's script
 * does. In attack mode, solve the proof of work and redeem it like the page's worker.
 */
import { solveChallenge } from '../../src/front-door/attack-mode.ts';
import { positionOf } from '../../src/front-door/tickets.ts';
import { ticketOfCookie } from '../lib/cookies.ts';
import { call, jsonOf, type Identity, type Reply } from '../lib/http.ts';
import type { Context, WaitRecord } from './context.ts';
import { classify, fetchAs, retryAfterMs, sleep } from './fetch.ts';
import { parseShownRange } from './fidelity.ts';

interface PageData {
  position: number;
  lane: string;
  pollMs: number;
  jitter: number;
  ticketExp: number;
  ticketTtl: number;
  next: string;
  challenge: string | null;
  bits: number;
  shownText: string;
}

const attr = (html: string, name: string): string | null => new RegExp(`data-${name}="([^"]*)"`).exec(html)?.[1] ?? null;
const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

export function parseWaitingPage(html: string): PageData | null {
  if (!html.includes('<main id="w"')) return null;
  return {
    position: Number(attr(html, 't') ?? NaN),
    lane: attr(html, 'l') ?? 'general',
    pollMs: Number(attr(html, 'p') ?? 3000),
    jitter: Number(attr(html, 'j') ?? 0.3),
    ticketExp: Number(attr(html, 'x') ?? 0),
    ticketTtl: Number(attr(html, 'h') ?? 600_000),
    next: unescape(attr(html, 'n') ?? '/'),
    challenge: attr(html, 'c') === null ? null : unescape(attr(html, 'c')!),
    bits: Number(attr(html, 'b') ?? 16),
    shownText: /id="wt">([^<]*)</.exec(html)?.[1] ?? '',
  };
}

interface Lane {
  f: number;
}

function laneOf(state: unknown, lane: string): { t: number; lane: Lane | null } | null {
  if (typeof state !== 'object' || state === null) return null;
  const s = state as { t?: unknown; lanes?: Record<string, { f?: unknown }> };
  const l = s.lanes?.[lane];
  return { t: typeof s.t === 'number' ? s.t : 0, lane: l && typeof l.f === 'number' ? { f: l.f } : null };
}

/**
 * GET `path` as a page. Returns the final reply (the page itself once admitted) and, when the
 * person went through the gate as a newcomer, what the waiting room did.
 */
export async function openPage(ctx: Context, who: Identity, path: string): Promise<{ reply: Reply; wait: WaitRecord | null }> {
  const startedMs = Date.now();
  const headers = { accept: 'text/html,application/xhtml+xml', 'accept-encoding': 'gzip, br' };
  let reply = await call(ctx.agent, ctx.base, who, path, { headers, timeoutMs: ctx.options.timeoutMs });
  let page = reply.status === 503 || reply.status === 200 ? parseWaitingPage(reply.text) : null;
  const newcomer = !who.jar.has('preau_sid') && !who.jar.has('preau_pass');
  if (!page) {
    ctx.rec.answer(reply.ms, classify(reply) === null);
    if (classify(reply) !== null) reply = await fetchAs(ctx, who, path, { headers });
    // A direct entry is decided by the gate as the request arrives: admission time = arrival time.
    return { reply, wait: newcomer && reply.ok ? { lane: 'general', arrivalMs: startedMs, position: null, firstSeenMs: startedMs, shown: null, admittedMs: startedMs, waited: false } : null };
  }
  ctx.rec.answer(reply.ms, false);
  ctx.rec.startWaiting();
  const firstSeenMs = Date.now();
  const shown = parseShownRange(page.shownText);
  // The ticket is cleared from the jar on entry: keep what it said (arrival time, id, lane).
  let ticket = ticketOfCookie(who.jar.get('preau_tkt'));
  const deadline = firstSeenMs + ctx.options.patienceMs;
  try {
    while (page && Date.now() < deadline) {
      if (page.challenge) {
        const counter = solveChallenge(page.challenge, page.bits);
        const redeem = await call(ctx.agent, ctx.base, who, '/file-attente/jeton', { method: 'POST', json: { challenge: page.challenge, counter, next: page.next }, timeoutMs: ctx.options.timeoutMs });
        ctx.rec.answer(redeem.ms, false);
      } else {
        await pollUntilPassed(ctx, who, page, deadline);
      }
      reply = await call(ctx.agent, ctx.base, who, page.next, { headers, timeoutMs: ctx.options.timeoutMs });
      const again = reply.status === 503 || reply.status === 200 ? parseWaitingPage(reply.text) : null;
      if (!again && classify(reply) !== null) {
        ctx.rec.answer(reply.ms, false);
        await sleep(retryAfterMs(reply, 2));
        continue;
      }
      ctx.rec.answer(reply.ms, !again);
      page = again;
      if (page) ticket = ticketOfCookie(who.jar.get('preau_tkt')) ?? ticket;
    }
  } finally {
    ctx.rec.stopWaiting();
  }
  const wait: WaitRecord = {
    lane: ticket?.lane ?? 'general',
    arrivalMs: ticket?.tArr ?? firstSeenMs,
    position: ticket ? positionOf({ tArr: ticket.tArr, id: ticket.id }) : null,
    firstSeenMs,
    shown,
    admittedMs: Date.now(),
    waited: true,
  };
  if (page) ctx.gaveUp.count++;
  return { reply, wait: page ? null : wait };
}

/** Polls the room document like the page's script until the frontier passes the ticket. */
async function pollUntilPassed(ctx: Context, who: Identity, page: PageData, deadline: number): Promise<void> {
  let pollMs = page.pollMs;
  let failures = 0;
  while (Date.now() < deadline) {
    await sleep(pollMs * 2 ** Math.min(failures, 4) * (1 - page.jitter + 2 * page.jitter * Math.random()));
    const r = await call(ctx.agent, ctx.base, { ...who, jar: who.jar.clone() }, '/file-attente/etat.json', { timeoutMs: ctx.options.timeoutMs });
    ctx.rec.answer(r.ms, false);
    const doc = r.ok ? jsonOf(r) : null;
    const state = laneOf(doc, page.lane);
    if (!state) {
      failures++;
      continue;
    }
    failures = 0;
    const p = (doc as { pollMs?: unknown }).pollMs;
    if (typeof p === 'number' && p > 0) pollMs = p;
    if (!state.lane || page.position <= state.lane.f || page.ticketExp - state.t < page.ticketTtl / 2) return;
  }
}
