/**
 * The dashboard's SQL: one query per section, each aggregating in PostgreSQL, so the number of
 * queries depends on the person's roles (at most five), never on the size of the school.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type ClassRef = { id: string; name: string; level: string };
type PersonRef = { id: string; firstName: string; lastName: string };

export async function findUserNames(db: Kysely<DB>, userId: string) {
  return db.selectFrom('users').select(['id', 'first_name', 'last_name']).where('id', '=', userId).executeTakeFirstOrThrow();
}

export interface PupilSectionRow {
  school: { id: string; name: string };
  class: ClassRef | null;
  groups: ClassRef[];
  classmates: PersonRef[];
  teachers: Array<PersonRef & { subjects: string[] }>;
}

export async function findPupilSection(db: Kysely<DB>, pupilId: string): Promise<PupilSectionRow | null> {
  const { rows } = await sql<PupilSectionRow>`
    WITH mine AS (
      SELECT c.id, c.name, c.level, c.kind, c.school_id FROM class_members m JOIN classes c ON c.id = m.class_id
      WHERE m.pupil_id = ${pupilId}
    ), main AS (SELECT * FROM mine WHERE kind = 'class' ORDER BY name LIMIT 1)
    SELECT
      json_build_object('id', s.id, 'name', s.name) AS school,
      (SELECT json_build_object('id', id, 'name', name, 'level', level) FROM main) AS class,
      coalesce((SELECT json_agg(json_build_object('id', id, 'name', name, 'level', level) ORDER BY name)
                FROM mine WHERE kind = 'group'), '[]') AS groups,
      coalesce((SELECT json_agg(json_build_object('id', u.id, 'firstName', u.first_name, 'lastName', u.last_name)
                         ORDER BY u.last_name, u.first_name)
                FROM class_members m JOIN users u ON u.id = m.pupil_id
                WHERE m.class_id = (SELECT id FROM main) AND u.id <> ${pupilId}), '[]') AS classmates,
      coalesce((SELECT json_agg(t ORDER BY t."lastName", t."firstName") FROM (
                  SELECT u.id, u.first_name AS "firstName", u.last_name AS "lastName",
                         array_agg(DISTINCT sj.label ORDER BY sj.label) AS subjects
                  FROM teaching_assignments ta JOIN users u ON u.id = ta.teacher_id JOIN subjects sj ON sj.code = ta.subject_code
                  WHERE ta.class_id IN (SELECT id FROM mine)
                  GROUP BY u.id) t), '[]') AS teachers
    FROM schools s
    WHERE s.id = coalesce((SELECT school_id FROM main), (SELECT school_id FROM mine LIMIT 1),
                          (SELECT school_id FROM role_assignments WHERE user_id = ${pupilId} AND role = 'pupil' LIMIT 1))`.execute(db);
  return rows[0] ?? null;
}

export interface ChildRow extends PersonRef {
  school: { id: string; name: string };
  class: ClassRef | null;
  classIds: string[];
}

export async function findChildren(db: Kysely<DB>, parentId: string): Promise<ChildRow[]> {
  const { rows } = await sql<ChildRow>`
    SELECT u.id, u.first_name AS "firstName", u.last_name AS "lastName",
           json_build_object('id', s.id, 'name', s.name) AS school,
           (SELECT json_build_object('id', c.id, 'name', c.name, 'level', c.level)
              FROM class_members m JOIN classes c ON c.id = m.class_id
              WHERE m.pupil_id = u.id AND c.kind = 'class' ORDER BY c.name LIMIT 1) AS class,
           coalesce((SELECT array_agg(m.class_id::text) FROM class_members m WHERE m.pupil_id = u.id), '{}') AS "classIds"
    FROM parent_links p
    JOIN users u ON u.id = p.child_id
    JOIN role_assignments r ON r.user_id = u.id AND r.role = 'pupil'
    JOIN schools s ON s.id = r.school_id
    WHERE p.parent_id = ${parentId}
    ORDER BY u.birth_date NULLS LAST, u.first_name`.execute(db);
  return rows;
}

export interface TaughtClassRow extends ClassRef {
  subjects: string[];
  pupilCount: number;
}

export async function findTaughtClasses(db: Kysely<DB>, teacherId: string): Promise<TaughtClassRow[]> {
  const { rows } = await sql<TaughtClassRow>`
    SELECT c.id, c.name, c.level,
           array_agg(DISTINCT sj.label ORDER BY sj.label) AS subjects,
           (SELECT count(*)::int FROM class_members m WHERE m.class_id = c.id) AS "pupilCount"
    FROM teaching_assignments ta
    JOIN classes c ON c.id = ta.class_id
    JOIN subjects sj ON sj.code = ta.subject_code
    WHERE ta.teacher_id = ${teacherId}
    GROUP BY c.id
    ORDER BY c.level DESC, c.name`.execute(db);
  return rows;
}

export interface StaffSchoolRow {
  id: string;
  name: string;
  uai: string;
  pupils: number;
  parents: number;
  teachers: number;
  activated: number;
  classes: Array<ClassRef & { pupilCount: number }>;
}

export async function findStaffSchools(db: Kysely<DB>, schoolIds: readonly string[]): Promise<StaffSchoolRow[]> {
  const { rows } = await sql<StaffSchoolRow>`
    SELECT s.id, s.name, s.uai,
      (SELECT count(*)::int FROM role_assignments r WHERE r.school_id = s.id AND r.role = 'pupil') AS pupils,
      (SELECT count(*)::int FROM role_assignments r WHERE r.school_id = s.id AND r.role = 'parent') AS parents,
      (SELECT count(*)::int FROM role_assignments r WHERE r.school_id = s.id AND r.role = 'teacher') AS teachers,
      (SELECT count(DISTINCT u.id)::int FROM role_assignments r JOIN users u ON u.id = r.user_id
         WHERE r.school_id = s.id AND u.activated_at IS NOT NULL) AS activated,
      coalesce((SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'level', c.level,
                         'pupilCount', (SELECT count(*) FROM class_members m WHERE m.class_id = c.id))
                       ORDER BY c.kind, c.level DESC, c.name)
                FROM classes c WHERE c.school_id = s.id), '[]') AS classes
    FROM schools s
    WHERE s.id = ANY(${[...schoolIds]}::uuid[])
    ORDER BY s.name`.execute(db);
  return rows;
}

export interface RosterRow {
  class: { id: string; name: string; level: string; schoolId: string };
  pupils: PersonRef[];
  teachers: Array<PersonRef & { subjects: string[] }>;
}

export async function findRoster(db: Kysely<DB>, classId: string): Promise<RosterRow | null> {
  const { rows } = await sql<RosterRow>`
    SELECT json_build_object('id', c.id, 'name', c.name, 'level', c.level, 'schoolId', c.school_id) AS class,
      coalesce((SELECT json_agg(json_build_object('id', u.id, 'firstName', u.first_name, 'lastName', u.last_name)
                         ORDER BY u.last_name, u.first_name)
                FROM class_members m JOIN users u ON u.id = m.pupil_id WHERE m.class_id = c.id), '[]') AS pupils,
      coalesce((SELECT json_agg(t ORDER BY t."lastName") FROM (
                  SELECT u.id, u.first_name AS "firstName", u.last_name AS "lastName",
                         array_agg(DISTINCT sj.label ORDER BY sj.label) AS subjects
                  FROM teaching_assignments ta JOIN users u ON u.id = ta.teacher_id JOIN subjects sj ON sj.code = ta.subject_code
                  WHERE ta.class_id = c.id GROUP BY u.id) t), '[]') AS teachers
    FROM classes c WHERE c.id = ${classId}`.execute(db);
  return rows[0] ?? null;
}

export interface ClassRosterRow {
  id: string;
  name: string;
  level: string;
  kind: 'class' | 'group';
  school: { id: string; name: string };
  /** By last name, first name. */
  pupils: PersonRef[];
  /** By last name, first name; subjects in order. */
  teachers: Array<PersonRef & { subjects: string[] }>;
}

