/**
 * SQL fragments shared by the homework queries: a homework item, a hand-in and a file list as
 * JSON, built in PostgreSQL so that each page is one query whatever the size of the class.
 * File names, sizes and types are read from the documents module's `files` table (read only).
 * The fragments carry no parameters; queries embed them with `sql.raw`.
 */
import { sql, type RawBuilder } from 'kysely';

/** A person as `{ id, firstName, lastName }`, from a users alias. */
const person = (alias: string): string =>
  `json_build_object('id', ${alias}.id, 'firstName', ${alias}.first_name, 'lastName', ${alias}.last_name)`;

/** The files of a link table (`homework_attachments` or `homework_submission_files`), in order. */
const files = (linkTable: string, ownerColumn: string, ownerExpr: string): string => `coalesce((
      SELECT json_agg(json_build_object('id', f.id, 'name', f.name, 'size', f.size, 'contentType', f.content_type) ORDER BY l.position)
      FROM ${linkTable} l JOIN files f ON f.id = l.file_id
      WHERE l.${ownerColumn} = ${ownerExpr}), '[]'::json)`;

/** A hand-in as JSON (or null), for a submissions alias `s`, its item `h` and its pupil `u`. */
const SUBMISSION = `CASE WHEN s.id IS NULL THEN NULL ELSE json_build_object(
    'id', s.id,
    'homeworkId', s.homework_id,
    'pupil', ${person('u')},
    'text', s.text,
    'files', ${files('homework_submission_files', 'submission_id', 's.id')},
    'version', s.version,
    'submittedAt', s.submitted_at,
    'isLate', s.submitted_at > h.due_at,
    'feedback', s.feedback,
    'mark', s.mark,
    'reviewedAt', s.reviewed_at) END`;

/** « À faire », « Rendu », « Rendu en retard », « Corrigé » for a hand-in `s` of item `h`. */
const STATUS = `CASE
    WHEN s.id IS NULL THEN 'todo'
    WHEN s.reviewed_at IS NOT NULL THEN 'reviewed'
    WHEN s.submitted_at > h.due_at THEN 'late'
    ELSE 'submitted' END`;

/**
 * The columns of a homework item `h` (with class `c`, subject `sj`, teacher `t`). Hand-in counts
 * are included; the service hides them from those who may not see them.
 */
const HOMEWORK = `
  h.id,
  json_build_object('id', c.id, 'name', c.name) AS class,
  json_build_object('code', sj.code, 'label', sj.label) AS subject,
  h.instructions,
  h.due_date::text AS "dueDate",
  to_char(h.due_time, 'HH24:MI') AS "dueTime",
  h.due_at AS "dueAt",
  h.requires_submission AS "requiresSubmission",
  h.closed_at AS "closedAt",
  ${person('t')} AS teacher,
  ${files('homework_attachments', 'homework_id', 'h.id')} AS attachments,
  h.created_at AS "createdAt",
  h.teacher_id AS "teacherId",
  h.school_id AS "schoolId",
  CASE WHEN h.requires_submission THEN (
    SELECT json_build_object(
      'pupils', count(m.pupil_id),
      'submitted', count(s.id) FILTER (WHERE s.submitted_at <= h.due_at),
      'late', count(s.id) FILTER (WHERE s.submitted_at > h.due_at),
      'missing', count(m.pupil_id) FILTER (WHERE s.id IS NULL),
      'toReview', count(s.id) FILTER (WHERE s.reviewed_at IS NULL))
    FROM class_members m LEFT JOIN homework_submissions s ON s.homework_id = h.id AND s.pupil_id = m.pupil_id
    WHERE m.class_id = h.class_id) END AS counts`;

const HOMEWORK_JOINS = `homework_items h
  JOIN classes c ON c.id = h.class_id
  JOIN subjects sj ON sj.code = h.subject_code
  JOIN users t ON t.id = h.teacher_id`;

export const SQL = {
  person: (alias: string): RawBuilder<unknown> => sql.raw(person(alias)),
  homeworkColumns: sql.raw(HOMEWORK),
  homeworkFrom: sql.raw(HOMEWORK_JOINS),
  submission: sql.raw(SUBMISSION),
  status: sql.raw(STATUS),
};
