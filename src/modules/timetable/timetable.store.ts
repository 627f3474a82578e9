/**
 * The timetable's SQL for lessons and occurrences. Reading a timetable (a week, a day for the
 * dashboard, ten weeks for a calendar feed) is one query whatever the number of classes: lessons
 * with their exceptions for the range aggregated in PostgreSQL, then expanded in TypeScript
 * (occurrences.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { VirtualKind, WeekParity } from '../../platform/db/tables/timetable.ts';
import type { LessonRule, OccurrenceException } from './occurrences.ts';

export interface LessonRow extends LessonRule {
  schoolId: string;
  classId: string;
  className: string;
  subjectCode: string;
  subjectLabel: string;
  teacherId: string;
  teacherName: string;
  exceptions: OccurrenceException[];
}

export interface LessonScope {
  classIds?: readonly string[];
  /** Lessons these people teach, or substitute for in the range. */
  teacherIds?: readonly string[];
  lessonIds?: readonly string[];
}

/** Lessons of the scope that may have occurrences between `from` and `to`, with the range's exceptions. */
export async function findLessonRows(db: Kysely<DB>, scope: LessonScope, from: string, to: string): Promise<LessonRow[]> {
  const classIds = [...(scope.classIds ?? [])];
  const teacherIds = [...(scope.teacherIds ?? [])];
  const lessonIds = [...(scope.lessonIds ?? [])];
  if (classIds.length + teacherIds.length + lessonIds.length === 0) return [];
  const inRange = (alias: string) =>
    sql`(${sql.ref(`${alias}.occurs_on`)} BETWEEN ${from}::date AND ${to}::date OR ${sql.ref(`${alias}.moved_on`)} BETWEEN ${from}::date AND ${to}::date)`;
  const { rows } = await sql<LessonRow>`
    SELECT l.id, l.school_id AS "schoolId", l.class_id AS "classId", c.name AS "className",
      l.subject_code AS "subjectCode", sj.label AS "subjectLabel",
      l.teacher_id AS "teacherId", t.first_name || ' ' || t.last_name AS "teacherName",
      l.room, l.weekday, to_char(l.starts_at, 'HH24:MI') AS "startTime", to_char(l.ends_at, 'HH24:MI') AS "endTime",
      l.time_zone AS "timeZone", l.valid_from AS "validFrom", l.valid_to AS "validTo", l.week_parity AS "weekParity",
      l.virtual_kind AS "virtualKind", l.virtual_url AS "virtualUrl",
      coalesce((SELECT json_agg(json_build_object(
                  'occursOn', e.occurs_on, 'cancelled', e.cancelled, 'cancelReason', e.cancel_reason,
                  'movedOn', e.moved_on, 'movedStart', to_char(e.moved_start, 'HH24:MI'), 'movedEnd', to_char(e.moved_end, 'HH24:MI'),
                  'movedRoom', e.moved_room, 'substituteId', e.substitute_id,
                  'substituteName', s.first_name || ' ' || s.last_name,
                  'virtualKind', e.virtual_kind, 'virtualUrl', e.virtual_url))
                FROM timetable_exceptions e LEFT JOIN users s ON s.id = e.substitute_id
                WHERE e.lesson_id = l.id AND ${inRange('e')}), '[]') AS exceptions
    FROM timetable_lessons l
    JOIN classes c ON c.id = l.class_id
    JOIN subjects sj ON sj.code = l.subject_code
    JOIN users t ON t.id = l.teacher_id
    WHERE (l.class_id = ANY(${classIds}::uuid[]) OR l.teacher_id = ANY(${teacherIds}::uuid[]) OR l.id = ANY(${lessonIds}::uuid[])
           OR EXISTS (SELECT 1 FROM timetable_exceptions x
                      WHERE x.lesson_id = l.id AND x.substitute_id = ANY(${teacherIds}::uuid[]) AND ${inRange('x')}))
      AND ((l.valid_from <= ${to}::date AND l.valid_to >= ${from}::date)
           OR EXISTS (SELECT 1 FROM timetable_exceptions x
                      WHERE x.lesson_id = l.id AND x.moved_on BETWEEN ${from}::date AND ${to}::date))`.execute(db);
  return rows;
}

