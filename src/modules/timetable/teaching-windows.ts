/**
 * Who teaches when on a date, platform-wide: the front door's priority lane ("a teacher whose
 * lesson starts within 15 minutes goes ahead") keeps these in memory on every node. One query for
 * the whole platform (lessons of that weekday valid on the date, plus those moved onto it, with
 * the date's exceptions), expanded like any timetable; cancelled occurrences are left out and a
 * substitute teaches in the planned teacher's place.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { expandOccurrences, type LessonRule, type OccurrenceException } from './occurrences.ts';
import { isoWeekday, parseDate } from './zoned-time.ts';

/** One occurrence as the priority lane needs it: who, and from when to when (ms). */
export interface TeachingWindow {
  teacherId: string;
  start: number;
  end: number;
}

interface Row extends LessonRule {
  teacherId: string;
  exceptions: OccurrenceException[];
}

/** The occurrences taking place on `date` (YYYY-MM-DD, school time), by teacher. */
export async function findTeachingWindowsOn(db: Kysely<DB>, date: string): Promise<TeachingWindow[]> {
  parseDate(date);
  const { rows } = await sql<Row>`
    SELECT l.id, l.teacher_id AS "teacherId", l.room, l.weekday,
      to_char(l.starts_at, 'HH24:MI') AS "startTime", to_char(l.ends_at, 'HH24:MI') AS "endTime",
      l.time_zone AS "timeZone", l.valid_from AS "validFrom", l.valid_to AS "validTo", l.week_parity AS "weekParity",
      l.virtual_kind AS "virtualKind", l.virtual_url AS "virtualUrl",
      coalesce((SELECT json_agg(json_build_object(
                  'occursOn', e.occurs_on, 'cancelled', e.cancelled, 'cancelReason', e.cancel_reason,
                  'movedOn', e.moved_on, 'movedStart', to_char(e.moved_start, 'HH24:MI'), 'movedEnd', to_char(e.moved_end, 'HH24:MI'),
                  'movedRoom', e.moved_room, 'substituteId', e.substitute_id, 'substituteName', NULL,
                  'virtualKind', e.virtual_kind, 'virtualUrl', e.virtual_url))
                FROM timetable_exceptions e
                WHERE e.lesson_id = l.id AND (e.occurs_on = ${date}::date OR e.moved_on = ${date}::date)), '[]') AS exceptions
    FROM timetable_lessons l
    WHERE (l.weekday = ${isoWeekday(date)} AND l.valid_from <= ${date}::date AND l.valid_to >= ${date}::date)
       OR EXISTS (SELECT 1 FROM timetable_exceptions x WHERE x.lesson_id = l.id AND x.moved_on = ${date}::date)`.execute(db);
  return expandOccurrences(
    rows.map((r) => ({ ...r, validFrom: asDate(r.validFrom), validTo: asDate(r.validTo), exceptions: r.exceptions.map(normaliseException) })),
    date,
    date,
  )
    .filter((o) => o.status !== 'cancelled')
    .map((o) => ({ teacherId: o.exception?.substituteId ?? o.lesson.teacherId, start: o.start, end: o.end }));
}

/** `date` columns come back as strings from PostgreSQL here; PGlite may hand over a Date. */
function asDate(value: unknown): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}

function normaliseException(e: OccurrenceException): OccurrenceException {
  return { ...e, occursOn: asDate(e.occursOn), movedOn: e.movedOn === null ? null : asDate(e.movedOn) };
}
