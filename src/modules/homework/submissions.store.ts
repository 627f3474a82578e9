/**
 * Hand-ins' SQL: a pupil's homework with their status, an assignment's review page (every pupil
 * of the class with their work), one hand-in, saving and reviewing. Each page is one query.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { THomeworkStatus, TPerson } from './homework.schemas.ts';
import { SQL } from './homework.sql.ts';
import type { HomeworkRow, StoredFile } from './homework.store.ts';

type Db = Kysely<DB>;
type Instant = Date | string;

export interface SubmissionRow {
  id: string;
  homeworkId: string;
  pupil: TPerson;
  text: string;
  files: Array<{ id: string; name: string; size: number; contentType: string }>;
  version: number;
  submittedAt: Instant;
  isLate: boolean;
  feedback: string | null;
  mark: number | null;
  reviewedAt: Instant | null;
}

export interface PupilItemRow extends HomeworkRow {
  status: THomeworkStatus;
  submission: SubmissionRow | null;
}

/** Most items a pupil's list returns (a fortnight holds a few dozen). */
const PUPIL_LIST_LIMIT = 200;

/** A pupil's homework due between two dates, each with the pupil's status and hand-in. One query; null for an unknown pupil. */
export async function findPupilHomework(
  db: Db,
  input: { pupilId: string; from: string; to: string },
): Promise<{ pupil: TPerson; items: PupilItemRow[] } | null> {
  const { pupilId, from, to } = input;
  const { rows } = await sql<{ pupil: TPerson; items: PupilItemRow[] }>`
    SELECT ${SQL.person('u')} AS pupil,
      coalesce((SELECT json_agg(x ORDER BY x."dueDate", x."dueTime" NULLS LAST, x."createdAt") FROM (
          SELECT ${SQL.homeworkColumns}, ${SQL.status} AS status, ${SQL.submission} AS submission
          FROM ${SQL.homeworkFrom}
          JOIN class_members m0 ON m0.class_id = h.class_id AND m0.pupil_id = u.id
          LEFT JOIN homework_submissions s ON s.homework_id = h.id AND s.pupil_id = u.id
          WHERE h.due_date BETWEEN ${from}::date AND ${to}::date
          ORDER BY h.due_date, h.due_time NULLS LAST LIMIT ${PUPIL_LIST_LIMIT}) x), '[]') AS items
    FROM users u WHERE u.id = ${pupilId}`.execute(db);
  return rows[0] ?? null;
}

export interface ReviewRow extends HomeworkRow {
  pupils: Array<{ pupil: TPerson; status: THomeworkStatus; submission: SubmissionRow | null }>;
}

/** An assignment with every pupil of its class, their status and hand-in. One query; null for an unknown item. */
export async function findReviewPage(db: Db, homeworkId: string): Promise<ReviewRow | null> {
  const { rows } = await sql<ReviewRow>`
    SELECT ${SQL.homeworkColumns},
      coalesce((SELECT json_agg(json_build_object('pupil', ${SQL.person('u')}, 'status', ${SQL.status}, 'submission', ${SQL.submission})
                         ORDER BY u.last_name, u.first_name)
                FROM class_members m1 JOIN users u ON u.id = m1.pupil_id
                LEFT JOIN homework_submissions s ON s.homework_id = h.id AND s.pupil_id = u.id
                WHERE m1.class_id = h.class_id), '[]') AS pupils
    FROM ${SQL.homeworkFrom}
    WHERE h.id = ${homeworkId}`.execute(db);
  return rows[0] ?? null;
}

export interface SubmissionFacts {
  pupilId: string;
  teacherId: string;
  schoolId: string;
  homeworkId: string;
}

/** One hand-in with who may see it. One query; null for an unknown id. */
export async function findSubmission(db: Db, submissionId: string): Promise<(SubmissionFacts & { submission: SubmissionRow }) | null> {
  const { rows } = await sql<SubmissionFacts & { submission: SubmissionRow }>`
    SELECT s.pupil_id AS "pupilId", h.teacher_id AS "teacherId", h.school_id AS "schoolId", h.id AS "homeworkId",
           ${SQL.submission} AS submission
    FROM homework_submissions s JOIN homework_items h ON h.id = s.homework_id JOIN users u ON u.id = s.pupil_id
    WHERE s.id = ${submissionId}`.execute(db);
  return rows[0] ?? null;
}

