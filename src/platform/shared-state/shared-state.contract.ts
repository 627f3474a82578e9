/**
 * The behaviour every SharedState implementation must have. memory.test.ts and redis.test.ts run
 * this same suite, so the embedded mode and the multi-node mode cannot drift apart.
 * GCRA tests drive time through `nowMs` (never wall time); TTL tests use short real waits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GcraDecision, GcraLimit, SharedState } from './shared-state.ts';
import { seededRandom } from '../../shared/random.ts';

/** A realistic epoch-ms start for simulated clocks. */
const T0 = 1_700_000_000_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `predicate` holds; fails after `timeoutMs`. */
async function waitFor(predicate: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}


function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/**
 * Reference GCRA, written independently in "virtual scheduling" form: a request conforms when the
 * time it would have to wait, max(TAT, now) + cost·T − (burst + 1)·T − now, is not positive.
 */
class ReferenceGcra {
  private tatMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly limit: GcraLimit) {}

  decide(nowMs: number, cost: number): GcraDecision {
    const interval = this.limit.periodMs / this.limit.count;
    const start = Math.max(this.tatMs, nowMs);
    const waitMs = start + cost * interval - (this.limit.burst + 1) * interval - nowMs;
    if (waitMs > 0) return { allowed: false, retryAfterMs: Math.ceil(waitMs), remaining: 0 };
    this.tatMs = start + cost * interval;
    const slackMs = 0 - waitMs; // 0 - 0 is +0, whereas -0 would not equal a stored 0
    return { allowed: true, retryAfterMs: 0, remaining: Math.floor(slackMs / interval) };
  }
}

/**
 * Defines the SharedState contract suite for one implementation.
 * @param name shown in the suite title, e.g. 'memory' or 'redis'.
 * @param make creates a fresh, ready state; each call may be closed independently.
 */
