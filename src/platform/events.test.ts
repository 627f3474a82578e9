import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus, type EventMeta, type DomainEvent } from './events.ts';
import { createMemoryState } from './shared-state/memory.ts';
import { createRedisState } from './shared-state/redis.ts';
import { deleteKeysWithPrefix, TEST_REDIS_URL } from './shared-state/redis.test-support.ts';
import type { SharedState } from './shared-state/shared-state.ts';

const keyPrefix = `test:events:${randomUUID()}:`;
const homework: DomainEvent = { type: 'homework.changed', classIds: ['c1'], homeworkId: 'h1', change: 'published' };

function collect(bus: EventBus): Array<{ event: DomainEvent; meta: EventMeta }> {
  const seen: Array<{ event: DomainEvent; meta: EventMeta }> = [];
  bus.on((event, meta) => seen.push({ event, meta }));
  return seen;
}

describe('EventBus over Redis', () => {
  let state: SharedState;
  let a: EventBus;
  let b: EventBus;
  beforeAll(async () => {
    state = await createRedisState({ url: TEST_REDIS_URL, keyPrefix });
    a = new EventBus(state);
    b = new EventBus(state);
    await a.start();
    await b.start();
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
    await state.close();
    const raw = new Redis(TEST_REDIS_URL);
    await deleteKeysWithPrefix(raw, keyPrefix);
    await raw.quit();
  });

  it('delivers an event published on one bus to the other exactly once, with the same id, and ignores its own echo', async () => {
    const onA = collect(a);
    const onB = collect(b);
    await a.publish(homework);
    // Here at once, before the round trip through Redis.
    expect(onA.map((s) => s.event)).toEqual([homework]);
    await expect.poll(() => onB.length).toBe(1);
    // A second event from B proves A's echo of the first has come back and been ignored (one channel, in order).
    const marker: DomainEvent = { type: 'timetable.changed', classIds: ['c2'] };
    await b.publish(marker);
    await expect.poll(() => onA.length).toBe(2);
    expect(onA.map((s) => s.event)).toEqual([homework, marker]);
    expect(onB.map((s) => s.event)).toEqual([homework, marker]);
    expect(onB[0]!.meta.id).toBe(onA[0]!.meta.id);
    expect(onB[0]!.meta.id).toMatch(/^[0-9a-z]+-[0-9a-f]{8}$/);
  });

  it('keeps delivering to the other handlers when one throws', async () => {
    const seen: string[] = [];
    const off1 = a.on(() => {
      throw new Error('bug in a consumer');
    });
    const off2 = a.on((event) => seen.push(event.type));
    await a.publish({ type: 'documents.changed', classIds: ['c3'] });
    expect(seen).toEqual(['documents.changed']);
    off1();
    off2();
  });
});

describe('EventBus in process', () => {
  it('delivers once on the publishing node, even though the memory pub/sub echoes it back', async () => {
    const state = createMemoryState();
    const bus = new EventBus(state);
    await bus.start();
    const seen = collect(bus);
    await bus.publish(homework);
    await bus.publish({ type: 'people.changed', userIds: ['u1'] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.map((s) => s.event.type)).toEqual(['homework.changed', 'people.changed']);
    await bus.stop();
    await state.close();
  });
});
