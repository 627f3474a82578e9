import { createHash } from 'node:crypto';
import vm from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryState } from '../platform/shared-state/memory.ts';
import type { SharedState } from '../platform/shared-state/shared-state.ts';
import { manualClock } from '../shared/time.ts';
import { ReplayFilter, leadingZeroBits, solveChallenge } from './attack-mode.ts';
import { createTestNode, gateRequest } from './front-door.test-support.ts';
import { bindOf } from './tickets.ts';
import { POW_WORKER_SOURCE } from './waiting-page-client.ts';

const states: SharedState[] = [];
afterEach(async () => {
  await Promise.all(states.splice(0).map((s) => s.close()));
});

const CLIENT = { ip: '192.0.2.44', ua: 'Mozilla/5.0 slow phone' };

async function attackNode() {
  const state = createMemoryState();
  states.push(state);
  const clock = manualClock();
  const node = createTestNode({ state, clock, attack: () => true, hasRoom: () => false, powBits: 10 });
  await node.admission.start(false);
  return { node, clock };
}

function challengeFor(node: Awaited<ReturnType<typeof attackNode>>['node'], nowMs: number) {
  const d = node.gate.decide(gateRequest(CLIENT), nowMs);
  if (d.kind !== 'challenge') throw new Error(`expected a challenge, got ${d.kind}`);
  return d;
}

describe('proof-of-work minting', () => {
  it('gives a ticket whose arrival time is the challenge issue time, however long the phone took', async () => {
    const { node, clock } = await attackNode();
    const issuedAt = clock.now();
    const { challenge, bits } = challengeFor(node, issuedAt);
    const counter = solveChallenge(challenge, bits)!;
    clock.advance(40_000);
    const d = node.gate.redeem(challenge, counter, gateRequest(CLIENT), clock.now());
    expect(d.kind).toBe('wait');
    if (d.kind === 'wait') expect(d.ticket.tArr).toBe(issuedAt);
  });

  it('yields the same ticket for a replayed solution, and counts the arrival once', async () => {
    const { node, clock } = await attackNode();
    const { challenge, bits } = challengeFor(node, clock.now());
    const counter = solveChallenge(challenge, bits)!;
    const spy = vi.spyOn(node.admission, 'recordArrival');
    const first = node.gate.redeem(challenge, counter, gateRequest(CLIENT), clock.now());
    clock.advance(5_000);
    const again = node.gate.redeem(challenge, counter, gateRequest(CLIENT), clock.now());
    expect(first.kind === 'wait' && again.kind === 'wait' && first.setTicket === again.setTicket).toBe(true);
    expect(spy.mock.calls.map((c) => c[3])).toEqual([true, false]);
  });

  it('refuses a tampered challenge, a wrong solution, another client and a stale challenge', async () => {
    const { node, clock } = await attackNode();
    const { challenge, bits } = challengeFor(node, clock.now());
    const counter = solveChallenge(challenge, bits)!;
    const easier = challenge.replace(`|${bits}|`, '|1|');
    expect(node.gate.redeem(easier, counter, gateRequest(CLIENT), clock.now())).toEqual({ kind: 'refused', reason: 'forged' });
    let wrong = 0;
    while (leadingZeroBits(createHash('sha256').update(challenge + String(wrong)).digest()) >= bits) wrong++;
    expect(node.gate.redeem(challenge, String(wrong), gateRequest(CLIENT), clock.now())).toEqual({ kind: 'refused', reason: 'forged' });
    expect(node.gate.redeem(challenge, counter, gateRequest({ ...CLIENT, ip: '198.51.100.1' }), clock.now())).toEqual({
      kind: 'refused',
      reason: 'transplanted',
    });
    clock.advance(120_000);
    expect(node.gate.redeem(challenge, counter, gateRequest(CLIENT), clock.now())).toEqual({ kind: 'refused', reason: 'expired' });
  });

  it('never shows the puzzle to ticket, pass or session holders', async () => {
    const { node, clock } = await attackNode();
    const bind = bindOf(CLIENT.ua, CLIENT.ip);
    const pass = node.passes.issue('general', bind, clock.now());
    expect(node.gate.decide(gateRequest({ ...CLIENT, pass }), clock.now()).kind).toBe('pass');
    const ticket = node.tickets.issue({ lane: 'general', tArr: clock.now() - 1_000, exp: clock.now() + 60_000, bind, id: 'x1' });
    expect(node.gate.decide(gateRequest({ ...CLIENT, ticket }), clock.now()).kind).toBe('wait');
    expect(node.gate.decide(gateRequest({ ...CLIENT, session: true }), clock.now()).kind).toBe('session');
  });

  it('keeps no state per challenge: another node with the same keys verifies it', async () => {
    const { node, clock } = await attackNode();
    const { challenge, bits } = challengeFor(node, clock.now());
    const otherState = createMemoryState();
    states.push(otherState);
    const other = createTestNode({ state: otherState, clock, attack: () => true, hasRoom: () => false });
    const d = other.gate.redeem(challenge, solveChallenge(challenge, bits)!, gateRequest(CLIENT), clock.now());
    expect(d.kind).toBe('wait');
  });
});

describe('the in-page Web Worker solver', () => {
  it('finds a solution the server accepts (plain-JS SHA-256 with midstate)', async () => {
    const { node, clock } = await attackNode();
    const { challenge, bits } = challengeFor(node, clock.now());
    const messages: Array<{ k?: string; n?: number }> = [];
    const context = vm.createContext({ postMessage: (m: { k?: string; n?: number }) => messages.push(m), Int32Array, Math, String });
    vm.runInContext(POW_WORKER_SOURCE, context);
    (context as { onmessage: (e: { data: unknown }) => void }).onmessage({ data: { c: challenge, b: bits } });
    const solution = messages.find((m) => m.k !== undefined)?.k;
    expect(solution).toBeDefined();
    expect(node.gate.redeem(challenge, solution!, gateRequest(CLIENT), clock.now()).kind).toBe('wait');
  });

  it('computes SHA-256 exactly like node:crypto for inputs of every length', () => {
    const found: string[] = [];
    const context = vm.createContext({ postMessage: (m: { k?: string }) => m.k !== undefined && found.push(m.k), Int32Array, Math, String });
    vm.runInContext(POW_WORKER_SOURCE, context);
    const cases = [...Array.from({ length: 20 }, (_, i) => ({ len: i * 7, bits: 6 })), { len: 55, bits: 12 }, { len: 100, bits: 12 }];
    for (const { len, bits } of cases) {
      const input = 'x'.repeat(len);
      (context as { onmessage: (e: { data: unknown }) => void }).onmessage({ data: { c: input, b: bits } });
      const k = found.pop()!;
      expect(leadingZeroBits(createHash('sha256').update(input + k).digest())).toBeGreaterThanOrEqual(bits);
      let first = 0;
      while (leadingZeroBits(createHash('sha256').update(input + String(first)).digest()) < bits) first++;
      expect(k).toBe(String(first));
    }
  });
});

describe('attack detection and replays', () => {
  it('remembers redeemed challenges in fixed memory', () => {
    const filter = new ReplayFilter(60_000, 0);
    const id = (i: number) => createHash('sha256').update(String(i)).digest('base64url');
    let falsePositives = 0;
    for (let i = 0; i < 20_000; i++) if (filter.seen(id(i), 1_000)) falsePositives++;
    expect(falsePositives).toBeLessThan(20);
    expect(filter.seen(id(7), 2_000)).toBe(true);
    expect(filter.seen(id(7), 70_000)).toBe(true);
    expect(filter.seen(id(8), 200_000)).toBe(false);
  });
});