export function sharedStateContract(name: string, make: () => Promise<SharedState>): void {
  describe(`SharedState contract: ${name}`, () => {
    let state: SharedState;
    let keyCounter = 0;
    const runId = Math.random().toString(36).slice(2, 8);
    const key = (label: string): string => `contract:${runId}:${label}:${++keyCounter}`;

    beforeAll(async () => {
      state = await make();
    });
    afterAll(async () => {
      await state.close();
    });

    describe('strings and TTL', () => {
      it('returns null for a missing key', async () => {
        expect(await state.get(key('missing'))).toBeNull();
      });

      it('reads back what was set, and del removes it', async () => {
        const k = key('plain');
        await state.set(k, 'bonjour');
        expect(await state.get(k)).toBe('bonjour');
        await state.del(k);
        expect(await state.get(k)).toBeNull();
      });

      it('expires a value set with a TTL', async () => {
        const k = key('ttl');
        await state.set(k, 'short', 80);
        expect(await state.get(k)).toBe('short');
        await sleep(150);
        expect(await state.get(k)).toBeNull();
      });

      it('clears a previous TTL when set again without one', async () => {
        const k = key('ttl-cleared');
        await state.set(k, 'short', 60);
        await state.set(k, 'forever');
        await sleep(120);
        expect(await state.get(k)).toBe('forever');
      });

      it('refuses a non-positive TTL (RangeError)', async () => {
        await expect(state.set(key('bad-ttl'), 'x', 0)).rejects.toBeInstanceOf(RangeError);
      });
    });

    describe('leases', () => {
      it('setIfAbsent sets only once', async () => {
        const k = key('lease');
        expect(await state.setIfAbsent(k, 'node-a', 1_000)).toBe(true);
        expect(await state.setIfAbsent(k, 'node-b', 1_000)).toBe(false);
        expect(await state.get(k)).toBe('node-a');
      });

      it('lets another holder take the lease once it expired', async () => {
        const k = key('lease-expiry');
        expect(await state.setIfAbsent(k, 'node-a', 60)).toBe(true);
        await sleep(120);
        expect(await state.setIfAbsent(k, 'node-b', 1_000)).toBe(true);
        expect(await state.get(k)).toBe('node-b');
      });

      it('renews only for the holder', async () => {
        const k = key('lease-renew');
        await state.setIfAbsent(k, 'node-a', 100);
        expect(await state.renewIfHolder(k, 'node-b', 1_000)).toBe(false);
        expect(await state.renewIfHolder(k, 'node-a', 400)).toBe(true);
        await sleep(150);
        expect(await state.get(k)).toBe('node-a');
      });

      it('does not renew a missing lease', async () => {
        expect(await state.renewIfHolder(key('lease-none'), 'node-a', 1_000)).toBe(false);
      });

      it('deletes only for the holder', async () => {
        const k = key('lease-delete');
        await state.setIfAbsent(k, 'node-a', 1_000);
        expect(await state.deleteIfHolder(k, 'node-b')).toBe(false);
        expect(await state.get(k)).toBe('node-a');
        expect(await state.deleteIfHolder(k, 'node-a')).toBe(true);
        expect(await state.get(k)).toBeNull();
        expect(await state.deleteIfHolder(k, 'node-a')).toBe(false);
      });
    });

    describe('counters', () => {
      it('incrBy accumulates and returns the new value', async () => {
        const k = key('counter');
        expect(await state.incrBy(k, 1)).toBe(1);
        expect(await state.incrBy(k, 5)).toBe(6);
        expect(await state.incrBy(k, -2)).toBe(4);
        expect(await state.get(k)).toBe('4');
      });

      it('incrBy with a TTL expires, and an increment without TTL keeps it', async () => {
        const k = key('counter-ttl');
        await state.incrBy(k, 1, 80);
        await state.incrBy(k, 1);
        await sleep(150);
        expect(await state.get(k)).toBeNull();
        expect(await state.incrBy(k, 1, 1_000)).toBe(1);
      });

      it('refuses a non-integer increment (RangeError)', async () => {
        await expect(state.incrBy(key('counter-bad'), 1.5)).rejects.toBeInstanceOf(RangeError);
      });

      it('hIncrMany accumulates across calls and hGetAll returns numbers', async () => {
        const k = key('hash');
        await state.hIncrMany(k, { admitted: 3, refused: 1 });
        await state.hIncrMany(k, { admitted: 2, waiting: 7 });
        expect(await state.hGetAll(k)).toEqual({ admitted: 5, refused: 1, waiting: 7 });
      });

      it('hGetAll of a missing hash is empty, and an empty hIncrMany is a no-op', async () => {
        const k = key('hash-empty');
        await state.hIncrMany(k, {});
        expect(await state.hGetAll(k)).toEqual({});
      });

      it('hIncrMany with a TTL expires the hash', async () => {
        const k = key('hash-ttl');
        await state.hIncrMany(k, { a: 1 }, 80);
        expect(await state.hGetAll(k)).toEqual({ a: 1 });
        await sleep(150);
        expect(await state.hGetAll(k)).toEqual({});
      });
    });

    describe('publish / subscribe', () => {
      it('delivers a published message asynchronously', async () => {
        const channel = key('channel');
        const received: string[] = [];
        const unsubscribe = await state.subscribe(channel, (message) => received.push(message));
        const published = state.publish(channel, 'hello');
        expect(received).toEqual([]);
        await published;
        await waitFor(() => received.length === 1);
        expect(received).toEqual(['hello']);
        await unsubscribe();
      });

      it('delivers to every subscriber, and unsubscribe stops delivery', async () => {
        const channel = key('channel-two');
        const first: string[] = [];
        const second: string[] = [];
        const unsubscribeFirst = await state.subscribe(channel, (message) => first.push(message));
        const unsubscribeSecond = await state.subscribe(channel, (message) => second.push(message));
        await state.publish(channel, 'one');
        await waitFor(() => first.length === 1 && second.length === 1);
        await unsubscribeFirst();
        await state.publish(channel, 'two');
        await waitFor(() => second.length === 2);
        expect(first).toEqual(['one']);
        expect(second).toEqual(['one', 'two']);
        await unsubscribeSecond();
      });

      it('keeps channels isolated', async () => {
        const channelA = key('channel-a');
        const channelB = key('channel-b');
        const onA: string[] = [];
        const onB: string[] = [];
        const unsubscribeA = await state.subscribe(channelA, (message) => onA.push(message));
        const unsubscribeB = await state.subscribe(channelB, (message) => onB.push(message));
        await state.publish(channelA, 'for-a');
        await state.publish(channelB, 'for-b');
        await waitFor(() => onB.length === 1);
        expect(onA).toEqual(['for-a']);
        expect(onB).toEqual(['for-b']);
        await Promise.all([unsubscribeA(), unsubscribeB()]);
      });
    });

    describe('GCRA (time driven by nowMs)', () => {
      const tenPerSecondBurst4: GcraLimit = { count: 10, periodMs: 1_000, burst: 4 };

      it('allows burst + 1 at once, then refuses with the exact wait', async () => {
        const k = key('gcra-burst');
        const decisions: GcraDecision[] = [];
        for (let i = 0; i < 6; i++) decisions.push(await state.gcra(k, tenPerSecondBurst4, T0));
        expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
        expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
        expect(decisions[5]).toEqual({ allowed: false, retryAfterMs: 100, remaining: 0 });
      });

      it('is honest about retryAfterMs: refused 1 ms earlier, allowed exactly then', async () => {
        const k = key('gcra-retry');
        const limit: GcraLimit = { count: 3, periodMs: 1_000, burst: 1 };
        let now = T0;
        for (let round = 0; round < 20; round++) {
          let decision = await state.gcra(k, limit, now);
          while (decision.allowed) decision = await state.gcra(k, limit, now);
          expect(decision.retryAfterMs).toBeGreaterThan(0);
          if (decision.retryAfterMs > 1) {
            expect((await state.gcra(k, limit, now + decision.retryAfterMs - 1)).allowed).toBe(false);
          }
          now += decision.retryAfterMs;
          expect((await state.gcra(k, limit, now)).allowed).toBe(true);
          now += 137 * round;
        }
      });

      it('never allows more than count × elapsed / period + burst + 1 over a long period', async () => {
        const k = key('gcra-bound');
        const limit: GcraLimit = { count: 5, periodMs: 10_000, burst: 3 };
        const random = seededRandom(42);
        let now = T0;
        let allowedUnits = 0;
        for (let i = 0; i < 600; i++) {
          now += randomInt(random, 0, 1_000);
          if ((await state.gcra(k, limit, now)).allowed) allowedUnits += 1;
          const steadyUnits = (limit.count * (now - T0)) / limit.periodMs;
          expect(allowedUnits).toBeLessThanOrEqual(steadyUnits + limit.burst + 1);
        }
        // Demand exceeds the rate throughout, so the limiter must not under-admit either.
        expect(allowedUnits).toBeGreaterThanOrEqual(Math.floor((limit.count * (now - T0)) / limit.periodMs));
      });

      it('keeps keys independent', async () => {
        const limit: GcraLimit = { count: 1, periodMs: 60_000, burst: 0 };
        const a = key('gcra-a');
        const b = key('gcra-b');
        expect((await state.gcra(a, limit, T0)).allowed).toBe(true);
        expect((await state.gcra(a, limit, T0)).allowed).toBe(false);
        expect((await state.gcra(b, limit, T0)).allowed).toBe(true);
      });

      it('charges a cost above 1 as that many requests', async () => {
        const k = key('gcra-cost');
        expect(await state.gcra(k, tenPerSecondBurst4, T0, 3)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 2 });
        expect(await state.gcra(k, tenPerSecondBurst4, T0, 3)).toEqual({ allowed: false, retryAfterMs: 100, remaining: 0 });
        expect(await state.gcra(k, tenPerSecondBurst4, T0, 2)).toEqual({ allowed: true, retryAfterMs: 0, remaining: 0 });
        expect((await state.gcra(k, tenPerSecondBurst4, T0 + 300, 3)).allowed).toBe(true);
      });

      it('refuses a cost that could never pass, and invalid limits (RangeError)', async () => {
        await expect(state.gcra(key('gcra-bad'), tenPerSecondBurst4, T0, 6)).rejects.toBeInstanceOf(RangeError);
        await expect(state.gcra(key('gcra-bad'), { count: 0, periodMs: 1_000, burst: 0 }, T0)).rejects.toBeInstanceOf(RangeError);
      });

      it.each([1, 2, 3, 4, 5])('matches the reference GCRA on random arrivals (seed %i)', async (seed) => {
        const random = seededRandom(seed);
        const emissionIntervalMs = randomInt(random, 1_000, 5_000);
        const count = randomInt(random, 1, 10);
        const limit: GcraLimit = { count, periodMs: emissionIntervalMs * count, burst: randomInt(random, 0, 5) };
        const reference = new ReferenceGcra(limit);
        const k = key(`gcra-model-${seed}`);
        let now = T0;
        for (let step = 0; step < 250; step++) {
          if (random() < 0.6) now += randomInt(random, 0, 2 * emissionIntervalMs);
          const cost = random() < 0.7 ? 1 : randomInt(random, 1, limit.burst + 1);
          const expected = reference.decide(now, cost);
          expect(await state.gcra(k, limit, now, cost), `step ${step}`).toEqual(expected);
        }
      });
    });

    describe('lifecycle', () => {
      it('is healthy until closed, then refuses calls', async () => {
        const own = await make();
        expect(own.isHealthy()).toBe(true);
        await own.close();
        expect(own.isHealthy()).toBe(false);
        await expect(own.get(key('after-close'))).rejects.toThrow();
        await own.close();
      });
    });
  });
}
