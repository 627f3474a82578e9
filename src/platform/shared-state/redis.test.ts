import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedStateUnavailableError } from './errors.ts';
import { createMemoryState } from './memory.ts';
import { createRedisState } from './redis.ts';
import { deleteKeysWithPrefix, startRedisProxy, TEST_REDIS_URL as REDIS_URL } from './redis.test-support.ts';
import { sharedStateContract } from './shared-state.contract.ts';
import type { GcraLimit, SharedState } from './shared-state.ts';

/** Nothing listens here (checked by the tests' own expectations). */
const UNREACHABLE_URL = 'redis://127.0.0.1:6390';
const keyPrefix = `test:shared-state:${randomUUID()}:`;

let raw: Redis;
beforeAll(() => {
  raw = new Redis(REDIS_URL);
});
afterAll(async () => {
  await deleteKeysWithPrefix(raw, keyPrefix);
  await raw.quit();
});

sharedStateContract('redis', () => createRedisState({ url: REDIS_URL, keyPrefix }));

describe('createRedisState', () => {
  it('rejects quickly, naming the URL, when Redis is unreachable', async () => {
    const startedAt = Date.now();
    const creation = createRedisState({ url: UNREACHABLE_URL });
    await expect(creation).rejects.toBeInstanceOf(SharedStateUnavailableError);
    await expect(creation).rejects.toThrow(/Redis at redis:\/\/127\.0\.0\.1:6390 not ready within 2000 ms/);
    expect(Date.now() - startedAt).toBeLessThan(3_000);
  });

  it('never puts the password in the error message', async () => {
    const creation = createRedisState({ url: 'redis://user:s3cret@127.0.0.1:6390', connectTimeoutMs: 300 });
    await expect(creation).rejects.toThrow(/redis:\/\/user:\*\*\*@127\.0\.0\.1:6390/);
    await expect(creation).rejects.not.toThrow(/s3cret/);
  });

  describe('with a live server', () => {
    let state: SharedState;
    beforeAll(async () => {
      state = await createRedisState({ url: REDIS_URL, keyPrefix });
    });
    afterAll(async () => {
      await state.close();
    });

    it('applies keyPrefix to every key', async () => {
      await state.set('prefixed', 'v');
      expect(await raw.get(`${keyPrefix}prefixed`)).toBe('v');
      expect(await raw.exists('prefixed')).toBe(0);
    });

    it('stores one GCRA timestamp per key, expiring when the key is idle again', async () => {
      await state.gcra('gcra-ttl', { count: 1, periodMs: 1_000, burst: 2 }, Date.now());
      expect(await raw.type(`${keyPrefix}gcra-ttl`)).toBe('string');
      const ttlMs = await raw.pttl(`${keyPrefix}gcra-ttl`);
      expect(ttlMs).toBeGreaterThan(900);
      expect(ttlMs).toBeLessThanOrEqual(1_000);
    });

    it('applies keyPrefix to channels', async () => {
      const received: string[] = [];
      const unsubscribe = await state.subscribe('news', (message) => received.push(message));
      await raw.publish('news', 'unprefixed');
      await raw.publish(`${keyPrefix}news`, 'prefixed');
      await expect.poll(() => received).toEqual(['prefixed']);
      await unsubscribe();
    });

    it('makes the same GCRA decisions as memory, bit for bit, with a fractional interval', async () => {
      const memory = createMemoryState();
      const limit: GcraLimit = { count: 3, periodMs: 10_000, burst: 2 };
      let now = 1_700_000_000_000.25;
      for (let step = 0; step < 300; step++) {
        now += (step * 7919) % 4_000;
        const cost = 1 + (step % 3);
        expect(await state.gcra('gcra-fractional', limit, now, cost), `step ${step}`).toEqual(
          await memory.gcra('gcra-fractional', limit, now, cost),
        );
      }
      await memory.close();
    });

    it('passes Redis errors about the call itself through unchanged', async () => {
      await state.set('a-string', 'x');
      await expect(state.hGetAll('a-string')).rejects.toThrow(/WRONGTYPE/);
      await expect(state.hGetAll('a-string')).rejects.not.toBeInstanceOf(SharedStateUnavailableError);
    });
  });

  it('fails fast while the connection is lost, and recovers by itself', async () => {
    const { proxy, url } = await startRedisProxy();
    const state = await createRedisState({ url, keyPrefix });
    try {
      await proxy.stop();
      await expect.poll(() => state.isHealthy()).toBe(false);
      const startedAt = Date.now();
      await expect(state.get('k')).rejects.toBeInstanceOf(SharedStateUnavailableError);
      await expect(state.gcra('k2', { count: 1, periodMs: 1_000, burst: 0 }, 0)).rejects.toBeInstanceOf(SharedStateUnavailableError);
      expect(Date.now() - startedAt).toBeLessThan(500);
      await proxy.start();
      await expect.poll(() => state.isHealthy(), { timeout: 5_000 }).toBe(true);
      await state.set('back', 'yes');
      expect(await state.get('back')).toBe('yes');
    } finally {
      await state.close();
      await proxy.stop();
    }
  });
});
