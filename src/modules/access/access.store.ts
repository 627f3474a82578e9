/** Loads an actor's roles and scope in a single query. */
import { sql, type Kysely } from 'kysely';
import type { DB, Role } from '../../platform/db/schema.ts';

export interface ActorRow {
  roles: Array<{ role: Role; school_id: string | null }>;
  enrolled: string[];
  children: string[];
  child_classes: string[];
  taught: string[];
}

export async function findActorRow(db: Kysely<DB>, userId: string): Promise<ActorRow | null> {
  const result = await sql<ActorRow>`
    SELECT
      coalesce((SELECT json_agg(json_build_object('role', r.role, 'school_id', r.school_id))
                FROM role_assignments r WHERE r.user_id = u.id), '[]') AS roles,
      coalesce((SELECT array_agg(m.class_id) FROM class_members m WHERE m.pupil_id = u.id), '{}') AS enrolled,
      coalesce((SELECT array_agg(p.child_id) FROM parent_links p WHERE p.parent_id = u.id), '{}') AS children,
      coalesce((SELECT array_agg(DISTINCT m.class_id) FROM parent_links p
                JOIN class_members m ON m.pupil_id = p.child_id WHERE p.parent_id = u.id), '{}') AS child_classes,
      coalesce((SELECT array_agg(DISTINCT t.class_id) FROM teaching_assignments t WHERE t.teacher_id = u.id), '{}') AS taught
    FROM users u
    WHERE u.id = ${userId} AND u.disabled_at IS NULL`.execute(db);
  return result.rows[0] ?? null;
}
