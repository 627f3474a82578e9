import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { SharedStateUnavailableError } from './errors.ts';
import { createMemoryState } from './memory.ts';
import { createRedisState } from './redis.ts';
import { withFallback } from './resilient.ts';
import type { SharedState } from './shared-state.ts';
import { deleteKeysWithPrefix, startRedisProxy, TEST_REDIS_URL, type TcpProxy } from './redis.test-support.ts';

const keyPrefix = `test:resilient:${randomUUID()}:`;
const limit = { count: 1, periodMs: 60_000, burst: 0 };

afterAll(async () => {
  const raw = new Redis(TEST_REDIS_URL);
  await deleteKeysWithPrefix(raw, keyPrefix);
  await raw.quit();
});

/** A Redis state reached through a proxy that the test can stop and restart. */
async function redisBehindProxy(): Promise<{ proxy: TcpProxy; redis: SharedState }> {
  const { proxy, url } = await startRedisProxy();
  const redis = await createRedisState({ url, keyPrefix });
  return { proxy, redis };
}

describe('withFallback', () => {
  it('passes every call through to a healthy primary', async () => {
    const primary = createMemoryState();
    const fallback = createMemoryState();
    const switches: boolean[] = [];
    const state = withFallback(primary, fallback, (usingFallback) => switches.push(usingFallback));
    await state.set('k', 'v');
    await state.incrBy('n', 2);
    await state.hIncrMany('h', { a: 1 });
    expect((await state.gcra('g', limit, 0)).allowed).toBe(true);
    expect(await primary.get('k')).toBe('v');
    expect(await primary.get('n')).toBe('2');
    expect(await fallback.get('k')).toBeNull();
    expect((await primary.gcra('g', limit, 0)).allowed).toBe(false);
    const received: string[] = [];
    await state.subscribe('c', (message) => received.push(message));
    await state.publish('c', 'hi');
    await expect.poll(() => received).toEqual(['hi']);
    expect(switches).toEqual([]);
    expect(state.kind).toBe('memory');
    await state.close();
    expect(primary.isHealthy()).toBe(false);
    expect(fallback.isHealthy()).toBe(false);
  });

  it('falls back when a call fails with a connection error, and rethrows other errors', async () => {
    const primary = createMemoryState();
    const broken: SharedState = {
      ...primary,
      get: () => Promise.reject(new SharedStateUnavailableError('connection reset')),
    };
    const fallback = createMemoryState();
    await fallback.set('k', 'from-fallback');
    const switches: boolean[] = [];
    const state = withFallback(broken, fallback, (usingFallback) => switches.push(usingFallback));
    expect(await state.get('k')).toBe('from-fallback');
    expect(switches).toEqual([true]);
    await expect(state.gcra('g', limit, 0, 5)).rejects.toBeInstanceOf(RangeError);
    await state.set('k2', 'v');
    expect(switches).toEqual([true, false]);
    await state.close();
  });

  it('serves calls from the fallback while Redis is down, then returns to Redis', async () => {
    const { proxy, redis } = await redisBehindProxy();
    const fallback = createMemoryState();
    const switches: boolean[] = [];
    const state = withFallback(redis, fallback, (usingFallback) => switches.push(usingFallback), { healthCheckIntervalMs: 50 });
    try {
      await proxy.stop();
      await expect.poll(() => redis.isHealthy()).toBe(false);

      await state.set('lease', 'node-a', 10_000);
      expect(await state.setIfAbsent('lock', 'node-a', 10_000)).toBe(true);
      expect(await state.incrBy('count', 3)).toBe(3);
      await state.hIncrMany('stats', { admitted: 2 });
      expect((await state.gcra('rate', limit, 0)).allowed).toBe(true);
      expect((await state.gcra('rate', limit, 0)).allowed).toBe(false);
      await expect(state.publish('news', 'dropped')).resolves.toBeUndefined();
      expect(await fallback.get('lease')).toBe('node-a');
      expect(await fallback.hGetAll('stats')).toEqual({ admitted: 2 });
      expect(state.isUsingFallback()).toBe(true);
      expect(state.isHealthy()).toBe(true);
      expect(switches).toEqual([true]);

      await proxy.start();
      await expect.poll(() => state.isUsingFallback(), { timeout: 5_000 }).toBe(false);
      await state.set('after', 'redis');
      expect(await redis.get('after')).toBe('redis');
      expect(await fallback.get('after')).toBeNull();
      expect(switches).toEqual([true, false]);
    } finally {
      await state.close();
      await proxy.stop();
    }
  });

  it('re-attaches a subscription made while Redis was down', async () => {
    const { proxy, redis } = await redisBehindProxy();
    const state = withFallback(redis, createMemoryState(), undefined, { healthCheckIntervalMs: 50 });
    try {
      await proxy.stop();
      await expect.poll(() => redis.isHealthy()).toBe(false);
      const received: string[] = [];
      const unsubscribe = await state.subscribe('news', (message) => received.push(message));

      await proxy.start();
      await expect.poll(() => redis.isHealthy(), { timeout: 5_000 }).toBe(true);
      // Publish until the re-attached subscription hears it (re-attachment is asynchronous).
      await expect
        .poll(
          async () => {
            await state.publish('news', 'back');
            return received.length > 0;
          },
          { timeout: 5_000, interval: 50 },
        )
        .toBe(true);
      await unsubscribe();
      const countAfterUnsubscribe = received.length;
      await state.publish('news', 'ignored');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received.length).toBe(countAfterUnsubscribe);
    } finally {
      await state.close();
      await proxy.stop();
    }
  });
});
