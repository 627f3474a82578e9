/** SQL for school administration pages. */
import { sql, type Kysely } from 'kysely';
import type { DB, Role } from '../../platform/db/schema.ts';

export function findSchool(db: Kysely<DB>, schoolId: string) {
  return db.selectFrom('schools').select(['id', 'name', 'uai']).where('id', '=', schoolId).executeTakeFirst();
}

export interface PeopleFilter {
  role?: Role;
  q?: string;
  limit: number;
  offset: number;
}

export interface PersonRow {
  id: string;
  login: string;
  firstName: string;
  lastName: string;
  roles: string[];
  className: string | null;
  activated: boolean;
  hasPendingCode: boolean;
  total: number;
}

/** One page of the school's people with their roles, class and activation state (one query). */
export async function findPeople(db: Kysely<DB>, schoolId: string, filter: PeopleFilter): Promise<PersonRow[]> {
  const pattern = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%` : null;
  const { rows } = await sql<PersonRow>`
    SELECT u.id, u.login, u.first_name AS "firstName", u.last_name AS "lastName",
           array_agg(DISTINCT r.role ORDER BY r.role) AS roles,
           (SELECT c.name FROM class_members m JOIN classes c ON c.id = m.class_id
             WHERE m.pupil_id = u.id AND c.school_id = ${schoolId} AND c.kind = 'class' LIMIT 1) AS "className",
           u.activated_at IS NOT NULL AS activated,
           EXISTS (SELECT 1 FROM activation_codes a WHERE a.user_id = u.id AND a.expires_at > now()) AS "hasPendingCode",
           count(*) OVER ()::int AS total
    FROM users u
    JOIN role_assignments r ON r.user_id = u.id AND r.school_id = ${schoolId}
    WHERE (${filter.role ?? null}::text IS NULL OR EXISTS (
             SELECT 1 FROM role_assignments r2 WHERE r2.user_id = u.id AND r2.school_id = ${schoolId} AND r2.role = ${filter.role ?? null}))
      AND (${pattern}::text IS NULL OR lower(u.last_name || ' ' || u.first_name || ' ' || u.login) LIKE ${pattern})
    GROUP BY u.id
    ORDER BY u.last_name, u.first_name, u.login
    LIMIT ${filter.limit} OFFSET ${filter.offset}`.execute(db);
  return rows;
}

export function findPersonInSchool(db: Kysely<DB>, schoolId: string, userId: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('role_assignments as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.login'])
    .where('u.id', '=', userId)
    .where('r.school_id', '=', schoolId)
    .executeTakeFirst();
}
