/**
 * What the dashboard shows of homework, for many people at once and one query each: the
 * homework due for pupils (a pupil, or a parent's children) with each pupil's status, and the
 * hand-ins a teacher has to review. The dashboard module calls these through index.ts; the
 * caller has already decided who may see which pupils (the pupil themself, or their parents).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { THomeworkStatus } from './homework.schemas.ts';
import { SQL } from './homework.sql.ts';

export interface HomeworkDue {
  pupilId: string;
  homeworkId: string;
  classId: string;
  /** Subject label, e.g. « Mathématiques ». */
  subject: string;
  subjectCode: string;
  /** The first line of the instructions, at most 140 characters. */
  summary: string;
  /** 'YYYY-MM-DD' */
  dueDate: string;
  /** 'HH:MM' or null (end of the day). */
  dueTime: string | null;
  requiresSubmission: boolean;
  /** « À faire », « Rendu », « Rendu en retard », « Corrigé ». Items without hand-in stay 'todo'. */
  status: THomeworkStatus;
  mark: number | null;
  hasFeedback: boolean;
}

/** Most rows returned (a fortnight for a family of several children holds far fewer). */
const DUE_LIMIT = 500;

/**
 * Homework due between `from` and `to` (calendar dates, inclusive) in the classes and groups of
 * each pupil, with that pupil's status. One query whatever the number of pupils.
 */
export async function findHomeworkDue(db: Kysely<DB>, input: { pupilIds: readonly string[]; from: string; to: string }): Promise<HomeworkDue[]> {
  if (input.pupilIds.length === 0) return [];
  const { rows } = await sql<HomeworkDue>`
    SELECT m.pupil_id AS "pupilId", h.id AS "homeworkId", h.class_id AS "classId",
           sj.label AS subject, sj.code AS "subjectCode",
           left(split_part(btrim(h.instructions), E'\n', 1), 140) AS summary,
           h.due_date::text AS "dueDate", to_char(h.due_time, 'HH24:MI') AS "dueTime",
           h.requires_submission AS "requiresSubmission",
           ${SQL.status} AS status,
           s.mark, coalesce(s.feedback <> '', false) AS "hasFeedback"
    FROM class_members m
    JOIN homework_items h ON h.class_id = m.class_id
    JOIN subjects sj ON sj.code = h.subject_code
    LEFT JOIN homework_submissions s ON s.homework_id = h.id AND s.pupil_id = m.pupil_id
    WHERE m.pupil_id = ANY(${[...input.pupilIds]}::uuid[])
      AND h.due_date BETWEEN ${input.from}::date AND ${input.to}::date
    ORDER BY h.due_date, h.due_time NULLS LAST, sj.label, m.pupil_id
    LIMIT ${DUE_LIMIT}`.execute(db);
  return rows;
}

export interface SubmissionsToReview {
  homeworkId: string;
  className: string;
  subject: string;
  subjectCode: string;
  dueDate: string;
  /** Handed in on time. */
  submitted: number;
  /** Handed in after the deadline. */
  late: number;
  /** Pupils of the class with nothing handed in. */
  missing: number;
  /** Hand-ins not reviewed yet. */
  toReview: number;
}

/**
 * The teacher's assignments that need attention: any with hand-ins left to review, and the open
 * ones due from a week ago onwards (`today` defaults to the database's date in Paris). One query.
 */
export async function findSubmissionsToReview(
  db: Kysely<DB>,
  teacherId: string,
  options: { today?: string; limit?: number } = {},
): Promise<SubmissionsToReview[]> {
  const today = options.today ? sql`${options.today}::date` : sql`(now() AT TIME ZONE 'Europe/Paris')::date`;
  const { rows } = await sql<SubmissionsToReview>`
    SELECT h.id AS "homeworkId", c.name AS "className", sj.label AS subject, sj.code AS "subjectCode",
           h.due_date::text AS "dueDate",
           count(s.id) FILTER (WHERE s.submitted_at <= h.due_at)::int AS submitted,
           count(s.id) FILTER (WHERE s.submitted_at > h.due_at)::int AS late,
           count(m.pupil_id) FILTER (WHERE s.id IS NULL)::int AS missing,
           count(s.id) FILTER (WHERE s.reviewed_at IS NULL)::int AS "toReview"
    FROM homework_items h
    JOIN classes c ON c.id = h.class_id
    JOIN subjects sj ON sj.code = h.subject_code
    LEFT JOIN class_members m ON m.class_id = h.class_id
    LEFT JOIN homework_submissions s ON s.homework_id = h.id AND s.pupil_id = m.pupil_id
    WHERE h.teacher_id = ${teacherId} AND h.requires_submission
    GROUP BY h.id, c.name, sj.label, sj.code
    HAVING count(s.id) FILTER (WHERE s.reviewed_at IS NULL) > 0
        OR (h.closed_at IS NULL AND h.due_date >= ${today} - 7)
    ORDER BY h.due_date, c.name
    LIMIT ${options.limit ?? 20}`.execute(db);
  return rows;
}

/** A homework item as every pupil of its class sees it on the dashboard, before their own status. */
export type ClassHomeworkItem = Omit<HomeworkDue, 'pupilId' | 'status' | 'mark' | 'hasFeedback'>;

/**
 * The homework due between `from` and `to` (inclusive) in one class or group, the same for each of
 * its pupils: what the dashboard caches per class. One query.
 */
export async function findClassHomeworkDue(db: Kysely<DB>, input: { classId: string; from: string; to: string }): Promise<ClassHomeworkItem[]> {
  const { rows } = await sql<ClassHomeworkItem>`
    SELECT h.id AS "homeworkId", h.class_id AS "classId",
           sj.label AS subject, sj.code AS "subjectCode",
           left(split_part(btrim(h.instructions), E'\n', 1), 140) AS summary,
           h.due_date::text AS "dueDate", to_char(h.due_time, 'HH24:MI') AS "dueTime",
           h.requires_submission AS "requiresSubmission"
    FROM homework_items h
    JOIN subjects sj ON sj.code = h.subject_code
    WHERE h.class_id = ${input.classId}
      AND h.due_date BETWEEN ${input.from}::date AND ${input.to}::date
    ORDER BY h.due_date, h.due_time NULLS LAST, sj.label
    LIMIT ${DUE_LIMIT}`.execute(db);
  return rows;
}

export interface HandInStatus {
  pupilId: string;
  homeworkId: string;
  status: THomeworkStatus;
  mark: number | null;
  hasFeedback: boolean;
}

/** These pupils' hand-ins for these items, with the status findHomeworkDue would give. One query. */
export async function findHandInStatuses(db: Kysely<DB>, input: { pupilIds: readonly string[]; homeworkIds: readonly string[] }): Promise<HandInStatus[]> {
  if (input.pupilIds.length === 0 || input.homeworkIds.length === 0) return [];
  const { rows } = await sql<HandInStatus>`
    SELECT s.pupil_id AS "pupilId", s.homework_id AS "homeworkId", ${SQL.status} AS status,
           s.mark, coalesce(s.feedback <> '', false) AS "hasFeedback"
    FROM homework_submissions s
    JOIN homework_items h ON h.id = s.homework_id
    WHERE s.pupil_id = ANY(${[...input.pupilIds]}::uuid[]) AND s.homework_id = ANY(${[...input.homeworkIds]}::uuid[])`.execute(db);
  return rows;
}
