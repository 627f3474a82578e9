/**
 * « Votre cours commence bientôt »: one node at a time (a lease in the shared state) looks, every
 * ~45 s, for the occurrences starting within the next 10 minutes, with the timetable's own
 * occurrence logic (weekly rules, week parity, moved and cancelled occurrences), and publishes
 * `lesson.starting` once per occurrence (a dedupe key with a TTL, so a new leader after a node's
 * death does not say it twice). Two queries per look, whatever the number of schools.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { EventPublisher } from '../../platform/events.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import { MINUTE, parisDate, type Clock } from '../../shared/time.ts';
import { expandOccurrences } from './occurrences.ts';
import { findLessonRows } from './timetable.store.ts';
import { isoWeekday } from './zoned-time.ts';

/** How far ahead a lesson counts as « starting soon » (the virtual class opens then too). */
export const STARTING_WITHIN_MS = 10 * MINUTE;
const LEASE_KEY = 'live:lesson-starting:leader';
const SAID_PREFIX = 'live:lesson-starting:said:';

export interface LessonStartingDeps {
  db: Kysely<DB>;
  state: SharedState;
  clock: Clock;
  events: EventPublisher;
}

export interface LessonStartingOptions {
  /** Between two looks (default 45 s; the lease lasts three of them). */
  intervalMs?: number;
  /** Run on a timer (default true; tests call `tick()` with a manual clock). */
  timers?: boolean;
  /** This node's name in the lease (default random). */
  nodeId?: string;
}

export class LessonStartingWatch {
  private readonly nodeId: string;
  private readonly intervalMs: number;
  private holding = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly deps: LessonStartingDeps,
    private readonly options: LessonStartingOptions = {},
  ) {
    this.nodeId = options.nodeId ?? randomUUID();
    this.intervalMs = options.intervalMs ?? 45_000;
  }

  start(): void {
    if (this.options.timers === false || this.timer) return;
    this.timer = setInterval(() => {
      // One look at a time: a slow database never piles looks up.
      this.running ??= this.tick()
        .catch(() => 0)
        .finally(() => {
          this.running = null;
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    if (this.holding) await this.deps.state.deleteIfHolder(LEASE_KEY, this.nodeId).catch(() => false);
    this.holding = false;
  }

  /** Takes or keeps the lease, then (as the leader) announces the lessons starting soon. Returns how many were announced. */
  async tick(): Promise<number> {
    const { state } = this.deps;
    const leaseMs = this.intervalMs * 3;
    this.holding = this.holding
      ? await state.renewIfHolder(LEASE_KEY, this.nodeId, leaseMs)
      : await state.setIfAbsent(LEASE_KEY, this.nodeId, leaseMs);
    if (!this.holding) return 0;
    let said = 0;
    for (const o of await findOccurrencesStarting(this.deps.db, this.deps.clock.now(), STARTING_WITHIN_MS)) {
      if (!(await state.setIfAbsent(`${SAID_PREFIX}${o.occurrenceId}`, '1', 2 * STARTING_WITHIN_MS + this.intervalMs))) continue;
      await this.deps.events.publish({ type: 'lesson.starting', ...o });
      said++;
    }
    return said;
  }
}

export interface StartingOccurrence {
  occurrenceId: string;
  lessonId: string;
  classIds: string[];
  /** The teacher giving it (the substitute when there is one). */
  userIds: string[];
  startsAt: string;
  subject: string;
  virtual: boolean;
}

/** Occurrences (not cancelled) starting in `(now, now + withinMs]`, across every school. */
export async function findOccurrencesStarting(db: Kysely<DB>, now: number, withinMs: number): Promise<StartingOccurrence[]> {
  const dates = [...new Set([parisDate(now), parisDate(now + withinMs)])];
  const out: StartingOccurrence[] = [];
  for (const date of dates) {
    // The classes with a lesson that day (by its weekly rule, or moved to that day); then the
    // timetable's own query and expansion decide exactly which occurrences take place.
    const { rows } = await sql<{ class_id: string }>`
      SELECT DISTINCT l.class_id FROM timetable_lessons l
      WHERE (l.weekday = ${isoWeekday(date)} AND l.valid_from <= ${date}::date AND l.valid_to >= ${date}::date)
         OR EXISTS (SELECT 1 FROM timetable_exceptions x WHERE x.lesson_id = l.id AND x.moved_on = ${date}::date)`.execute(db);
    if (rows.length === 0) continue;
    const lessons = await findLessonRows(db, { classIds: rows.map((r) => r.class_id) }, date, date);
    for (const o of expandOccurrences(lessons, date, date)) {
      if (o.status === 'cancelled' || o.start <= now || o.start > now + withinMs) continue;
      out.push({
        occurrenceId: o.id,
        lessonId: o.lesson.id,
        classIds: [o.lesson.classId],
        userIds: [o.exception?.substituteId ?? o.lesson.teacherId],
        startsAt: new Date(o.start).toISOString(),
        subject: o.lesson.subjectLabel,
        virtual: o.virtual !== null,
      });
    }
  }
  return out;
}
