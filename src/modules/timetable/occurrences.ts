/**
 * From weekly lessons to the occurrences of a date range, with their exceptions applied. Pure:
 * the store reads lessons and exceptions in one query, this turns them into dated instants.
 * An occurrence is named by its lesson and its scheduled date (`<lessonId>_<YYYY-MM-DD>`), which
 * stays its name when it is moved to another day.
 */
import { AppError } from '../../shared/errors.ts';
import type { VirtualKind, WeekParity } from '../../platform/db/tables/timetable.ts';
import { addDays, isoWeekday, parseTime, weekParityOf, zonedInstant } from './zoned-time.ts';

/** The virtual class opens this long before the start. */
export const JOIN_OPENS_BEFORE_MS = 10 * 60_000;

export interface LessonRule {
  id: string;
  weekday: number;
  /** 'HH:MM' (or 'HH:MM:SS') wall-clock times in `timeZone`. */
  startTime: string;
  endTime: string;
  timeZone: string;
  validFrom: string;
  validTo: string;
  weekParity: WeekParity | null;
  room: string;
  virtualKind: VirtualKind | null;
  virtualUrl: string | null;
}

export interface OccurrenceException {
  occursOn: string;
  cancelled: boolean;
  cancelReason: string | null;
  movedOn: string | null;
  movedStart: string | null;
  movedEnd: string | null;
  movedRoom: string | null;
  substituteId: string | null;
  substituteName: string | null;
  virtualKind: VirtualKind | null;
  virtualUrl: string | null;
}

export type OccurrenceStatus = 'scheduled' | 'cancelled' | 'moved';

export interface Occurrence<L extends LessonRule = LessonRule> {
  id: string;
  lesson: L;
  /** The scheduled date (the occurrence's name), even when moved. */
  date: string;
  /** The date it actually takes place. */
  day: string;
  start: number;
  end: number;
  room: string;
  status: OccurrenceStatus;
  exception: OccurrenceException | null;
  /** Where and when it was planned, for a moved occurrence. */
  planned: { start: number; end: number; room: string } | null;
  virtual: { kind: VirtualKind; url: string | null; scope: 'lesson' | 'occurrence' } | null;
  joinOpensAt: number;
}

export const occurrenceIdOf = (lessonId: string, date: string): string => `${lessonId}_${date}`;

const OCCURRENCE_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})_(\d{4}-\d{2}-\d{2})$/i;
export const OCCURRENCE_ID_PATTERN = OCCURRENCE_ID.source;

/** `<lessonId>_<date>` → its parts; VALIDATION when malformed. */
export function parseOccurrenceId(id: string): { lessonId: string; date: string } {
  const m = OCCURRENCE_ID.exec(id);
  if (!m) throw new AppError('VALIDATION', { message: `Identifiant de cours invalide : « ${id} » (attendu : <cours>_<AAAA-MM-JJ>).` });
  return { lessonId: m[1]!.toLowerCase(), date: m[2]! };
}

/** Does the weekly rule put an occurrence on this date? */
export function isScheduledOn(lesson: LessonRule, date: string): boolean {
  return (
    date >= lesson.validFrom &&
    date <= lesson.validTo &&
    isoWeekday(date) === lesson.weekday &&
    (lesson.weekParity === null || weekParityOf(date) === lesson.weekParity)
  );
}

/** One occurrence of `lesson` on its scheduled `date`, with its exception (if any) applied. */
export function buildOccurrence<L extends LessonRule>(lesson: L, date: string, exception: OccurrenceException | null): Occurrence<L> {
  const plannedStart = zonedInstant(date, parseTime(lesson.startTime), lesson.timeZone);
  const plannedEnd = zonedInstant(date, parseTime(lesson.endTime), lesson.timeZone);
  const moved = exception?.movedOn && exception.movedStart && exception.movedEnd ? exception : null;
  const movedRoom = exception?.movedRoom ?? null;
  const start = moved ? zonedInstant(moved.movedOn!, parseTime(moved.movedStart!), lesson.timeZone) : plannedStart;
  const end = moved ? zonedInstant(moved.movedOn!, parseTime(moved.movedEnd!), lesson.timeZone) : plannedEnd;
  const isMoved = moved !== null || (movedRoom !== null && movedRoom !== lesson.room);
  const status: OccurrenceStatus = exception?.cancelled ? 'cancelled' : isMoved ? 'moved' : 'scheduled';
  const virtual = exception?.virtualKind
    ? { kind: exception.virtualKind, url: exception.virtualUrl, scope: 'occurrence' as const }
    : lesson.virtualKind
      ? { kind: lesson.virtualKind, url: lesson.virtualUrl, scope: 'lesson' as const }
      : null;
  return {
    id: occurrenceIdOf(lesson.id, date),
    lesson,
    date,
    day: moved?.movedOn ?? date,
    start,
    end,
    room: movedRoom ?? lesson.room,
    status,
    exception,
    planned: isMoved ? { start: plannedStart, end: plannedEnd, room: lesson.room } : null,
    virtual,
    joinOpensAt: start - JOIN_OPENS_BEFORE_MS,
  };
}

/**
 * The occurrences taking place between `from` and `to` (dates, inclusive): those scheduled in the
 * range and not moved out of it, plus those moved into it from another date. Sorted by start.
 */
export function expandOccurrences<L extends LessonRule & { exceptions: readonly OccurrenceException[] }>(
  lessons: readonly L[],
  from: string,
  to: string,
): Array<Occurrence<L>> {
  const out: Array<Occurrence<L>> = [];
  const inRange = (d: string) => d >= from && d <= to;
  for (const lesson of lessons) {
    const byDate = new Map(lesson.exceptions.map((e) => [e.occursOn, e]));
    const seen = new Set<string>();
    const first = lesson.validFrom > from ? lesson.validFrom : from;
    const last = lesson.validTo < to ? lesson.validTo : to;
    const start = addDays(first, (lesson.weekday - isoWeekday(first) + 7) % 7);
    for (let date = start; first <= last && date <= last; date = addDays(date, 7)) {
      if (!isScheduledOn(lesson, date)) continue;
      seen.add(date);
      const occurrence = buildOccurrence(lesson, date, byDate.get(date) ?? null);
      if (inRange(occurrence.day)) out.push(occurrence);
    }
    for (const exception of lesson.exceptions) {
      if (seen.has(exception.occursOn) || !exception.movedOn || !inRange(exception.movedOn)) continue;
      if (isScheduledOn(lesson, exception.occursOn)) out.push(buildOccurrence(lesson, exception.occursOn, exception));
    }
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end || a.id.localeCompare(b.id));
}
