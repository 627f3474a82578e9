/**
 * The session directory against both shared states (in process, and Redis at TEST_REDIS_URL, as
 * the shared-state contract suite does): the same cases must hold on each.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SharedStateUnavailableError } from '../../platform/shared-state/errors.ts';
import { createMemoryState } from '../../platform/shared-state/memory.ts';
import { createRedisState } from '../../platform/shared-state/redis.ts';
import { deleteKeysWithPrefix, startRedisProxy, TEST_REDIS_URL } from '../../platform/shared-state/redis.test-support.ts';
import { withFallback } from '../../platform/shared-state/resilient.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import { DAY, HOUR, manualClock } from '../../shared/time.ts';
import { DIRECTORY_TTL_MS, SessionDirectory, type SessionEntry } from './session-directory.ts';

const keyPrefix = `test:session-directory:${randomUUID()}:`;

afterAll(async () => {
  const raw = new Redis(TEST_REDIS_URL);
  await deleteKeysWithPrefix(raw, keyPrefix);
  await raw.quit();
});

type Call = { method: string; key: string; ttlMs: number | undefined };

/** Records the TTL of every write, whichever store is underneath. */
function recording(state: SharedState, calls: Call[]): SharedState {
  return {
    ...state,
    kind: state.kind,
    get: (key) => state.get(key),
    set: (key, value, ttlMs) => (calls.push({ method: 'set', key, ttlMs }), state.set(key, value, ttlMs)),
    setIfAbsent: (key, value, ttlMs) => (calls.push({ method: 'setIfAbsent', key, ttlMs }), state.setIfAbsent(key, value, ttlMs)),
    deleteIfHolder: (key, value) => state.deleteIfHolder(key, value),
    isHealthy: () => state.isHealthy(),
    close: () => state.close(),
  };
}

/** A state whose every call fails like an unreachable Redis, until `down` is set to false. */
function failing(state: SharedState, switchable: { down: boolean }): SharedState {
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      switchable.down ? Promise.reject(new SharedStateUnavailableError('down')) : fn(...args);
  return {
    ...state,
    kind: state.kind,
    get: guard((key: string) => state.get(key)),
    set: guard((key: string, value: string, ttlMs?: number) => state.set(key, value, ttlMs)),
    setIfAbsent: guard((key: string, value: string, ttlMs: number) => state.setIfAbsent(key, value, ttlMs)),
    deleteIfHolder: guard((key: string, value: string) => state.deleteIfHolder(key, value)),
    isHealthy: () => !switchable.down,
    close: () => state.close(),
  };
}

const stores: Array<[string, () => Promise<SharedState>]> = [
  ['memory', () => Promise.resolve(createMemoryState())],
  ['redis', () => createRedisState({ url: TEST_REDIS_URL, keyPrefix })],
];

