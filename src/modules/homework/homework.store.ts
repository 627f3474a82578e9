/**
 * The cahier de textes' SQL: lesson entries and homework items of a class and subject, and the
 * facts the policy needs (school, author, the subject's teachers), each page in one query.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { TFileRef, TPerson, TSubmissionCounts } from './homework.schemas.ts';
import { SQL } from './homework.sql.ts';

type Db = Kysely<DB>;
type Instant = Date | string;

export interface HomeworkRow {
  id: string;
  class: { id: string; name: string };
  subject: { code: string; label: string };
  instructions: string;
  dueDate: string;
  dueTime: string | null;
  dueAt: Instant;
  requiresSubmission: boolean;
  closedAt: Instant | null;
  teacher: TPerson;
  attachments: TFileRef[];
  createdAt: Instant;
  teacherId: string;
  schoolId: string;
  counts: TSubmissionCounts | null;
}

export interface LessonRow {
  id: string;
  classId: string;
  subject: { code: string; label: string };
  date: string;
  content: string;
  teacher: TPerson;
  createdAt: Instant;
  updatedAt: Instant;
}

export interface ClassHomeworkRow {
  class: { id: string; name: string };
  schoolId: string;
  subject: { code: string; label: string } | null;
  subjectTeacherIds: string[];
  lessons: LessonRow[];
  homework: HomeworkRow[];
}

/** Most entries of each kind one page of the cahier de textes returns. */
export const PAGE_LIMIT = 300;

/** A class's cahier de textes for one subject between two dates, with the facts to authorize it. One query. */
export async function findClassHomework(
  db: Db,
  input: { classId: string; subject: string; from: string; to: string },
): Promise<ClassHomeworkRow | null> {
  const { classId, subject, from, to } = input;
  const { rows } = await sql<ClassHomeworkRow>`
    SELECT json_build_object('id', cl.id, 'name', cl.name) AS class,
      cl.school_id AS "schoolId",
      (SELECT json_build_object('code', code, 'label', label) FROM subjects WHERE code = ${subject}) AS subject,
      coalesce((SELECT array_agg(ta.teacher_id) FROM teaching_assignments ta
                WHERE ta.class_id = cl.id AND ta.subject_code = ${subject}), '{}') AS "subjectTeacherIds",
      coalesce((SELECT json_agg(x ORDER BY x.date DESC, x."createdAt" DESC) FROM (
          SELECT l.id, l.class_id AS "classId", json_build_object('code', sj.code, 'label', sj.label) AS subject,
                 l.lesson_date::text AS date, l.content, ${SQL.person('t')} AS teacher,
                 l.created_at AS "createdAt", l.updated_at AS "updatedAt"
          FROM homework_lessons l JOIN subjects sj ON sj.code = l.subject_code JOIN users t ON t.id = l.teacher_id
          WHERE l.class_id = cl.id AND l.subject_code = ${subject} AND l.lesson_date BETWEEN ${from}::date AND ${to}::date
          ORDER BY l.lesson_date DESC, l.created_at DESC LIMIT ${PAGE_LIMIT}) x), '[]') AS lessons,
      coalesce((SELECT json_agg(x ORDER BY x."dueDate", x."dueTime" NULLS LAST, x."createdAt") FROM (
          SELECT ${SQL.homeworkColumns}
          FROM ${SQL.homeworkFrom}
          WHERE h.class_id = cl.id AND h.subject_code = ${subject} AND h.due_date BETWEEN ${from}::date AND ${to}::date
          ORDER BY h.due_date, h.due_time NULLS LAST LIMIT ${PAGE_LIMIT}) x), '[]') AS homework
    FROM classes cl WHERE cl.id = ${classId}`.execute(db);
  return rows[0] ?? null;
}

/** One homework item with its attachments and counts, or null. */
export async function findHomework(db: Db, homeworkId: string): Promise<HomeworkRow | null> {
  const { rows } = await sql<HomeworkRow>`SELECT ${SQL.homeworkColumns} FROM ${SQL.homeworkFrom} WHERE h.id = ${homeworkId}`.execute(db);
  return rows[0] ?? null;
}

