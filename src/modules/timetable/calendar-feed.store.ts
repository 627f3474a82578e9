/** Private calendar feeds: one per person, found by the SHA-256 of its token. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

export async function findFeed(db: Kysely<DB>, userId: string): Promise<{ nonce: string; tokenHash: string; createdAt: Date } | null> {
  const row = await db
    .selectFrom('timetable_calendar_feeds')
    .select(['nonce', 'token_hash as tokenHash', 'created_at as createdAt'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row ?? null;
}

/** Creates or replaces the person's feed: the old token stops working at once. */
export async function replaceFeed(db: Kysely<DB>, userId: string, nonce: string, tokenHash: string): Promise<Date> {
  const row = await db
    .insertInto('timetable_calendar_feeds')
    .values({ user_id: userId, nonce, token_hash: tokenHash })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ nonce, token_hash: tokenHash, created_at: sql<Date>`now()` }))
    .returning('created_at')
    .executeTakeFirstOrThrow();
  return row.created_at;
}

export async function deleteFeed(db: Kysely<DB>, userId: string): Promise<void> {
  await db.deleteFrom('timetable_calendar_feeds').where('user_id', '=', userId).execute();
}

export interface FeedOwner {
  userId: string;
  firstName: string;
  lastName: string;
  /** Classes and groups the person is enrolled in. */
  enrolled: string[];
  /** The person's children, with their first names and classes. */
  children: Array<{ id: string; firstName: string; classIds: string[] }>;
  isTeacher: boolean;
}

/** The owner of a feed token and what their calendar holds, in one query; null for an unknown or revoked token. */
export async function findFeedOwner(db: Kysely<DB>, tokenHash: string): Promise<FeedOwner | null> {
  const { rows } = await sql<FeedOwner>`
    SELECT u.id AS "userId", u.first_name AS "firstName", u.last_name AS "lastName",
      coalesce((SELECT array_agg(m.class_id) FROM class_members m WHERE m.pupil_id = u.id), '{}') AS enrolled,
      coalesce((SELECT json_agg(json_build_object('id', k.id, 'firstName', k.first_name,
                  'classIds', coalesce((SELECT array_agg(m.class_id) FROM class_members m WHERE m.pupil_id = k.id), '{}')))
                FROM parent_links pl JOIN users k ON k.id = pl.child_id WHERE pl.parent_id = u.id), '[]') AS children,
      EXISTS (SELECT 1 FROM role_assignments r WHERE r.user_id = u.id AND r.role = 'teacher') AS "isTeacher"
    FROM timetable_calendar_feeds f JOIN users u ON u.id = f.user_id
    WHERE f.token_hash = ${tokenHash} AND u.disabled_at IS NULL`.execute(db);
  return rows[0] ?? null;
}