export interface LessonHead {
  id: string;
  schoolId: string;
  classId: string;
  teacherId: string;
}

/** Who a lesson belongs to (for authorization), or null. */
export async function findLessonHead(db: Kysely<DB>, lessonId: string): Promise<LessonHead | null> {
  const row = await db
    .selectFrom('timetable_lessons')
    .select(['id', 'school_id as schoolId', 'class_id as classId', 'teacher_id as teacherId'])
    .where('id', '=', lessonId)
    .executeTakeFirst();
  return row ?? null;
}

export async function findLessonRecord(db: Kysely<DB>, lessonId: string) {
  return db.selectFrom('timetable_lessons').selectAll().where('id', '=', lessonId).executeTakeFirstOrThrow();
}

export interface LessonValues {
  schoolId: string;
  classId: string;
  subjectCode: string;
  teacherId: string;
  room: string;
  weekday: number;
  startTime: string;
  endTime: string;
  validFrom: string;
  validTo: string;
  weekParity: WeekParity | null;
}

/** The columns a lesson's form writes. */
const lessonColumns = (v: LessonValues) => ({
  class_id: v.classId,
  subject_code: v.subjectCode,
  teacher_id: v.teacherId,
  room: v.room,
  weekday: v.weekday,
  starts_at: v.startTime,
  ends_at: v.endTime,
  valid_from: v.validFrom,
  valid_to: v.validTo,
  week_parity: v.weekParity,
});

