import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../platform/events.ts';
import { createMemoryState } from '../../platform/shared-state/index.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import { DashboardCache } from './dashboard.cache.ts';

describe('DashboardCache: forgotten by the events that change what it shows', () => {
  let state: SharedState;
  let events: EventBus;
  let cache: DashboardCache<string>;
  let builds: Record<string, number>;
  let stop: () => void;

  const load = (userId: string, classIds: string[]) =>
    cache.getOrBuild(userId, classIds, async () => {
      builds[userId] = (builds[userId] ?? 0) + 1;
      return `${userId}#${builds[userId]}`;
    });

  beforeEach(async () => {
    state = createMemoryState();
    events = new EventBus(state);
    await events.start();
    cache = new DashboardCache<string>({ ttlMs: 60_000 });
    stop = cache.listen(events);
    builds = {};
  });
  afterEach(async () => {
    stop();
    await events.stop();
    await state.close();
  });

  it('keeps a dashboard until an event concerns its person or one of their classes', async () => {
    expect(await load('lea', ['6A'])).toBe('lea#1');
    expect(await load('hugo', ['4A'])).toBe('hugo#1');
    expect(await load('sophie', ['6A', '4A'])).toBe('sophie#1');
    expect(await load('lea', ['6A'])).toBe('lea#1');

    // New homework for 6e A: Léa and her mother see it at once, Hugo (4e A) keeps his cached page.
    await events.publish({ type: 'homework.changed', classIds: ['6A'], homeworkId: 'h1', change: 'published' });
    expect(await load('lea', ['6A'])).toBe('lea#2');
    expect(await load('sophie', ['6A', '4A'])).toBe('sophie#2');
    expect(await load('hugo', ['4A'])).toBe('hugo#1');

    // A message to Hugo: only his.
    await events.publish({ type: 'message.received', userIds: ['hugo'], threadId: 't', messageId: 'm' });
    expect(await load('hugo', ['4A'])).toBe('hugo#2');
    expect(await load('lea', ['6A'])).toBe('lea#2');
  });

  it('an event from another node forgets too, and a forgotten person no longer counts as a reader', async () => {
    const other = new EventBus(state);
    await other.start();
    await load('lea', ['6A']);
    await other.publish({ type: 'timetable.changed', classIds: ['6A'] });
    expect(await load('lea', ['6A'])).toBe('lea#2');
    // Léa moved class (her next dashboard says 5B): an event of 6A no longer concerns her entry.
    await other.publish({ type: 'people.changed', userIds: ['lea'] });
    expect(await load('lea', ['5B'])).toBe('lea#3');
    await other.publish({ type: 'documents.changed', classIds: ['6A'] });
    expect(await load('lea', ['5B'])).toBe('lea#3');
    await other.stop();
  });

  it('an import on any node (roster.changed) forgets every dashboard', async () => {
    const other = new EventBus(state);
    await other.start();
    await load('lea', ['6A']);
    await load('hugo', ['4A']);
    await other.publish({ type: 'roster.changed', schoolId: 'college-jaures' });
    expect(await load('lea', ['6A'])).toBe('lea#2');
    expect(await load('hugo', ['4A'])).toBe('hugo#2');
    await other.stop();
  });
});
