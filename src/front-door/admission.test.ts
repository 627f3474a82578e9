import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMemoryState } from '../platform/shared-state/memory.ts';
import { createRedisState } from '../platform/shared-state/redis.ts';
import { TEST_REDIS_URL, deleteKeysWithPrefix } from '../platform/shared-state/redis.test-support.ts';
import type { SharedState } from '../platform/shared-state/shared-state.ts';
import { manualClock } from '../shared/time.ts';
import { ArrivalHistogram, bucketOf } from './histogram.ts';
import { allocateShares } from './planner.ts';
import { aheadOf, waitBand } from './room-state.ts';
import { countingState, createTestNode, gateRequest, ipOf, rng } from './front-door.test-support.ts';

const T0 = Date.UTC(2026, 8, 7, 7, 0, 0);

interface Arrival {
  at: number;
  lane: 'general' | 'priority';
  abandons: boolean;
}

interface Person extends Arrival {
  i: number;
  ticket?: string;
  tArr?: number;
  nextPoll: number;
  admittedAt?: number;
  gone: boolean;
}

const states: SharedState[] = [];
afterEach(async () => {
  await Promise.all([...new Set(states.splice(0))].map((s) => s.close()));
});

const redisPrefix = `test:front-door:${randomUUID()}:`;
afterAll(async () => {
  const raw = new Redis(TEST_REDIS_URL);
  await deleteKeysWithPrefix(raw, redisPrefix);
  await raw.quit();
});

/** Opens the shared state of `n` nodes: one in-process store they share, or n Redis connections. */
type OpenStores = (n: number) => Promise<SharedState[]>;
const STORES: Array<[string, OpenStores]> = [
  [
    'memory',
    async (n) => {
      const state = createMemoryState();
      states.push(state);
      return Array.from({ length: n }, () => state);
    },
  ],
  [
    'redis',
    async (n) => {
      const prefix = `${redisPrefix}${randomUUID()}:`;
      const opened = await Promise.all(Array.from({ length: n }, () => createRedisState({ url: TEST_REDIS_URL, keyPrefix: prefix })));
      states.push(...opened);
      return opened;
    },
  ],
];

/**
 * Runs a crowd through one node in 50 ms steps. Checks, at every refused poll, that no later
 * arrival of the same lane (at 100 ms resolution) has already been admitted.
 */
async function simulate(open: OpenStores, arrivals: Arrival[], o: { capPerMinute: number; endMs: number; seed?: number }) {
  const random = rng(o.seed ?? 1);
  const [state] = await open(1);
  if (!state) throw new Error('no store');
  const clock = manualClock(T0);
  const node = createTestNode({ state, clock });
  await node.admission.start(false);
  await node.admission.setControl({ capPerMinute: o.capPerMinute });
  const people: Person[] = arrivals.map((a, i) => ({ ...a, i, nextPoll: a.at, gone: false })).sort((a, b) => a.at - b.at);
  const maxAdmitted: Record<string, number> = { general: -Infinity, priority: -Infinity };
  const entries: Array<{ t: number; lane: string }> = [];
  const frontiers: Array<{ t: number; f: number; waiting: number }> = [];
  let violations = 0;
  let refusals = 0;
  for (let t = T0; t <= T0 + o.endMs; t += 50) {
    clock.set(t);
    await node.admission.pump();
    const room = node.admission.getRoom();
    if (room) frontiers.push({ t, f: node.admission.frontier('general'), waiting: room.lanes['general']?.waiting ?? 0 });
    for (const p of people) {
      if (p.gone || p.admittedAt !== undefined || T0 + p.nextPoll > t) continue;
      const d = node.gate.decide(gateRequest({ ip: ipOf(p.i), ticket: p.ticket, priority: p.lane === 'priority' }), t);
      if (d.kind === 'enter') {
        p.admittedAt = t;
        entries.push({ t, lane: p.lane });
        maxAdmitted[p.lane] = Math.max(maxAdmitted[p.lane]!, bucketOf(p.tArr ?? t));
      } else if (d.kind === 'wait') {
        p.ticket = d.setTicket ?? p.ticket;
        p.tArr = d.ticket.tArr;
        refusals++;
        if (bucketOf(p.tArr) < maxAdmitted[p.lane]!) violations++;
        if (p.abandons) p.gone = true;
        p.nextPoll = t - T0 + 1_000 + random() * 4_000;
      } else {
        throw new Error(`unexpected decision ${d.kind}`);
      }
    }
  }
  await node.admission.stop();
  return { people, entries, violations, refusals, frontiers, node };
}