export interface ClassFacts {
  schoolId: string;
  subjectExists: boolean;
  subjectTeacherIds: string[];
}

/** What the policy needs to let someone write in a class and subject. One query; null for an unknown class. */
export async function findClassFacts(db: Db, classId: string, subject: string): Promise<ClassFacts | null> {
  const { rows } = await sql<ClassFacts>`
    SELECT cl.school_id AS "schoolId",
      EXISTS (SELECT 1 FROM subjects WHERE code = ${subject}) AS "subjectExists",
      coalesce((SELECT array_agg(ta.teacher_id) FROM teaching_assignments ta
                WHERE ta.class_id = cl.id AND ta.subject_code = ${subject}), '{}') AS "subjectTeacherIds"
    FROM classes cl WHERE cl.id = ${classId}`.execute(db);
  return rows[0] ?? null;
}

export interface HomeworkFacts {
  id: string;
  schoolId: string;
  classId: string;
  teacherId: string;
  dueDate: string;
  dueTime: string | null;
  requiresSubmission: boolean;
  closedAt: Date | null;
  submissions: number;
}

/** Who wrote an item and where, with its hand-in count. */
export async function findHomeworkFacts(db: Db, homeworkId: string): Promise<HomeworkFacts | null> {
  const { rows } = await sql<HomeworkFacts>`
    SELECT h.id, h.school_id AS "schoolId", h.class_id AS "classId", h.teacher_id AS "teacherId",
           h.due_date::text AS "dueDate", to_char(h.due_time, 'HH24:MI') AS "dueTime",
           h.requires_submission AS "requiresSubmission", h.closed_at AS "closedAt",
           (SELECT count(*)::int FROM homework_submissions s WHERE s.homework_id = h.id) AS submissions
    FROM homework_items h WHERE h.id = ${homeworkId}`.execute(db);
  return rows[0] ?? null;
}

export async function findLessonFacts(db: Db, lessonId: string): Promise<{ schoolId: string; teacherId: string } | null> {
  const row = await db
    .selectFrom('homework_lessons')
    .select(['school_id as schoolId', 'teacher_id as teacherId'])
    .where('id', '=', lessonId)
    .executeTakeFirst();
  return row ?? null;
}

export async function findLesson(db: Db, lessonId: string): Promise<LessonRow | null> {
  const { rows } = await sql<LessonRow>`
    SELECT l.id, l.class_id AS "classId", json_build_object('code', sj.code, 'label', sj.label) AS subject,
           l.lesson_date::text AS date, l.content, ${SQL.person('t')} AS teacher,
           l.created_at AS "createdAt", l.updated_at AS "updatedAt"
    FROM homework_lessons l JOIN subjects sj ON sj.code = l.subject_code JOIN users t ON t.id = l.teacher_id
    WHERE l.id = ${lessonId}`.execute(db);
  return rows[0] ?? null;
}

export interface NewLesson {
  schoolId: string;
  classId: string;
  subject: string;
  teacherId: string;
  date: string;
  content: string;
}

