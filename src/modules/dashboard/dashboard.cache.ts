/**
 * A few seconds of memory per person for the dashboard, kept as the JSON sent: a pupil who reloads
 * at 9:00, or whose page polls, costs one build (and one serialisation) every few seconds, not one
 * per request; concurrent requests of the same person share one build. A person's own change (any
 * POST, PUT, PATCH or DELETE they make) is published as `people.changed` and forgets their entry
 * on every node, so they always see it. Other people's changes show at once too: an event about
 * a class (homework, lessons, documents) forgets the dashboards of the people who read that class,
 * and an event naming people (a message, a hand-in, a review, a lesson starting) forgets theirs —
 * so a page refreshed by a live update never gets the dashboard from before the change.
 */
import { LRUCache } from 'lru-cache';
import type { EventBus } from '../../platform/events.ts';
import type { EncodedBody } from '../../platform/http/encoded-body.ts';

export const DASHBOARD_TTL_MS = 5_000;

/** `T`: what is kept per person (the route keeps the JSON with its compressed forms). */
export class DashboardCache<T extends object | string = EncodedBody> {
  private readonly entries: LRUCache<string, Promise<T>>;
  /** Class → the people whose cached dashboard shows it; person → their classes (to unlink). */
  private readonly readersOf = new Map<string, Set<string>>();
  private readonly classesOf = new Map<string, readonly string[]>();

  constructor(options: { ttlMs?: number; max?: number } = {}) {
    this.entries = new LRUCache({
      max: options.max ?? 100_000,
      ttl: options.ttlMs ?? DASHBOARD_TTL_MS,
      ttlAutopurge: false,
      dispose: (_value, userId) => this.unlink(userId),
    });
  }

  /**
   * The person's serialised dashboard: from memory, from a build under way, or built now.
   * `classIds`: the classes it shows (taught, enrolled, children's), forgotten with them.
   */
  getOrBuild(userId: string, classIds: Iterable<string>, build: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(userId);
    if (hit) return hit;
    const pending = build();
    this.entries.set(userId, pending);
    const classes = [...new Set(classIds)];
    this.classesOf.set(userId, classes);
    for (const classId of classes) {
      let readers = this.readersOf.get(classId);
      if (!readers) this.readersOf.set(classId, (readers = new Set()));
      readers.add(userId);
    }
    // A failed build is not kept: the next request tries again.
    pending.catch(() => {
      if (this.entries.peek(userId) === pending) this.entries.delete(userId);
    });
    return pending;
  }

  forget(userId: string): void {
    this.entries.delete(userId);
  }

  /** Forgets the dashboards that show any of these classes. */
  forgetClasses(classIds: Iterable<string>): void {
    for (const classId of classIds) {
      const readers = this.readersOf.get(classId);
      if (readers) for (const userId of [...readers]) this.forget(userId);
    }
  }

  /** Forgets on every event, whichever node published it: the people it names, the classes it is about. */
  listen(events: EventBus): () => void {
    return events.on((event) => {
      if ('userIds' in event) for (const userId of event.userIds) this.forget(userId);
      if ('classIds' in event) this.forgetClasses(event.classIds);
      if (event.type === 'roster.changed') this.entries.clear();
    });
  }

  private unlink(userId: string): void {
    const classes = this.classesOf.get(userId);
    if (!classes) return;
    this.classesOf.delete(userId);
    for (const classId of classes) {
      const readers = this.readersOf.get(classId);
      readers?.delete(userId);
      if (readers?.size === 0) this.readersOf.delete(classId);
    }
  }
}