/** Most entries in any window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

function crowd(n: number, overMs: number, seed: number, abandonShare = 0, priorityShare = 0): Arrival[] {
  const random = rng(seed);
  return Array.from({ length: n }, () => ({
    at: Math.floor(random() * overMs),
    lane: random() < priorityShare ? ('priority' as const) : ('general' as const),
    abandons: random() < abandonShare,
  }));
}

describe.each(STORES)('on the %s shared state', (_kind, open) => {
  describe('order and budget', () => {
    it('never admits a later ticket while an earlier one of the same lane, still polling, waits (100 ms resolution)', async () => {
      for (const seed of _kind === 'memory' ? [1, 2, 3] : [1]) {
        const run = await simulate(open, crowd(600, 10_000, seed, 0.3, 0.2), { capPerMinute: 1_200, endMs: 60_000, seed });
        expect(run.refusals).toBeGreaterThan(300);
        expect(run.violations).toBe(0);
      }
    });

    it('keeps admissions within the budget (≤ 1.05 × budget over 10 s, plus one bucket)', async () => {
      const run = await simulate(open, crowd(1_500, 5_000, 7), { capPerMinute: 1_200, endMs: 90_000 });
      const perSecond = 1_200 / 60;
      expect(maxInWindow(run.entries.map((e) => e.t), 10_000)).toBeLessThanOrEqual(1.05 * perSecond * 10 + perSecond + 2);
      expect(run.people.every((p) => p.admittedAt !== undefined)).toBe(true);
    });

    it('keeps a step in every lane at once within the budget: the lanes share one budget of direct entries', async () => {
      // Calm for 5 s, then 1 500 people in half a second, in both lanes. Each lane was open and had
      // its own second of the whole budget to let in at once: twice the budget in 50 ms.
      const step = crowd(1_500, 500, 11, 0, 0.5).map((a) => ({ ...a, at: a.at + 5_000 }));
      const run = await simulate(open, step, { capPerMinute: 1_200, endMs: 30_000 });
      const perSecond = 1_200 / 60;
      const times = run.entries.map((e) => e.t);
      // One second of budget at once (the burst), then the budget's pace.
      expect(maxInWindow(times, 250)).toBeLessThanOrEqual(perSecond + 1.05 * perSecond * 0.25 + 2);
      expect(maxInWindow(times, 10_000)).toBeLessThanOrEqual(1.05 * perSecond * 10 + perSecond + 2);
    });

    it('lets everyone straight in when the platform is not full (nobody is ever queued)', async () => {
      const run = await simulate(open, crowd(100, 20_000, 5), { capPerMinute: 6_000, endMs: 25_000 });
      expect(run.refusals).toBe(0);
      expect(run.entries).toHaveLength(100);
    });
  });

  describe('a saturated node', () => {
    it('lets nobody in directly while its core is saturated, then again once it is not', async () => {
      const [state] = await open(1);
      const clock = manualClock(T0);
      let busy = 0.5;
      const node = createTestNode({ state: state!, clock, health: () => ({ limit: 100, inflight: 0, overloaded: false, busy }) });
      await node.admission.start(false);
      const newcomer = (i: number) => node.gate.decide(gateRequest({ ip: ipOf(i) }), clock.now());
      const at = async (ms: number) => {
        clock.set(T0 + ms);
        await node.admission.pump();
      };
      await at(1_100);
      expect(newcomer(1).kind).toBe('enter');
      busy = 0.99; // the last second: the core did nothing else
      await at(2_100);
      const queued = newcomer(2);
      expect(queued.kind).toBe('wait'); // a place in line at once, not a direct entry on a saturated core
      busy = 0.4;
      await at(3_100);
      await at(8_000); // the frontier passes the one who waited: the lane is open again
      expect(newcomer(3).kind).toBe('enter');
      await node.admission.stop();
    });
  });

  describe('abandoned tickets', () => {
    it('do not stall the frontier: it moves on every tick while people wait, and no-shows free capacity', async () => {
      const arrivals = crowd(400, 1_000, 11, 0.9);
      const run = await simulate(open, arrivals, { capPerMinute: 600, endMs: 60_000 });
      const stalls = run.frontiers.filter((x, i) => {
        const prev = run.frontiers[i - 20];
        return prev !== undefined && prev.waiting >= 1 && x.t - prev.t >= 1_000 && x.f <= prev.f;
      });
      expect(stalls).toEqual([]);
      const stayers = run.people.filter((p) => !p.abandons);
      expect(stayers.every((p) => p.admittedAt !== undefined)).toBe(true);
      // 400 tickets at 10/s would take 40 s if no-shows held their slot; ghosts are passed faster.
      const last = Math.max(...stayers.map((p) => p.admittedAt! - T0));
      expect(last).toBeLessThan(33_000);
      expect(run.violations).toBe(0);
    });
  });

  describe('lanes', () => {
    it('splits the budget by share while both lanes are full (priority 30 %, general 70 %)', async () => {
      const run = await simulate(open, crowd(1_200, 500, 21, 0, 0.5), { capPerMinute: 1_200, endMs: 30_000 });
      const late = run.entries.filter((e) => e.t > T0 + 5_000);
      const priority = late.filter((e) => e.lane === 'priority').length / late.length;
      expect(priority).toBeGreaterThan(0.22);
      expect(priority).toBeLessThan(0.38);
      expect(run.violations).toBe(0);
    });

    it('lets unused share flow to the other lane', async () => {
      const run = await simulate(open, crowd(1_000, 500, 22, 0, 0), { capPerMinute: 1_200, endMs: 45_000 });
      // Passes by the frontier (nobody arrives after 0.5 s): the general lane gets the whole budget.
      const waitingAt = (ms: number) => run.frontiers.find((x) => x.t >= T0 + ms)!.waiting;
      expect((waitingAt(10_000) - waitingAt(40_000)) / 30).toBeGreaterThan(0.95 * 20);
      expect(run.entries.length).toBeGreaterThan(0.9 * 20 * 40);
      const general = run.node.admission.getRoom()!.lanes['general']!;
      expect(general.r).toBeGreaterThan(0.95 * 20);
    });

    it('keeps priority waits short while the general lane is 10× overloaded', async () => {
      const general = crowd(2_000, 10_000, 31);
      const priority = crowd(40, 10_000, 32, 0, 1);
      const run = await simulate(open, [...general, ...priority], { capPerMinute: 1_200, endMs: 40_000 });
      const waits = run.people.filter((p) => p.lane === 'priority').map((p) => (p.admittedAt ?? Infinity) - (T0 + p.at));
      waits.sort((a, b) => a - b);
      expect(waits[Math.floor(waits.length * 0.99)]).toBeLessThan(30_000);
    });

    it('allocates by share, capped by demand, and hands back what a lane does not use', () => {
      const full = allocateShares(100, [
        { name: 'priority', share: 0.3, demand: Infinity },
        { name: 'general', share: 0.7, demand: Infinity },
      ]);
      expect(full.get('priority')).toBeCloseTo(30);
      expect(full.get('general')).toBeCloseTo(70);
      const flow = allocateShares(100, [
        { name: 'priority', share: 0.3, demand: 5 },
        { name: 'general', share: 0.7, demand: Infinity },
      ]);
      expect(flow.get('priority')).toBeCloseTo(5);
      expect(flow.get('general')).toBeCloseTo(95);
    });
  });

  describe('shared store load', () => {
    it('stays ≤ 10 operations per second per node while 100 000 tickets are minted on two nodes', async () => {
      const clock = manualClock(T0);
      const [storeA, storeB] = await open(2);
      const a = countingState(storeA!, clock);
      const b = countingState(storeB!, clock);
      const nodeA = createTestNode({ state: a.state, clock, nodeId: 'a', hasRoom: () => false });
      const nodeB = createTestNode({ state: b.state, clock, nodeId: 'b', hasRoom: () => false });
      await nodeA.admission.start(false);
      await nodeB.admission.start(false);
      await nodeA.admission.setControl({ capPerMinute: 600 });
      // Start-up (subscribe, first reads, the operator's setting) is a one-off; count from here.
      a.perSecond.clear();
      b.perSecond.clear();
      for (let i = 0; i < 100_000; i++) {
        clock.set(T0 + i);
        const node = i % 2 === 0 ? nodeA : nodeB;
        expect(node.gate.decide(gateRequest({ ip: ipOf(i) }), clock.now()).kind).toBe('wait');
        if (i % 10 === 0) {
          await nodeA.admission.pump();
          await nodeB.admission.pump();
        }
      }
      for (let t = 100_000; t < 103_000; t += 10) {
        clock.set(T0 + t);
        await nodeA.admission.pump();
        await nodeB.admission.pump();
      }
      const leader = nodeA.admission.isLeader() ? nodeA : nodeB;
      const waiting = leader.admission.getRoom()!.lanes['general']!.waiting;
      expect(waiting).toBeGreaterThan(95_000);
      expect(Math.max(...a.perSecond.values())).toBeLessThanOrEqual(10);
      expect(Math.max(...b.perSecond.values())).toBeLessThanOrEqual(10);
      await nodeA.admission.stop();
      await nodeB.admission.stop();
    });
  });

  describe('leader failover', () => {
    it('hands the lease over: the frontier never moves back and no place is lost', async () => {
      const clock = manualClock(T0);
      const [storeA, storeB] = await open(2);
      const nodeA = createTestNode({ state: storeA!, clock, nodeId: 'a', hasRoom: () => false });
      const nodeB = createTestNode({ state: storeB!, clock, nodeId: 'b', hasRoom: () => false });
      await nodeA.admission.start(false);
      await nodeB.admission.start(false);
      await nodeA.admission.setControl({ capPerMinute: 600 });
      const tickets: Array<{ tArr: number; token: string; i: number }> = [];
      for (let i = 0; i < 300; i++) {
        clock.set(T0 + i * 10);
        const d = nodeA.gate.decide(gateRequest({ ip: ipOf(i) }), clock.now());
        if (d.kind === 'wait' && d.setTicket) tickets.push({ tArr: d.ticket.tArr, token: d.setTicket, i });
        if (i % 5 === 0) {
          await nodeA.admission.pump();
          await nodeB.admission.pump();
        }
      }
      const frontierBefore = nodeB.admission.frontier('general');
      expect(nodeA.admission.isLeader()).toBe(true);
      await nodeA.admission.stop();
      let admitted = 0;
      for (let t = 3_000; t < 45_000; t += 50) {
        clock.set(T0 + t);
        await nodeB.admission.pump();
        expect(nodeB.admission.frontier('general')).toBeGreaterThanOrEqual(frontierBefore);
      }
      expect(nodeB.admission.isLeader()).toBe(true);
      for (const x of tickets) {
        if (nodeB.gate.decide(gateRequest({ ip: ipOf(x.i), ticket: x.token }), clock.now()).kind === 'enter') admitted++;
      }
      expect(admitted).toBe(tickets.length);
      await nodeB.admission.stop();
    });
  });

  describe('leader crash', () => {
    it('lets another node take the lease once it expires, resuming admissions from the same frontier', async () => {
      const clock = manualClock(T0);
      const [storeA, storeB] = await open(2);
      const nodeA = createTestNode({ state: storeA!, clock, nodeId: 'a', hasRoom: () => false });
      const nodeB = createTestNode({ state: storeB!, clock, nodeId: 'b', hasRoom: () => false });
      await nodeA.admission.start(false);
      await nodeB.admission.start(false);
      await nodeA.admission.setControl({ capPerMinute: 600 });
      const tokens: Array<{ i: number; token: string }> = [];
      for (let i = 0; i < 200; i++) {
        clock.set(T0 + i * 20);
        const d = nodeB.gate.decide(gateRequest({ ip: ipOf(i) }), clock.now());
        if (d.kind === 'wait' && d.setTicket) tokens.push({ i, token: d.setTicket });
        await nodeA.admission.pump();
        await nodeB.admission.pump();
      }
      expect(nodeA.admission.isLeader()).toBe(true);
      const frontierAtCrash = nodeB.admission.frontier('general');
      // Node A dies without handing over: its lease (3 s, wall clock in the store) must expire.
      await new Promise((resolve) => setTimeout(resolve, 3_100));
      let resumedAfter = -1;
      for (let t = 0; t < 10_000; t += 50) {
        clock.advance(50);
        await nodeB.admission.pump();
        if (resumedAfter < 0 && nodeB.admission.frontier('general') > frontierAtCrash) resumedAfter = t;
      }
      expect(nodeB.admission.isLeader()).toBe(true);
      expect(resumedAfter).toBeGreaterThanOrEqual(0);
      expect(resumedAfter).toBeLessThan(2_000);
      for (let t = 0; t < 30_000; t += 50) {
        clock.advance(50);
        await nodeB.admission.pump();
      }
      const admitted = tokens.filter((x) => nodeB.gate.decide(gateRequest({ ip: ipOf(x.i), ticket: x.token }), clock.now()).kind === 'enter');
      expect(admitted).toHaveLength(tokens.length);
      await nodeB.admission.stop();
    });
  });
});

describe('histogram and honest wait', () => {
  it('summarises the crowd so that "people ahead" is off by less than one segment', () => {
    const random = rng(5);
    const h = new ArrivalHistogram();
    const f = T0;
    for (let i = 0; i < 5_000; i++) {
      const t = f + Math.floor(random() ** 2 * 600_000);
      h.add('general', bucketOf(t), 1);
    }
    const points = h.summary('general', f, Number.MAX_SAFE_INTEGER, 48);
    expect(points.length).toBeLessThanOrEqual(48);
    for (let k = 0; k < 200; k++) {
      const t = f + Math.floor(random() * 600_000);
      const exact = h.between('general', f, t);
      expect(Math.abs(aheadOf({ f, h: points }, t) - exact)).toBeLessThanOrEqual(5_000 / 47 + 1);
    }
  });

  it('moves the frontier part-way into a crowded bucket, never beyond the allowance', () => {
    const h = new ArrivalHistogram();
    h.add('general', bucketOf(T0), 1_000);
    const step = h.advance('general', T0 - 1_000, 250, T0 + 10_000);
    expect(step.passed).toBeCloseTo(250);
    expect(step.drained).toBe(false);
    expect(step.to).toBeGreaterThan(T0);
    expect(step.to).toBeLessThan(T0 + 100);
    expect(h.between('general', T0 - 1_000, step.to)).toBeCloseTo(250);
  });

  it('shows a range, never a point, that widens with the pace variability and grows with the crowd', () => {
    for (const ahead of [0, 1, 10, 100, 10_000]) {
      const calm = waitBand(ahead, 20, 0, 3_000);
      const bumpy = waitBand(ahead, 20, 15, 3_000);
      expect(calm.highSeconds).toBeGreaterThan(calm.lowSeconds);
      expect(bumpy.highSeconds - bumpy.lowSeconds).toBeGreaterThanOrEqual(calm.highSeconds - calm.lowSeconds);
      expect(waitBand(ahead * 2 + 1, 20, 5, 3_000).highSeconds).toBeGreaterThanOrEqual(waitBand(ahead, 20, 5, 3_000).highSeconds);
    }
    const band = waitBand(1_200, 20, 4, 3_000);
    expect(band.lowSeconds).toBeLessThanOrEqual(60);
    expect(band.highSeconds).toBeGreaterThanOrEqual(60);
  });
});
