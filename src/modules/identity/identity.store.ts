/** SQL of the identity module: users, sessions, activation codes. */
import type { Kysely } from 'kysely';
import type { DB, Locale } from '../../platform/db/schema.ts';

export interface UserRow {
  id: string;
  login: string;
  first_name: string;
  last_name: string;
  locale: Locale;
  password_hash: string | null;
  activated_at: Date | null;
  disabled_at: Date | null;
}

const USER_COLUMNS = ['id', 'login', 'first_name', 'last_name', 'locale', 'password_hash', 'activated_at', 'disabled_at'] as const;

export function findUserByLogin(db: Kysely<DB>, login: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where((eb) => eb(eb.fn('lower', ['login']), '=', login.trim().toLowerCase()))
    .executeTakeFirst();
}

export function findUserById(db: Kysely<DB>, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function findRolesWithSchools(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('role_assignments as r')
    .leftJoin('schools as s', 's.id', 'r.school_id')
    .select(['r.role', 'r.school_id', 's.name as school_name'])
    .where('r.user_id', '=', userId)
    .orderBy('s.name')
    .orderBy('r.role')
    .execute();
}

export async function insertSession(
  db: Kysely<DB>,
  row: { id: string; userId: string; remember: boolean; userAgent: string; ip: string; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: row.id,
      user_id: row.userId,
      remember: row.remember,
      user_agent: row.userAgent.slice(0, 300),
      ip: row.ip.slice(0, 64),
      created_at: row.now,
      last_seen_at: row.now,
      expires_at: row.expiresAt,
    })
    .execute();
}

export async function setPasswordHash(db: Kysely<DB>, userId: string, hash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash, updated_at: new Date() }).where('id', '=', userId).execute();
}

/** The live session (not revoked, not expired, user enabled) or undefined. */
export function findLiveSession(db: Kysely<DB>, sessionId: string, now: Date) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.user_id', 's.remember', 's.expires_at', 's.last_seen_at'])
    .where('s.id', '=', sessionId)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
}

/** Records a resume (and slides the expiry); false when the session was revoked meanwhile. */
export async function touchSession(db: Kysely<DB>, sessionId: string, now: Date, expiresAt?: Date): Promise<boolean> {
  const res = await db
    .updateTable('sessions')
    .set({ last_seen_at: now, ...(expiresAt ? { expires_at: expiresAt } : {}) })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export function listLiveSessions(db: Kysely<DB>, userId: string, now: Date) {
  return db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'user_agent', 'ip', 'remember'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** Revokes sessions of `userId` (all of them, or the one given); returns the ids revoked. */
export async function revokeSessions(db: Kysely<DB>, userId: string, now: Date, sessionId?: string): Promise<string[]> {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (sessionId) query = query.where('id', '=', sessionId);
  const rows = await query.returning('id').execute();
  return rows.map((r) => r.id);
}

export async function deleteExpiredSessions(db: Kysely<DB>, before: Date): Promise<number> {
  const res = await db.deleteFrom('sessions').where('expires_at', '<', before).executeTakeFirst();
  return Number(res.numDeletedRows);
}

export function findActivationCode(db: Kysely<DB>, codeHash: string, now: Date) {
  return db
    .selectFrom('activation_codes as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['u.id', 'u.login', 'u.first_name', 'u.last_name', 'u.disabled_at'])
    .where('c.code_hash', '=', codeHash)
    .where('c.expires_at', '>', now)
    .executeTakeFirst();
}

export async function setLocale(db: Kysely<DB>, userId: string, locale: Locale): Promise<void> {
  await db.updateTable('users').set({ locale, updated_at: new Date() }).where('id', '=', userId).execute();
}