/** A file of a hand-in with who may see it (file null when not part of it). Null for an unknown hand-in. */
export async function findSubmissionFile(
  db: Db,
  submissionId: string,
  fileId: string,
): Promise<(SubmissionFacts & { file: StoredFile | null }) | null> {
  const { rows } = await sql<SubmissionFacts & { file: StoredFile | null }>`
    SELECT s.pupil_id AS "pupilId", h.teacher_id AS "teacherId", h.school_id AS "schoolId", h.id AS "homeworkId",
      (SELECT json_build_object('id', f.id, 'name', f.name, 'size', f.size, 'contentType', f.content_type, 'sha256', f.sha256)
       FROM homework_submission_files sf JOIN files f ON f.id = sf.file_id
       WHERE sf.submission_id = s.id AND sf.file_id = ${fileId}) AS file
    FROM homework_submissions s JOIN homework_items h ON h.id = s.homework_id
    WHERE s.id = ${submissionId}`.execute(db);
  return rows[0] ?? null;
}

export interface HandIn {
  homeworkId: string;
  pupilId: string;
  text: string;
  fileIds: readonly string[];
  submittedAt: Date;
}

/**
 * Creates the pupil's hand-in, or replaces it (version + 1) while it is not reviewed, with its
 * files, in one transaction. Returns the hand-in's id, or null when it was already reviewed.
 */
export async function saveSubmission(db: Db, handIn: HandIn): Promise<string | null> {
  return db.transaction().execute(async (tx) => {
    const { rows } = await sql<{ id: string }>`
      INSERT INTO homework_submissions (homework_id, pupil_id, text, submitted_at)
      VALUES (${handIn.homeworkId}, ${handIn.pupilId}, ${handIn.text}, ${handIn.submittedAt})
      ON CONFLICT (homework_id, pupil_id) DO UPDATE
        SET text = EXCLUDED.text, submitted_at = EXCLUDED.submitted_at, version = homework_submissions.version + 1
        WHERE homework_submissions.reviewed_at IS NULL
      RETURNING id`.execute(tx);
    const id = rows[0]?.id;
    if (!id) return null;
    await tx.deleteFrom('homework_submission_files').where('submission_id', '=', id).execute();
    if (handIn.fileIds.length > 0) {
      await tx
        .insertInto('homework_submission_files')
        .values(handIn.fileIds.map((fileId, position) => ({ submission_id: id, file_id: fileId, position })))
        .execute();
    }
    return id;
  });
}

export async function saveReview(
  db: Db,
  submissionId: string,
  review: { feedback: string; mark: number | null; reviewerId: string; reviewedAt: Date },
): Promise<void> {
  await db
    .updateTable('homework_submissions')
    .set({ feedback: review.feedback === '' ? null : review.feedback, mark: review.mark, reviewed_by: review.reviewerId, reviewed_at: review.reviewedAt })
    .where('id', '=', submissionId)
    .execute();
}

export interface FollowedPupilRow extends TPerson {
  className: string | null;
  isSelf: boolean;
}

/** The person themself when they are a pupil, and their children, with their class. One query. */
export async function findFollowedPupils(db: Db, userId: string): Promise<FollowedPupilRow[]> {
  const { rows } = await sql<FollowedPupilRow>`
    SELECT u.id, u.first_name AS "firstName", u.last_name AS "lastName", u.id = ${userId} AS "isSelf",
      (SELECT c.name FROM class_members m JOIN classes c ON c.id = m.class_id
       WHERE m.pupil_id = u.id AND c.kind = 'class' ORDER BY c.name LIMIT 1) AS "className"
    FROM users u
    WHERE (u.id = ${userId} AND EXISTS (SELECT 1 FROM role_assignments r WHERE r.user_id = u.id AND r.role = 'pupil'))
       OR u.id IN (SELECT child_id FROM parent_links WHERE parent_id = ${userId})
    ORDER BY u.id <> ${userId}, u.birth_date NULLS LAST, u.first_name`.execute(db);
  return rows;
}

/** A pupil's parents (told when the pupil's work is reviewed). */
export async function findParentIds(db: Db, pupilId: string): Promise<string[]> {
  const rows = await db.selectFrom('parent_links').select('parent_id').where('child_id', '=', pupilId).execute();
  return rows.map((r) => r.parent_id);
}
