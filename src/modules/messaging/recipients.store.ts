/**
 * The SQL of addressing: a school's rules and classes, the people the writer may reach (the
 * picker), what the policy needs to know about chosen recipients, and the one INSERT … SELECT
 * that turns an audience (groups expanded at send time, and people) into recipients' copies.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, Role } from '../../platform/db/schema.ts';
import type { TMessagingRole, TRule } from './messaging.schemas.ts';
import type { ClassRef, Reach } from './messaging.rules.ts';

export interface SchoolContext {
  school: { id: string; name: string } | null;
  rules: TRule[];
  classes: ClassRef[];
  /** Names of the schools among `schoolIds` (the writer's), for a choice of school. */
  schools: Array<{ id: string; name: string }>;
}

/** A school's rules overrides, classes and groups, and the names of the writer's schools: one query. */
export async function findSchoolContext(db: Kysely<DB>, schoolId: string, schoolIds: readonly string[]): Promise<SchoolContext> {
  const { rows } = await sql<SchoolContext>`
    SELECT
      (SELECT json_build_object('id', s.id, 'name', s.name) FROM schools s WHERE s.id = ${schoolId}) AS school,
      coalesce((SELECT json_agg(json_build_object('from', r.from_role, 'to', r.to_role, 'reach', r.reach))
                FROM messaging_rules r WHERE r.school_id = ${schoolId}), '[]') AS rules,
      coalesce((SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'kind', c.kind) ORDER BY c.kind, c.level DESC, c.name)
                FROM classes c WHERE c.school_id = ${schoolId}), '[]') AS classes,
      coalesce((SELECT json_agg(json_build_object('id', s.id, 'name', s.name) ORDER BY s.name)
                FROM schools s WHERE s.id = ANY(${[...schoolIds]}::uuid[])), '[]') AS schools`.execute(db);
  return rows[0]!;
}

/** The SQL condition "this role assignment `ra` of user `u` is within the writer's reach". */
function withinReach(reach: Reach) {
  return sql`(
    (ra.role = 'pupil' AND (${reach.wide.pupil}::boolean OR EXISTS (
      SELECT 1 FROM class_members m WHERE m.pupil_id = u.id AND m.class_id = ANY(${reach.classIds.pupil}::uuid[]))))
    OR (ra.role = 'parent' AND (${reach.wide.parent}::boolean OR EXISTS (
      SELECT 1 FROM parent_links p JOIN class_members m ON m.pupil_id = p.child_id
      WHERE p.parent_id = u.id AND m.class_id = ANY(${reach.classIds.parent}::uuid[]))))
    OR (ra.role = 'teacher' AND (${reach.wide.teacher}::boolean OR EXISTS (
      SELECT 1 FROM teaching_assignments t WHERE t.teacher_id = u.id AND t.class_id = ANY(${reach.classIds.teacher}::uuid[]))))
    OR (ra.role IN ('principal', 'cpe', 'school_admin') AND ${reach.wide.staff}::boolean)
  )`;
}

/** `%text%` for LIKE, with the text's own % _ \ taken literally. */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

export interface ReachablePersonRow {
  id: string;
  firstName: string;
  lastName: string;
  roles: Array<Exclude<Role, 'operator'>>;
  classes: string[];
  subjects: string[];
  children: Array<{ firstName: string; lastName: string; className: string | null }>;
}

/**
 * People of the school the writer may reach, whose name matches `q` (accents and case ignored),
 * sorted by name: at most `limit` + 1 rows (the extra one says there are more). One query.
 */
export async function findReachablePeople(
  db: Kysely<DB>,
  input: { schoolId: string; writerId: string; reach: Reach; q: string; limit: number },
): Promise<ReachablePersonRow[]> {
  const { schoolId, writerId, reach, q, limit } = input;
  const pattern = containsPattern(q.trim());
  const { rows } = await sql<ReachablePersonRow>`
    WITH found AS (
      SELECT u.id, u.first_name, u.last_name, array_agg(DISTINCT ra.role) AS roles
      FROM role_assignments ra JOIN users u ON u.id = ra.user_id
      WHERE ra.school_id = ${schoolId} AND u.disabled_at IS NULL AND u.id <> ${writerId}
        AND (messaging_fold(u.first_name || ' ' || u.last_name) LIKE messaging_fold(${pattern})
             OR messaging_fold(u.last_name || ' ' || u.first_name) LIKE messaging_fold(${pattern}))
        AND ${withinReach(reach)}
      GROUP BY u.id
      ORDER BY u.last_name, u.first_name, u.id
      LIMIT ${limit + 1}
    )
    SELECT f.id, f.first_name AS "firstName", f.last_name AS "lastName", f.roles,
      array(SELECT c.name FROM classes c
            WHERE c.school_id = ${schoolId}
              AND (('pupil' = ANY(f.roles) AND c.id IN (SELECT m.class_id FROM class_members m WHERE m.pupil_id = f.id))
                OR ('teacher' = ANY(f.roles) AND c.id IN (SELECT t.class_id FROM teaching_assignments t WHERE t.teacher_id = f.id)))
            ORDER BY c.kind, c.level DESC, c.name) AS classes,
      array(SELECT DISTINCT sj.label FROM teaching_assignments t JOIN classes c ON c.id = t.class_id
            JOIN subjects sj ON sj.code = t.subject_code
            WHERE t.teacher_id = f.id AND c.school_id = ${schoolId} AND 'teacher' = ANY(f.roles) ORDER BY sj.label) AS subjects,
      coalesce((SELECT json_agg(json_build_object('firstName', ch.first_name, 'lastName', ch.last_name, 'className',
                  (SELECT c.name FROM class_members m JOIN classes c ON c.id = m.class_id
                   WHERE m.pupil_id = ch.id AND c.kind = 'class' AND c.school_id = ${schoolId} ORDER BY c.name LIMIT 1))
                  ORDER BY ch.first_name)
                FROM parent_links p JOIN users ch ON ch.id = p.child_id
                WHERE p.parent_id = f.id AND 'parent' = ANY(f.roles)), '[]') AS children
    FROM found f
    ORDER BY f.last_name, f.first_name, f.id`.execute(db);
  return rows;
}

