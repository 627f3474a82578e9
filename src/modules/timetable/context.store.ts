/** What the timetable page offers a person, in one query: children, classes to look at, and the lesson form's lists. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

export interface ContextRow {
  children: Array<{ id: string; name: string; className: string | null }>;
  /** Classes and groups the person teaches, and all those of the schools they run. */
  classes: Array<{ id: string; name: string }>;
  manage: Array<{
    schoolId: string;
    schoolName: string;
    classes: Array<{ id: string; name: string }>;
    teachers: Array<{ id: string; name: string; subjects: string[] }>;
  }>;
  subjects: Array<{ code: string; label: string }>;
}

export async function findContextRow(
  db: Kysely<DB>,
  userId: string,
  staffSchoolIds: readonly string[],
  manageSchoolIds: readonly string[],
): Promise<ContextRow> {
  const { rows } = await sql<ContextRow>`
    SELECT
      coalesce((SELECT json_agg(json_build_object('id', k.id, 'name', k.first_name || ' ' || k.last_name,
                  'className', (SELECT c.name FROM class_members m JOIN classes c ON c.id = m.class_id
                                WHERE m.pupil_id = k.id AND c.kind = 'class' ORDER BY c.name LIMIT 1))
                  ORDER BY k.birth_date NULLS LAST, k.first_name)
                FROM parent_links pl JOIN users k ON k.id = pl.child_id WHERE pl.parent_id = ${userId}), '[]') AS children,
      coalesce((SELECT json_agg(json_build_object('id', c.id, 'name', c.name) ORDER BY c.kind, c.level DESC, c.name)
                FROM classes c
                WHERE c.id IN (SELECT class_id FROM teaching_assignments WHERE teacher_id = ${userId})
                   OR c.school_id = ANY(${[...staffSchoolIds]}::uuid[])), '[]') AS classes,
      coalesce((SELECT json_agg(json_build_object(
                  'schoolId', s.id, 'schoolName', s.name,
                  'classes', coalesce((SELECT json_agg(json_build_object('id', c.id, 'name', c.name) ORDER BY c.kind, c.level DESC, c.name)
                                       FROM classes c WHERE c.school_id = s.id), '[]'),
                  'teachers', coalesce((SELECT json_agg(json_build_object('id', u.id, 'name', u.first_name || ' ' || u.last_name,
                                          'subjects', coalesce((SELECT array_agg(DISTINCT ta.subject_code)
                                                                FROM teaching_assignments ta JOIN classes c ON c.id = ta.class_id
                                                                WHERE ta.teacher_id = u.id AND c.school_id = s.id), '{}'))
                                          ORDER BY u.last_name, u.first_name)
                                        FROM role_assignments r JOIN users u ON u.id = r.user_id
                                        WHERE r.school_id = s.id AND r.role = 'teacher' AND u.disabled_at IS NULL), '[]'))
                  ORDER BY s.name)
                FROM schools s WHERE s.id = ANY(${[...manageSchoolIds]}::uuid[])), '[]') AS manage,
      coalesce((SELECT json_agg(json_build_object('code', code, 'label', label) ORDER BY label) FROM subjects), '[]') AS subjects`.execute(db);
  return rows[0] ?? { children: [], classes: [], manage: [], subjects: [] };
}
