/**
 * The returning lane: a remembered session without an active one (the 30-day cookie, no identity
 * pass) is an arrival in its own lane while the platform is full — no puzzle, no per-address mint
 * limit — and an active session still never queues.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryState } from '../platform/shared-state/memory.ts';
import type { SharedState } from '../platform/shared-state/shared-state.ts';
import { manualClock } from '../shared/time.ts';
import { DEFAULT_LANES } from './front-door.plugin.ts';
import { createTestNode, gateRequest, ipOf } from './front-door.test-support.ts';

const states: SharedState[] = [];
afterEach(async () => {
  await Promise.all(states.splice(0).map((s) => s.close()));
});

const T0 = Date.UTC(2026, 8, 7, 7, 0, 0);

async function node(o: { hasRoom?: () => boolean; attack?: () => boolean; mintLimit?: { count: number; periodMs: number; burst: number } } = {}) {
  const state = createMemoryState();
  states.push(state);
  const clock = manualClock(T0);
  const n = createTestNode({ state, clock, shares: { ...DEFAULT_LANES }, ...o });
  await n.admission.start(false);
  await n.admission.pump();
  return { node: n, clock };
}

describe('a remembered session', () => {
  it('enters directly with an admission pass when the platform has room', async () => {
    const { node: n, clock } = await node();
    const d = n.gate.decide(gateRequest({ ip: '192.0.2.1', remembered: true }), clock.now());
    expect(d).toMatchObject({ kind: 'enter', lane: 'returning', via: 'direct' });
  });

  it('gets a returning ticket while the platform is full, and its ticket is honoured on the next request', async () => {
    const { node: n, clock } = await node({ hasRoom: () => false });
    const d = n.gate.decide(gateRequest({ ip: '192.0.2.1', remembered: true }), clock.now());
    if (d.kind !== 'wait') throw new Error(`expected a wait, got ${d.kind}`);
    expect(d.ticket.lane).toBe('returning');
    expect(d.setTicket).not.toBeNull();
    const again = n.gate.decide(gateRequest({ ip: '192.0.2.1', remembered: true, ticket: d.setTicket! }), clock.now() + 1_000);
    expect(again).toMatchObject({ kind: 'wait', ticket: { id: d.ticket.id, tArr: d.ticket.tArr } });
  });

  it('goes to the priority lane with a priority credential', async () => {
    const { node: n, clock } = await node({ hasRoom: () => false });
    const d = n.gate.decide(gateRequest({ ip: '192.0.2.1', remembered: true, priority: true }), clock.now());
    expect(d).toMatchObject({ kind: 'wait', ticket: { lane: 'priority' } });
  });

  it('never sees the puzzle in attack mode (a newcomer does)', async () => {
    const { node: n, clock } = await node({ hasRoom: () => false, attack: () => true });
    expect(n.gate.decide(gateRequest({ ip: '192.0.2.1' }), clock.now()).kind).toBe('challenge');
    expect(n.gate.decide(gateRequest({ ip: '192.0.2.2', remembered: true }), clock.now())).toMatchObject({ kind: 'wait', ticket: { lane: 'returning' } });
  });

  it('is not throttled by the per-address mint limit (a whole school behind one address)', async () => {
    const { node: n, clock } = await node({ hasRoom: () => false, mintLimit: { count: 2, periodMs: 60_000, burst: 2 } });
    const ua = (i: number) => `Mozilla/5.0 pupil ${i}`;
    const newcomers = Array.from({ length: 10 }, (_, i) => n.gate.decide(gateRequest({ ip: '203.0.113.7', ua: ua(i) }), clock.now()).kind);
    expect(newcomers).toContain('limited');
    const back = Array.from({ length: 200 }, (_, i) => n.gate.decide(gateRequest({ ip: '203.0.113.7', ua: ua(i), remembered: true }), clock.now()).kind);
    expect(new Set(back)).toEqual(new Set(['wait']));
  });

  it('does not queue with an active session (identity pass): it keeps going, even while full and in attack mode', async () => {
    const { node: n, clock } = await node({ hasRoom: () => false, attack: () => true });
    const d = n.gate.decide(gateRequest({ ip: '192.0.2.1', session: true }), clock.now());
    if (d.kind !== 'session') throw new Error(`expected session, got ${d.kind}`);
    // With an admission pass, so that it keeps going while its identity pass is renewed.
    const later = clock.now() + 60_000;
    expect(n.gate.decide(gateRequest({ ip: '192.0.2.1', pass: d.setPass, remembered: true }), later).kind).toBe('pass');
  });

  it('forged (the injected check says no) is a newcomer in the general lane', async () => {
    const { node: n, clock } = await node({ hasRoom: () => false });
    expect(n.gate.decide(gateRequest({ ip: '192.0.2.1', remembered: false }), clock.now())).toMatchObject({ kind: 'wait', ticket: { lane: 'general' } });
  });
});

describe('the returning lane’s share', () => {
  it('admits more people per step than the general lane when both are full', async () => {
    const { node: n, clock } = await node({ hasRoom: () => false });
    await n.admission.setControl({ capPerMinute: 600 });
    const tickets: Array<{ lane: string; token: string; ip: string; in: boolean }> = [];
    for (let i = 0; i < 400; i++) {
      const remembered = i % 2 === 0;
      const ip = ipOf(i);
      const d = n.gate.decide(gateRequest({ ip, remembered }), clock.now());
      if (d.kind !== 'wait' || !d.setTicket) throw new Error(`expected a ticket, got ${d.kind}`);
      tickets.push({ lane: d.ticket.lane, token: d.setTicket, ip, in: false });
      if (i % 40 === 39) clock.advance(100);
    }
    for (let t = 0; t < 20_000; t += 50) {
      clock.advance(50);
      await n.admission.pump();
      if (t % 1_000 !== 950) continue;
      for (const p of tickets) {
        if (p.in) continue;
        p.in = n.gate.decide(gateRequest({ ip: p.ip, ticket: p.token }), clock.now()).kind === 'enter';
      }
    }
    const admitted = (lane: string) => tickets.filter((p) => p.lane === lane && p.in).length;
    expect(admitted('returning')).toBeGreaterThan(0);
    expect(admitted('general')).toBeGreaterThan(0);
    // Shares 0.5 and 0.3 (the priority lane's unused 0.2 flows to both): about 5 : 3.
    expect(admitted('returning') / admitted('general')).toBeGreaterThan(1.3);
  });
});