export async function insertLesson(db: Db, lesson: NewLesson): Promise<string> {
  const row = await db
    .insertInto('homework_lessons')
    .values({
      school_id: lesson.schoolId,
      class_id: lesson.classId,
      subject_code: lesson.subject,
      teacher_id: lesson.teacherId,
      lesson_date: lesson.date,
      content: lesson.content,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateLesson(db: Db, lessonId: string, change: { date?: string; content?: string }): Promise<void> {
  await db
    .updateTable('homework_lessons')
    .set({
      ...(change.date !== undefined ? { lesson_date: change.date } : {}),
      ...(change.content !== undefined ? { content: change.content } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', lessonId)
    .execute();
}

export async function deleteLesson(db: Db, lessonId: string): Promise<void> {
  await db.deleteFrom('homework_lessons').where('id', '=', lessonId).execute();
}

export interface NewHomework {
  schoolId: string;
  classId: string;
  subject: string;
  teacherId: string;
  instructions: string;
  dueDate: string;
  dueTime: string | null;
  requiresSubmission: boolean;
  attachmentIds: readonly string[];
}

/** Inserts an item and its attachments in one transaction. */
export async function insertHomework(db: Db, item: NewHomework): Promise<string> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('homework_items')
      .values({
        school_id: item.schoolId,
        class_id: item.classId,
        subject_code: item.subject,
        teacher_id: item.teacherId,
        instructions: item.instructions,
        due_date: item.dueDate,
        due_time: item.dueTime,
        requires_submission: item.requiresSubmission,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await replaceAttachments(tx, row.id, item.attachmentIds);
    return row.id;
  });
}

export interface HomeworkChange {
  instructions?: string;
  dueDate?: string;
  dueTime?: string | null;
  requiresSubmission?: boolean;
  attachmentIds?: readonly string[];
}

/** Updates an item (and replaces its attachments when given) in one transaction. */
export async function updateHomework(db: Db, homeworkId: string, change: HomeworkChange): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('homework_items')
      .set({
        ...(change.instructions !== undefined ? { instructions: change.instructions } : {}),
        ...(change.dueDate !== undefined ? { due_date: change.dueDate } : {}),
        ...(change.dueTime !== undefined ? { due_time: change.dueTime } : {}),
        ...(change.requiresSubmission !== undefined ? { requires_submission: change.requiresSubmission } : {}),
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', homeworkId)
      .execute();
    if (change.attachmentIds) await replaceAttachments(tx, homeworkId, change.attachmentIds);
  });
}

async function replaceAttachments(tx: Db, homeworkId: string, fileIds: readonly string[]): Promise<void> {
  await tx.deleteFrom('homework_attachments').where('homework_id', '=', homeworkId).execute();
  if (fileIds.length === 0) return;
  await tx
    .insertInto('homework_attachments')
    .values(fileIds.map((fileId, position) => ({ homework_id: homeworkId, file_id: fileId, position })))
    .execute();
}

export async function setClosed(db: Db, homeworkId: string, closedAt: Date | null): Promise<void> {
  await db.updateTable('homework_items').set({ closed_at: closedAt, updated_at: sql<Date>`now()` }).where('id', '=', homeworkId).execute();
}

export async function deleteHomework(db: Db, homeworkId: string): Promise<void> {
  await db.deleteFrom('homework_items').where('id', '=', homeworkId).execute();
}

export interface TeachingRow {
  classId: string;
  className: string;
  subject: { code: string; label: string };
}

/** The classes and subjects a teacher teaches. */
export async function findTeaching(db: Db, teacherId: string): Promise<TeachingRow[]> {
  const { rows } = await sql<TeachingRow>`
    SELECT c.id AS "classId", c.name AS "className", json_build_object('code', sj.code, 'label', sj.label) AS subject
    FROM teaching_assignments ta JOIN classes c ON c.id = ta.class_id JOIN subjects sj ON sj.code = ta.subject_code
    WHERE ta.teacher_id = ${teacherId}
    ORDER BY c.kind, c.level DESC, c.name, sj.label`.execute(db);
  return rows;
}

export interface StoredFile {
  id: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
}

export interface AttachmentLookup {
  classId: string;
  schoolId: string;
  /** Null when the file is not attached to this item. */
  file: StoredFile | null;
}

/** An item's class and school, with one of its attachments and the blob to send. Null for an unknown item. */
export async function findAttachment(db: Db, homeworkId: string, fileId: string): Promise<AttachmentLookup | null> {
  const { rows } = await sql<AttachmentLookup>`
    SELECT h.class_id AS "classId", h.school_id AS "schoolId",
      (SELECT json_build_object('id', f.id, 'name', f.name, 'size', f.size, 'contentType', f.content_type, 'sha256', f.sha256)
       FROM homework_attachments a JOIN files f ON f.id = a.file_id
       WHERE a.homework_id = h.id AND a.file_id = ${fileId}) AS file
    FROM homework_items h WHERE h.id = ${homeworkId}`.execute(db);
  return rows[0] ?? null;
}