describe.each(stores)('SessionDirectory on %s', (_kind, make) => {
  let state: SharedState;
  let calls: Call[];
  let clock: ReturnType<typeof manualClock>;
  let directory: SessionDirectory;
  const entry = (over: Partial<SessionEntry> = {}): SessionEntry => ({
    userId: randomUUID(),
    expiresAt: clock.now() + 30 * DAY,
    remember: true,
    lastSeenAt: clock.now(),
    ...over,
  });
  /** The live entry the directory holds for `id` (a test fails if it holds none). */
  const found = async (id: string) => {
    const f = await directory.lookup(id);
    if (!f || f === 'revoked') throw new Error('expected an entry');
    return f;
  };

  beforeEach(async () => {
    state = await make();
    calls = [];
    clock = manualClock(Date.now());
    directory = new SessionDirectory(recording(state, calls), clock);
  });
  afterEach(async () => {
    directory.stop();
    await state.close();
  });

  it('answers null for a session it does not know', async () => {
    expect(await directory.lookup(randomUUID())).toBeNull();
  });

  it('answers a remembered session with what a resume needs', async () => {
    const id = randomUUID();
    const e = entry();
    await directory.remember(id, e);
    expect(await directory.lookup(id)).toMatchObject(e);
  });

  it('answers revoked after revoke, and a later remember does not bring the session back', async () => {
    const id = randomUUID();
    await directory.remember(id, entry());
    await directory.revoke([id]);
    expect(await directory.lookup(id)).toBe('revoked');
    await directory.remember(id, entry()); // a resume that read the row just before the revocation
    expect(await directory.lookup(id)).toBe('revoked');
    expect(directory.unwrittenCount()).toBe(0);
  });

  it('replaces the entry after a touch, but never over a tombstone written meanwhile', async () => {
    const id = randomUUID();
    const e = entry({ lastSeenAt: clock.now() - 2 * HOUR });
    await directory.remember(id, e);
    // Without a race: the touched entry replaces the old one.
    await directory.replace(id, await found(id), { ...e, lastSeenAt: clock.now() });
    expect(await directory.lookup(id)).toMatchObject({ lastSeenAt: clock.now() });

    const before = await found(id);
    // The database update is done; the session is revoked before the entry is replaced.
    await directory.revoke([id]);
    await directory.replace(id, before, { ...e, lastSeenAt: clock.now() + HOUR });
    expect(await directory.lookup(id)).toBe('revoked');
  });

  it('keeps a newer entry when another node replaced it first', async () => {
    const id = randomUUID();
    const e = entry({ lastSeenAt: clock.now() - 2 * HOUR });
    await directory.remember(id, e);
    const read = await found(id);
    const other = new SessionDirectory(state, clock);
    await other.replace(id, read, { ...e, lastSeenAt: clock.now() - 1 });
    await directory.replace(id, read, { ...e, lastSeenAt: clock.now() });
    expect(await directory.lookup(id)).toMatchObject({ lastSeenAt: clock.now() - 1 });
  });

  it('keeps an entry no longer than 36 hours, nor past its session', async () => {
    const soon = randomUUID();
    const later = randomUUID();
    await directory.remember(soon, entry({ expiresAt: clock.now() + 2 * HOUR }));
    await directory.remember(later, entry({ expiresAt: clock.now() + 30 * DAY }));
    await directory.revoke([randomUUID()]);
    const ttl = (key: string) => calls.find((c) => c.key === key)?.ttlMs;
    expect(ttl(`sess:${soon}`)).toBe(2 * HOUR);
    expect(ttl(`sess:${later}`)).toBe(DIRECTORY_TTL_MS);
    expect(DIRECTORY_TTL_MS).toBe(36 * HOUR);
    for (const c of calls) expect(c.ttlMs).toBeLessThanOrEqual(DIRECTORY_TTL_MS);
    // An expired session is not written at all.
    const gone = randomUUID();
    await directory.remember(gone, entry({ expiresAt: clock.now() - 1 }));
    expect(calls.some((c) => c.key === `sess:${gone}`)).toBe(false);
    if (state.kind === 'redis') {
      const raw = new Redis(TEST_REDIS_URL);
      const pttl = await raw.pttl(`${keyPrefix}sess:${soon}`);
      await raw.quit();
      expect(pttl).toBeGreaterThan(2 * HOUR - 60_000);
      expect(pttl).toBeLessThanOrEqual(2 * HOUR);
    }
  });

  it('treats unreadable text as a miss', async () => {
    const id = randomUUID();
    await state.set(`sess:${id}`, '{"userId":42}', HOUR);
    expect(await directory.lookup(id)).toBeNull();
  });

  it('never throws when the store fails: a miss, and a tombstone kept until the store is back', async () => {
    const switchable = { down: false };
    const flaky = new SessionDirectory(failing(state, switchable), clock);
    try {
      const id = randomUUID();
      await flaky.remember(id, entry());
      switchable.down = true;
      expect(await flaky.lookup(id)).toBeNull(); // the database answers
      await expect(flaky.remember(randomUUID(), entry())).resolves.toBeUndefined();
      await expect(flaky.replace(id, { ...entry(), raw: 'x' }, entry())).resolves.toBeUndefined();
      await flaky.revoke([id]);
      expect(flaky.unwrittenCount()).toBe(1);
      expect(await flaky.lookup(id)).toBe('revoked'); // on this node, at once
      expect(await new SessionDirectory(state, clock).lookup(id)).toMatchObject({ remember: true }); // not yet elsewhere
      switchable.down = false;
      await expect.poll(() => flaky.unwrittenCount(), { timeout: 5_000 }).toBe(0);
      expect(await new SessionDirectory(state, clock).lookup(id)).toBe('revoked');
    } finally {
      flaky.stop();
    }
  });

  it("trusts nothing while on a per-node fallback: other nodes' tombstones are not there", async () => {
    const fallback = createMemoryState();
    // The shape of resilient.ts's state: a call made while the primary is down goes to `fallback`
    // and says so from then on, until the health check sees the primary back.
    const flags = { primaryDown: false, usingFallback: false };
    const pick = (): SharedState => {
      flags.usingFallback = flags.primaryDown;
      return flags.primaryDown ? fallback : state;
    };
    const resilient = {
      ...state,
      get: (key: string) => pick().get(key),
      set: (key: string, value: string, ttlMs?: number) => pick().set(key, value, ttlMs),
      setIfAbsent: (key: string, value: string, ttlMs: number) => pick().setIfAbsent(key, value, ttlMs),
      deleteIfHolder: (key: string, value: string) => pick().deleteIfHolder(key, value),
      isUsingFallback: () => flags.usingFallback,
    } satisfies SharedState & { isUsingFallback(): boolean };
    const node = new SessionDirectory(resilient, clock);
    try {
      const id = randomUUID();
      await fallback.set(`sess:${id}`, JSON.stringify(entry()), HOUR);
      flags.primaryDown = true; // not noticed yet: the lookup itself lands on the fallback
      expect(await node.lookup(id)).toBeNull();
      expect(flags.usingFallback).toBe(true);
      await node.remember(randomUUID(), entry());
      expect(fallback.storedKeyCount()).toBe(1); // nothing written there
      flags.usingFallback = false; // again not noticed yet: the tombstone lands on the fallback
      await node.revoke([id]);
      expect(node.unwrittenCount()).toBe(1);
      expect(await node.lookup(id)).toBe('revoked');
      flags.primaryDown = false;
      flags.usingFallback = false; // the health check
      await expect.poll(() => node.unwrittenCount(), { timeout: 5_000 }).toBe(0);
      expect(await new SessionDirectory(state, clock).lookup(id)).toBe('revoked');
    } finally {
      node.stop();
      await fallback.close();
    }
  });
});

