/**
 * Today's lessons for the dashboard, for many classes at once (a pupil's, a parent's children's)
 * and optionally a teacher: one query whatever their number. The caller has already decided
 * whose classes the person may see.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { VirtualKind } from '../../platform/db/tables/timetable.ts';
import { expandOccurrences, type OccurrenceStatus } from './occurrences.ts';
import { inScope } from './timetable.service.ts';
import { findLessonRows } from './timetable.store.ts';
import { parseDate } from './zoned-time.ts';

export interface DayLesson {
  occurrenceId: string;
  lessonId: string;
  classId: string;
  className: string;
  /** Subject label, e.g. « Mathématiques ». */
  subject: string;
  subjectCode: string;
  /** The substitute's name when there is one. */
  teacherName: string;
  room: string;
  /** ISO instants. */
  start: string;
  end: string;
  status: OccurrenceStatus;
  virtual: { kind: VirtualKind } | null;
  /** « Rejoindre » opens then (10 minutes before the start). */
  joinOpensAt: string;
}

/** The lessons taking place on `date` (YYYY-MM-DD, Europe/Paris) in these classes or taught by `teacherId`, by start time. */
export async function findLessonsOn(db: Kysely<DB>, input: { classIds: readonly string[]; teacherId?: string; date: string }): Promise<DayLesson[]> {
  parseDate(input.date);
  const classIds = new Set(input.classIds);
  const teacherIds = input.teacherId ? [input.teacherId] : [];
  const rows = await findLessonRows(db, { classIds: [...classIds], teacherIds }, input.date, input.date);
  return expandOccurrences(rows, input.date, input.date)
    .filter((o) => inScope(o, classIds, new Set(teacherIds)))
    .map((o) => ({
      occurrenceId: o.id,
      lessonId: o.lesson.id,
      classId: o.lesson.classId,
      className: o.lesson.className,
      subject: o.lesson.subjectLabel,
      subjectCode: o.lesson.subjectCode,
      teacherName: o.exception?.substituteName ?? o.lesson.teacherName,
      room: o.room,
      start: new Date(o.start).toISOString(),
      end: new Date(o.end).toISOString(),
      status: o.status,
      virtual: o.virtual && o.status !== 'cancelled' ? { kind: o.virtual.kind } : null,
      joinOpensAt: new Date(o.joinOpensAt).toISOString(),
    }));
}
