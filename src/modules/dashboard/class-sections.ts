/**
 * What every pupil of a class reads on the 9:00 page, cached per class on each node: today's
 * lessons, the homework due this week (items only: each pupil's own status is read separately),
 * the newest documents, and the class itself (school, pupils, teachers: the pupil section). Thirty pupils of a class loading the dashboard cost one read of each
 * section, not thirty.
 *
 * Entries are forgotten on the domain events that change them (`timetable.changed`,
 * `homework.changed`, `documents.changed`, heard on every node), and expire after a short TTL
 * anyway: a node that missed an event (shared state down) is at most that late. Rosters change
 * with imports, which say nothing yet: they are as late as the TTL (the actor cache is 30 s). Concurrent
 * misses for the same class share one query; an entry forgotten while its query runs is not kept.
 */
import { LRUCache } from 'lru-cache';
import type { Kysely } from 'kysely';
import type { DomainEvent, EventBus } from '../../platform/events.ts';
import type { DB } from '../../platform/db/schema.ts';
import { findNewestDocuments, type NewestDocument } from '../documents/index.ts';
import { findClassHomeworkDue, type ClassHomeworkItem } from '../homework/index.ts';
import { findLessonsOn, type DayLesson } from '../timetable/index.ts';
import { findClassRosterRow, type ClassRosterRow } from './dashboard.store.ts';

export const CLASS_SECTIONS_TTL_MS = 60_000;

type Kind = 'lessons' | 'homework' | 'documents' | 'roster';
type Value = DayLesson[] | ClassHomeworkItem[] | NewestDocument[] | ClassRosterRow | null;

/** Which sections each event makes stale. */
const STALE: Partial<Record<DomainEvent['type'], Kind>> = {
  'timetable.changed': 'lessons',
  'homework.changed': 'homework',
  'documents.changed': 'documents',
};

export class ClassSections {
  private readonly entries: LRUCache<string, Promise<Value>>;
  /** Keys by class, to forget every date and range of a class at once. */
  private readonly keysByClass = new Map<string, Set<string>>();
  /** The classes whose cached roster names a person (pupil or teacher), for `people.changed`. */
  private readonly rostersByPerson = new Map<string, Set<string>>();

  constructor(
    private readonly db: Kysely<DB>,
    options: { ttlMs?: number; max?: number } = {},
  ) {
    this.entries = new LRUCache({
      max: options.max ?? 20_000,
      ttl: options.ttlMs ?? CLASS_SECTIONS_TTL_MS,
      ttlAutopurge: false,
      dispose: (value, key) => this.unindex(key, value),
    });
  }

  /** Subscribes to the events that make entries stale; returns the unsubscribe function. */
  listen(events: EventBus): () => void {
    return events.on((event) => {
      const kind = STALE[event.type];
      if (kind && 'classIds' in event) this.forget(event.classIds, kind);
      // A person's change (their name, their write) may show in the rosters that list them.
      if (event.type === 'people.changed') {
        for (const userId of event.userIds) this.forget([...(this.rostersByPerson.get(userId) ?? [])], 'roster');
      }
      // An import may add pupils or teachers to any class of the school.
      if (event.type === 'roster.changed') this.clear();
    });
  }

  /** The class's lessons on `date` (YYYY-MM-DD, Paris). */
  lessons(classId: string, date: string): Promise<DayLesson[]> {
    return this.get('lessons', classId, date, () => findLessonsOn(this.db, { classIds: [classId], date })) as Promise<DayLesson[]>;
  }

  /** The class's homework items due from `from` to `to` (inclusive). */
  homework(classId: string, from: string, to: string): Promise<ClassHomeworkItem[]> {
    return this.get('homework', classId, `${from}..${to}`, () => findClassHomeworkDue(this.db, { classId, from, to })) as Promise<ClassHomeworkItem[]>;
  }

  /** The class's `limit` newest documents. */
  documents(classId: string, limit: number): Promise<NewestDocument[]> {
    return this.get('documents', classId, String(limit), () => findNewestDocuments(this.db, { classIds: [classId], limit })) as Promise<NewestDocument[]>;
  }

  /** The class or group, its school, pupils and teachers (with subjects); null when it does not exist. */
  roster(classId: string): Promise<ClassRosterRow | null> {
    return this.get('roster', classId, '', async () => {
      const row = await findClassRosterRow(this.db, classId);
      for (const person of row ? [...row.pupils, ...row.teachers] : []) {
        let classes = this.rostersByPerson.get(person.id);
        if (!classes) this.rostersByPerson.set(person.id, (classes = new Set()));
        classes.add(classId);
      }
      return row;
    }) as Promise<ClassRosterRow | null>;
  }

  /** Forgets these classes' entries (of one kind, or all). */
  forget(classIds: readonly string[], kind?: Kind): void {
    for (const classId of classIds) {
      const keys = this.keysByClass.get(classId);
      if (!keys) continue;
      for (const key of [...keys]) if (!kind || key.startsWith(`${kind}|`)) this.entries.delete(key);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private get(kind: Kind, classId: string, variant: string, load: () => Promise<Value>): Promise<Value> {
    const key = `${kind}|${classId}|${variant}`;
    const hit = this.entries.get(key);
    if (hit) return hit;
    const pending = load();
    this.entries.set(key, pending);
    let keys = this.keysByClass.get(classId);
    if (!keys) this.keysByClass.set(classId, (keys = new Set()));
    keys.add(key);
    // A failed read is not kept: the next request tries again.
    pending.catch(() => {
      if (this.entries.peek(key) === pending) this.entries.delete(key);
    });
    return pending;
  }

  private unindex(key: string, value: Promise<Value>): void {
    const [kind, classId = ''] = key.split('|');
    if (kind === 'roster') {
      void value
        .then((row) => {
          if (this.entries.has(key)) return; // read again since: the new roster indexes the same class
          for (const person of row && 'pupils' in row ? [...row.pupils, ...row.teachers] : []) {
            const classes = this.rostersByPerson.get(person.id);
            classes?.delete(classId);
            if (classes?.size === 0) this.rostersByPerson.delete(person.id);
          }
        })
        .catch(() => {});
    }
    const keys = this.keysByClass.get(classId);
    if (!keys) return;
    keys.delete(key);
    if (keys.size === 0) this.keysByClass.delete(classId);
  }
}
