/** Who joined an occurrence's virtual class: first join per person, kept once. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { PresenceRole } from '../../platform/db/tables/timetable.ts';

/** Records the first join (later joins change nothing) and returns its time. One statement. */
export async function recordPresence(
  db: Kysely<DB>,
  p: { lessonId: string; date: string; userId: string; role: PresenceRole; at: Date },
): Promise<{ joinedAt: Date; first: boolean }> {
  const { rows } = await sql<{ joinedAt: Date; first: boolean }>`
    WITH inserted AS (
      INSERT INTO timetable_presence (lesson_id, occurs_on, user_id, role, joined_at)
      VALUES (${p.lessonId}, ${p.date}::date, ${p.userId}, ${p.role}, ${p.at})
      ON CONFLICT (lesson_id, occurs_on, user_id) DO NOTHING
      RETURNING joined_at
    )
    SELECT joined_at AS "joinedAt", true AS first FROM inserted
    UNION ALL
    SELECT joined_at, false FROM timetable_presence
    WHERE lesson_id = ${p.lessonId} AND occurs_on = ${p.date}::date AND user_id = ${p.userId}
      AND NOT EXISTS (SELECT 1 FROM inserted)`.execute(db);
  const row = rows[0];
  if (row) return { joinedAt: new Date(row.joinedAt), first: row.first };
  // A simultaneous first join of the same person won the race: its row is committed now.
  const again = await db
    .selectFrom('timetable_presence')
    .select('joined_at')
    .where('lesson_id', '=', p.lessonId)
    .where('occurs_on', '=', p.date)
    .where('user_id', '=', p.userId)
    .executeTakeFirstOrThrow();
  return { joinedAt: again.joined_at, first: false };
}

export interface PresenceRow {
  pupils: Array<{ id: string; firstName: string; lastName: string; joinedAt: string | null }>;
  moderators: Array<{ id: string; firstName: string; lastName: string; joinedAt: string }>;
}

/** The class's pupils with their first join (or null), and the moderators who joined. One query. */
export async function findPresence(db: Kysely<DB>, lessonId: string, date: string, classId: string): Promise<PresenceRow> {
  const { rows } = await sql<PresenceRow>`
    SELECT
      coalesce((SELECT json_agg(json_build_object('id', u.id, 'firstName', u.first_name, 'lastName', u.last_name, 'joinedAt', p.joined_at)
                         ORDER BY u.last_name, u.first_name)
                FROM class_members m JOIN users u ON u.id = m.pupil_id
                LEFT JOIN timetable_presence p ON p.lesson_id = ${lessonId} AND p.occurs_on = ${date}::date AND p.user_id = u.id
                WHERE m.class_id = ${classId}), '[]') AS pupils,
      coalesce((SELECT json_agg(json_build_object('id', u.id, 'firstName', u.first_name, 'lastName', u.last_name, 'joinedAt', p.joined_at)
                         ORDER BY p.joined_at)
                FROM timetable_presence p JOIN users u ON u.id = p.user_id
                WHERE p.lesson_id = ${lessonId} AND p.occurs_on = ${date}::date AND p.role = 'moderator'), '[]') AS moderators`.execute(db);
  return rows[0] ?? { pupils: [], moderators: [] };
}