/** One class or group with what its pupils' dashboards show of it (cached per class). One query. */
export async function findClassRosterRow(db: Kysely<DB>, classId: string): Promise<ClassRosterRow | null> {
  const { rows } = await sql<ClassRosterRow>`
    SELECT c.id, c.name, c.level, c.kind, json_build_object('id', s.id, 'name', s.name) AS school,
      coalesce((SELECT json_agg(json_build_object('id', u.id, 'firstName', u.first_name, 'lastName', u.last_name)
                         ORDER BY u.last_name, u.first_name)
                FROM class_members m JOIN users u ON u.id = m.pupil_id WHERE m.class_id = c.id), '[]') AS pupils,
      coalesce((SELECT json_agg(t ORDER BY t."lastName", t."firstName") FROM (
                  SELECT u.id, u.first_name AS "firstName", u.last_name AS "lastName",
                         array_agg(DISTINCT sj.label ORDER BY sj.label) AS subjects
                  FROM teaching_assignments ta JOIN users u ON u.id = ta.teacher_id JOIN subjects sj ON sj.code = ta.subject_code
                  WHERE ta.class_id = c.id GROUP BY u.id) t), '[]') AS teachers
    FROM classes c JOIN schools s ON s.id = c.school_id
    WHERE c.id = ${classId}`.execute(db);
  return rows[0] ?? null;
}