describe('SessionDirectory on Redis behind resilient.ts', () => {
  it('writes a tombstone revoked during an outage once Redis is back, and reads the database meanwhile', async () => {
    const { proxy, url } = await startRedisProxy();
    const state = withFallback(await createRedisState({ url, keyPrefix }), createMemoryState(), undefined, { healthCheckIntervalMs: 50 });
    const clock = manualClock(Date.now());
    const node = new SessionDirectory(state, clock);
    const elsewhere = await createRedisState({ url: TEST_REDIS_URL, keyPrefix });
    try {
      const id = randomUUID();
      await node.remember(id, { userId: randomUUID(), expiresAt: clock.now() + DAY, remember: true, lastSeenAt: clock.now() });
      expect(await node.lookup(id)).toMatchObject({ remember: true });
      await proxy.stop();
      await expect.poll(() => state.isUsingFallback()).toBe(true);
      expect(await node.lookup(randomUUID())).toBeNull();
      await node.revoke([id]);
      expect(node.unwrittenCount()).toBe(1);
      expect(await new SessionDirectory(elsewhere, clock).lookup(id)).not.toBe('revoked'); // Redis has not heard yet
      await proxy.start();
      await expect.poll(() => node.unwrittenCount(), { timeout: 10_000 }).toBe(0);
      expect(await new SessionDirectory(elsewhere, clock).lookup(id)).toBe('revoked');
    } finally {
      node.stop();
      await state.close();
      await elsewhere.close();
      await proxy.stop();
    }
  });
});