export async function insertLesson(db: Kysely<DB>, v: LessonValues): Promise<string> {
  const row = await db
    .insertInto('timetable_lessons')
    .values({ school_id: v.schoolId, ...lessonColumns(v) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateLesson(db: Kysely<DB>, lessonId: string, v: LessonValues): Promise<void> {
  await db
    .updateTable('timetable_lessons')
    .set({ ...lessonColumns(v), updated_at: sql<Date>`now()` })
    .where('id', '=', lessonId)
    .execute();
}

export async function deleteLesson(db: Kysely<DB>, lessonId: string): Promise<void> {
  await db.deleteFrom('timetable_lessons').where('id', '=', lessonId).execute();
}

export interface Conflict {
  id: string;
  className: string;
  teacherName: string;
  subjectLabel: string;
  startTime: string;
  endTime: string;
  sameTeacher: boolean;
}

/** Lessons of the same class or teacher that overlap `v` (same weekday and weeks, crossing times). */
export async function findConflicts(db: Kysely<DB>, v: LessonValues, exceptLessonId: string | null): Promise<Conflict[]> {
  const { rows } = await sql<Conflict>`
    SELECT l.id, c.name AS "className", t.first_name || ' ' || t.last_name AS "teacherName", sj.label AS "subjectLabel",
      to_char(l.starts_at, 'HH24:MI') AS "startTime", to_char(l.ends_at, 'HH24:MI') AS "endTime",
      l.teacher_id = ${v.teacherId} AS "sameTeacher"
    FROM timetable_lessons l
    JOIN classes c ON c.id = l.class_id JOIN users t ON t.id = l.teacher_id JOIN subjects sj ON sj.code = l.subject_code
    WHERE (l.class_id = ${v.classId} OR l.teacher_id = ${v.teacherId})
      AND l.weekday = ${v.weekday}
      AND l.starts_at < ${v.endTime}::time AND l.ends_at > ${v.startTime}::time
      AND l.valid_from <= ${v.validTo}::date AND l.valid_to >= ${v.validFrom}::date
      AND (l.week_parity IS NULL OR ${v.weekParity}::text IS NULL OR l.week_parity = ${v.weekParity}::text)
      AND l.id <> coalesce(${exceptLessonId}::uuid, '00000000-0000-0000-0000-000000000000'::uuid)
    ORDER BY l.starts_at
    LIMIT 5`.execute(db);
  return rows;
}

export interface ClassRef {
  id: string;
  schoolId: string;
  name: string;
}

export async function findClass(db: Kysely<DB>, classId: string): Promise<ClassRef | null> {
  const row = await db.selectFrom('classes').select(['id', 'school_id as schoolId', 'name']).where('id', '=', classId).executeTakeFirst();
  return row ?? null;
}

/** Is this person a teacher of that school? */
export async function isTeacherOfSchool(db: Kysely<DB>, userId: string, schoolId: string): Promise<boolean> {
  const row = await db
    .selectFrom('role_assignments')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('school_id', '=', schoolId)
    .where('role', '=', 'teacher')
    .executeTakeFirst();
  return row !== undefined;
}

export async function subjectExists(db: Kysely<DB>, code: string): Promise<boolean> {
  return (await db.selectFrom('subjects').select('code').where('code', '=', code).executeTakeFirst()) !== undefined;
}

/** The classes and groups of a pupil, with their school. */
export async function findPupilClasses(db: Kysely<DB>, pupilId: string): Promise<{ schoolId: string | null; classIds: string[] }> {
  const { rows } = await sql<{ schoolId: string | null; classIds: string[] }>`
    SELECT (SELECT school_id FROM role_assignments WHERE user_id = ${pupilId} AND role = 'pupil' LIMIT 1) AS "schoolId",
      coalesce((SELECT array_agg(class_id) FROM class_members WHERE pupil_id = ${pupilId}), '{}') AS "classIds"`.execute(db);
  return rows[0] ?? { schoolId: null, classIds: [] };
}

export interface ExceptionPatch {
  cancelled?: boolean;
  cancelReason?: string | null;
  move?: { date: string; startTime: string; endTime: string; room: string | null } | null;
  substituteId?: string | null;
  virtual?: { kind: VirtualKind; url: string | null } | null;
}

/**
 * Changes one occurrence's exception (creating it when needed) in one statement, then removes
 * the row if nothing differs from the weekly rule any more.
 */
export async function patchException(db: Kysely<DB>, lessonId: string, date: string, patch: ExceptionPatch, by: string): Promise<void> {
  const set = {
    ...(patch.cancelled === undefined ? {} : { cancelled: patch.cancelled, cancel_reason: patch.cancelled ? (patch.cancelReason ?? null) : null }),
    ...(patch.move === undefined
      ? {}
      : {
          moved_on: patch.move?.date ?? null,
          moved_start: patch.move?.startTime ?? null,
          moved_end: patch.move?.endTime ?? null,
          moved_room: patch.move?.room ?? null,
        }),
    ...(patch.substituteId === undefined ? {} : { substitute_id: patch.substituteId }),
    ...(patch.virtual === undefined ? {} : { virtual_kind: patch.virtual?.kind ?? null, virtual_url: patch.virtual?.url ?? null }),
    updated_by: by,
    updated_at: sql<Date>`now()`,
  };
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('timetable_exceptions')
      .values({ lesson_id: lessonId, occurs_on: date, ...set })
      .onConflict((oc) => oc.columns(['lesson_id', 'occurs_on']).doUpdateSet(set))
      .execute();
    await tx
      .deleteFrom('timetable_exceptions')
      .where('lesson_id', '=', lessonId)
      .where('occurs_on', '=', date)
      .where('cancelled', '=', false)
      .where('moved_on', 'is', null)
      .where('moved_room', 'is', null)
      .where('substitute_id', 'is', null)
      .where('virtual_kind', 'is', null)
      .execute();
  });
}

/** Sets (or clears, with null) a lesson's virtual class. */
export async function setLessonVirtual(db: Kysely<DB>, lessonId: string, virtual: { kind: VirtualKind; url: string | null } | null): Promise<void> {
  await db
    .updateTable('timetable_lessons')
    .set({ virtual_kind: virtual?.kind ?? null, virtual_url: virtual?.url ?? null, updated_at: sql<Date>`now()` })
    .where('id', '=', lessonId)
    .execute();
}

/** « Léa Martin », as the video room shows the person. */
export async function findUserName(db: Kysely<DB>, userId: string): Promise<string> {
  const row = await db.selectFrom('users').select(['first_name', 'last_name']).where('id', '=', userId).executeTakeFirstOrThrow();
  return `${row.first_name} ${row.last_name}`;
}
