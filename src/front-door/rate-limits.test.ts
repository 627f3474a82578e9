import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryState } from '../platform/shared-state/memory.ts';
import type { SharedState } from '../platform/shared-state/shared-state.ts';
import { AppError } from '../shared/errors.ts';
import { manualClock } from '../shared/time.ts';
import { LocalGcra, RATE_LIMITS, addressKey, checkLimit, createAuthLimits } from './rate-limits.ts';

const states: SharedState[] = [];
const fresh = () => {
  const state = createMemoryState();
  states.push(state);
  return { state, clock: manualClock() };
};
afterEach(async () => {
  await Promise.all(states.splice(0).map((s) => s.close()));
});

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the GCRA catalogue', () => {
  it('allows the burst, then refuses with an honest Retry-After and the French message', async () => {
    const { state, clock } = fresh();
    const limit = RATE_LIMITS['sign-in:account'];
    for (let i = 0; i < limit.burst + 1; i++) await checkLimit(state, clock, 'sign-in:account', 'lea.martin');
    const error = await refusal(checkLimit(state, clock, 'sign-in:account', 'lea.martin'));
    expect(error.code).toBe('RATE_LIMITED');
    const interval = limit.periodMs / limit.count;
    expect(error.retryAfterSeconds).toBe(Math.ceil(interval / 1000));
    expect(error.message).toBe(`Trop de tentatives. Réessayez dans ${Math.ceil(interval / 1000)} secondes.`);
    clock.advance(error.retryAfterSeconds! * 1000 - 1_000);
    await expect(checkLimit(state, clock, 'sign-in:account', 'lea.martin')).rejects.toBeInstanceOf(AppError);
    clock.advance(1_000);
    await expect(checkLimit(state, clock, 'sign-in:account', 'lea.martin')).resolves.toMatchObject({ allowed: true });
  });

  it('keeps each key separate', async () => {
    const { state, clock } = fresh();
    for (let i = 0; i < 6; i++) await checkLimit(state, clock, 'sign-in:account', 'a');
    await expect(checkLimit(state, clock, 'sign-in:account', 'b')).resolves.toMatchObject({ allowed: true });
  });

  it('declares every limit the issue asks for', () => {
    expect(Object.keys(RATE_LIMITS).sort()).toEqual(
      ['activation:address', 'message-send:account', 'sign-in-failure:address', 'sign-in:account', 'sign-in:address', 'ticket-mint:address', 'upload:account'].sort(),
    );
  });
});

describe('sign-in limits', () => {
  it('let a whole school sign in from one address at 9:00, but stop guessing one account', async () => {
    const { state, clock } = fresh();
    const limits = createAuthLimits(state, clock);
    for (let i = 0; i < 300; i++) {
      await limits.signIn(`eleve.${i}`, '203.0.113.7');
      clock.advance(100);
    }
    for (let i = 0; i < 6; i++) await limits.signIn('karim.benali', '198.51.100.1');
    const error = await refusal(limits.signIn('Karim.Benali ', '198.51.100.2'));
    expect(error.code).toBe('RATE_LIMITED');
  });

  it('throttle credential stuffing: failures across many accounts from one address block it', async () => {
    const { state, clock } = fresh();
    const limits = createAuthLimits(state, clock);
    const failures = RATE_LIMITS['sign-in-failure:address'].burst + 1;
    for (let i = 0; i < failures + 1; i++) {
      await limits.signIn(`victim.${i}`, '192.0.2.66');
      await limits.signInFailed(`victim.${i}`, '192.0.2.66');
    }
    const error = await refusal(limits.signIn('another.victim', '192.0.2.66'));
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    await expect(limits.signIn('another.victim', '192.0.2.99')).resolves.toBeUndefined();
    clock.advance(error.retryAfterSeconds! * 1000);
    await expect(limits.signIn('another.victim', '192.0.2.66')).resolves.toBeUndefined();
  });

  it('do not block a school whose pupils mistype now and then', async () => {
    const { state, clock } = fresh();
    const limits = createAuthLimits(state, clock);
    for (let i = 0; i < 600; i++) {
      await limits.signIn(`eleve.${i}`, '203.0.113.7');
      if (i % 20 === 0) await limits.signInFailed(`eleve.${i}`, '203.0.113.7');
      clock.advance(500);
    }
  });

  it('limit activation codes per address', async () => {
    const { state, clock } = fresh();
    const limits = createAuthLimits(state, clock);
    for (let i = 0; i < RATE_LIMITS['activation:address'].burst + 1; i++) await limits.activation('192.0.2.1');
    expect((await refusal(limits.activation('192.0.2.1'))).code).toBe('RATE_LIMITED');
  });
});

describe('addresses and the node-local table', () => {
  it('keys IPv6 by /64 and IPv4 as is', () => {
    expect(addressKey('192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::ffff')).toBe(addressKey('2001:db8:1:2:1:2:3:4'));
  });

  it('decides like the shared store and stays bounded in size', async () => {
    const { state, clock } = fresh();
    const local = new LocalGcra(100);
    const limit = { count: 5, periodMs: 1_000, burst: 2 };
    for (let i = 0; i < 40; i++) {
      const t = clock.now() + i * 70;
      const a = await state.gcra('k', limit, t);
      expect(local.take('k', limit, t)).toEqual(a);
    }
    for (let i = 0; i < 1_000; i++) local.take(`ip-${i}`, limit, clock.now());
    expect(local.size()).toBeLessThanOrEqual(100);
  });
});

describe('RATE_LIMIT_FACTOR (test environments)', () => {
  it('multiplies counts and bursts, and leaves everything else as it was', async () => {
    const { withLimitFactor, consumeLimit, RATE_LIMITS } = await import('./rate-limits.ts');
    const { createMemoryState } = await import('../platform/shared-state/memory.ts');
    const { manualClock } = await import('../shared/time.ts');
    const state = createMemoryState();
    const clock = manualClock();
    const burst = RATE_LIMITS['sign-in:account'].burst;
    const plain = async (key: string, store: Parameters<typeof consumeLimit>[0]) => {
      let allowed = 0;
      for (let i = 0; i < 100; i++) if ((await consumeLimit(store, clock, 'sign-in:account', key)).allowed) allowed++;
      return allowed;
    };
    expect(await plain('a', state)).toBe(burst + 1);
    expect(await plain('b', withLimitFactor(state, 10))).toBe(burst * 10 + 1);
    expect(withLimitFactor(state, 1)).toBe(state);
    await withLimitFactor(state, 10).set('k', 'v');
    expect(await state.get('k')).toBe('v');
    await state.close();
  });
});