export interface RecipientRow {
  id: string;
  firstName: string;
  lastName: string;
  roles: Array<Exclude<Role, 'operator'>>;
  pupilClasses: string[];
  parentClasses: string[];
  teacherClasses: string[];
}

/** For each id that is an active person of the school: their roles there and the classes each ties them to. */
export async function findRecipients(db: Kysely<DB>, schoolId: string, ids: readonly string[]): Promise<RecipientRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<RecipientRow>`
    SELECT u.id, u.first_name AS "firstName", u.last_name AS "lastName", array_agg(DISTINCT ra.role) AS roles,
      array(SELECT m.class_id FROM class_members m WHERE m.pupil_id = u.id) AS "pupilClasses",
      array(SELECT DISTINCT m.class_id FROM parent_links p JOIN class_members m ON m.pupil_id = p.child_id
            WHERE p.parent_id = u.id) AS "parentClasses",
      array(SELECT DISTINCT t.class_id FROM teaching_assignments t WHERE t.teacher_id = u.id) AS "teacherClasses"
    FROM users u JOIN role_assignments ra ON ra.user_id = u.id AND ra.school_id = ${schoolId}
    WHERE u.id = ANY(${[...ids]}::uuid[]) AND u.disabled_at IS NULL
    GROUP BY u.id`.execute(db);
  return rows;
}

/** A recipient as the policy sees them: each messaging role with the classes it ties them to. */
export function asPolicyRecipient(row: RecipientRow): Partial<Record<TMessagingRole, string[]>> {
  const recipient: Partial<Record<TMessagingRole, string[]>> = {};
  for (const role of row.roles) {
    if (role === 'pupil') recipient.pupil = row.pupilClasses;
    else if (role === 'parent') recipient.parent = row.parentClasses;
    else if (role === 'teacher') recipient.teacher = row.teacherClasses;
    else recipient.staff = [];
  }
  return recipient;
}

/** Who receives a message: people, and groups to expand now (the people of the class today). */
export interface Expansion {
  schoolId: string;
  peopleIds: string[];
  pupilsOf: string[];
  parentsOf: string[];
  teachersOf: string[];
  staff: boolean;
}

/**
 * Writes the copies of a sent message: the sender's own (read) and one per recipient, expanded
 * from the groups in SQL, in ONE statement, and stores the recipient count on the message.
 * Returns that count (0 when the groups were empty and nobody else was chosen).
 */
export async function insertCopies(
  db: Kysely<DB>,
  message: { id: string; threadId: string; senderId: string },
  to: Expansion,
): Promise<number> {
  const { rows } = await sql<{ recipient_count: number }>`
    WITH targets AS (
      SELECT unnest(${to.peopleIds}::uuid[]) AS user_id
      UNION SELECT m.pupil_id FROM class_members m WHERE m.class_id = ANY(${to.pupilsOf}::uuid[])
      UNION SELECT p.parent_id FROM parent_links p JOIN class_members m ON m.pupil_id = p.child_id
            WHERE m.class_id = ANY(${to.parentsOf}::uuid[])
      UNION SELECT t.teacher_id FROM teaching_assignments t WHERE t.class_id = ANY(${to.teachersOf}::uuid[])
      UNION SELECT ra.user_id FROM role_assignments ra
            WHERE ${to.staff}::boolean AND ra.school_id = ${to.schoolId} AND ra.role IN ('principal', 'cpe', 'school_admin')
    ), sent AS (
      SELECT sent_at FROM messages WHERE id = ${message.id}
    ), inserted AS (
      INSERT INTO message_copies (message_id, user_id, thread_id, sent_at, is_sender, read_at)
      SELECT ${message.id}::uuid, x.user_id, ${message.threadId}::uuid, sent.sent_at, x.is_sender, CASE WHEN x.is_sender THEN sent.sent_at END
      FROM sent, (
        SELECT t.user_id, false AS is_sender FROM targets t JOIN users u ON u.id = t.user_id
        WHERE u.disabled_at IS NULL AND t.user_id <> ${message.senderId}
        UNION ALL SELECT ${message.senderId}::uuid, true
      ) x
      RETURNING is_sender
    )
    UPDATE messages SET recipient_count = (SELECT count(*) FROM inserted WHERE NOT is_sender)
    WHERE id = ${message.id}
    RETURNING recipient_count`.execute(db);
  return rows[0]?.recipient_count ?? 0;
}
