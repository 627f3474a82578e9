/**
 * Sign-in, activation, sessions and the person's own profile. Services take their dependencies
 * and the actor explicitly, return plain data and throw AppError; they never see HTTP.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { normaliseCode, sha256Hex } from '../../platform/crypto.ts';
import type { DB, Locale } from '../../platform/db/schema.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { DAY, HOUR, type Clock } from '../../shared/time.ts';
import { authorize, type Actor } from '../access/index.ts';
import * as store from './identity.store.ts';
import { hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import type { Revocations } from './revocations.ts';
import type { FoundSession, SessionDirectory } from './session-directory.ts';
import { BROWSER_SESSION_MS, REMEMBERED_SESSION_MS } from './session-tokens.ts';
import type { TActivationCheck, TSessionView } from './identity.schemas.ts';

export interface IdentityDeps {
  db: Kysely<DB>;
  clock: Clock;
  revocations: Revocations;
  /** Live sessions in the shared state: most resumes read no row (session-directory.ts). */
  sessions: SessionDirectory;
}

export interface Device {
  userAgent: string;
  ip: string;
}

export interface NewSession {
  userId: string;
  sessionId: string;
  expiresAt: number;
  remember: boolean;
}

/** How stale the devices page's "last seen" may be; below it a session resume writes nothing. */
const LAST_SEEN_PRECISION_MS = HOUR;

const BAD_CREDENTIALS = new AppError('UNAUTHENTICATED', {
  message:
    "Identifiant ou mot de passe incorrect. Première connexion ? Activez d'abord votre compte avec le code remis par l'établissement.",
});

async function openSession(db: Kysely<DB>, now: number, userId: string, remember: boolean, device: Device): Promise<NewSession> {
  const expiresAt = now + (remember ? REMEMBERED_SESSION_MS : BROWSER_SESSION_MS);
  const sessionId = randomUUID();
  await store.insertSession(db, {
    id: sessionId,
    userId,
    remember,
    userAgent: device.userAgent,
    ip: device.ip,
    now: new Date(now),
    expiresAt: new Date(expiresAt),
  });
  return { userId, sessionId, expiresAt, remember };
}

/** Checks a password (off the event loop) and opens a device session. */
export async function signIn(
  deps: IdentityDeps,
  input: { login: string; password: string; remember: boolean },
  device: Device,
): Promise<NewSession> {
  const user = await store.findUserByLogin(deps.db, input.login);
  const ok = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || !ok || user.disabled_at) throw BAD_CREDENTIALS;
  // Hashes made with older parameters are brought up to date while the password is at hand.
  if (user.password_hash && needsRehash(user.password_hash)) {
    await store.setPasswordHash(deps.db, user.id, await hashPassword(input.password));
  }
  const now = deps.clock.now();
  const session = await openSession(deps.db, now, user.id, input.remember, device);
  await deps.sessions.remember(session.sessionId, { ...session, lastSeenAt: now });
  return session;
}

/**
 * Today's rules for writing a resume to the row: a remembered session slides forward at most once
 * a day, and "last seen" to the hour is enough for the devices page, so most resumes at 9:00 write
 * nothing.
 */
function planTouch(session: { remember: boolean; expiresAt: number; lastSeenAt: number }, now: number) {
  const slide = session.remember && session.expiresAt - now < REMEMBERED_SESSION_MS - DAY;
  const expiresAt = slide ? now + REMEMBERED_SESSION_MS : session.expiresAt;
  return { slide, expiresAt, due: slide || now - session.lastSeenAt > LAST_SEEN_PRECISION_MS };
}

/**
 * Called when a person's 5-minute pass has run out: confirms the device session is still live
 * (from the session directory, else one read); a remembered session slides forward. Returns null
 * when it is gone.
 */
export async function resumeSession(deps: IdentityDeps, sessionId: string): Promise<NewSession | null> {
  const now = deps.clock.now();
  const found = await deps.sessions.lookup(sessionId);
  if (found === 'revoked') return null;
  if (found && found.expiresAt > now) return resumeFromDirectory(deps, sessionId, found, now);
  const row = await store.findLiveSession(deps.db, sessionId, new Date(now));
  if (!row) return null;
  const plan = planTouch({ remember: row.remember, expiresAt: row.expires_at.getTime(), lastSeenAt: row.last_seen_at.getTime() }, now);
  if (plan.due && !(await store.touchSession(deps.db, sessionId, new Date(now), plan.slide ? new Date(plan.expiresAt) : undefined))) {
    return null; // revoked between the read and the touch
  }
  const session = { userId: row.user_id, sessionId, expiresAt: plan.expiresAt, remember: row.remember };
  await deps.sessions.remember(sessionId, { ...session, lastSeenAt: plan.due ? now : row.last_seen_at.getTime() });
  return session;
}

/**
 * A resume answered by the directory: no read. Unlike findLiveSession it does not see
 * `users.disabled_at`; that is no weaker than the 5-minute pass, which skips the database
 * altogether: the actor loader (access/actor-loader.ts) refuses a disabled person on its own
 * cache miss (30 s at most), pass or no pass. When a touch is due, the row is written only if the
 * session is still unrevoked; if it is not (revoked in the database by another way than
 * Revocations), every node is told, as for any revocation — so such a session is out at its next
 * due touch, at most an hour after the last one.
 */
async function resumeFromDirectory(deps: IdentityDeps, sessionId: string, found: FoundSession, now: number): Promise<NewSession | null> {
  const plan = planTouch(found, now);
  if (plan.due) {
    const live = await store.touchSession(deps.db, sessionId, new Date(now), plan.slide ? new Date(plan.expiresAt) : undefined);
    if (!live) {
      await deps.revocations.revoke([sessionId]);
      return null;
    }
    await deps.sessions.replace(sessionId, found, { userId: found.userId, expiresAt: plan.expiresAt, remember: found.remember, lastSeenAt: now });
  }
  return { userId: found.userId, sessionId, expiresAt: plan.expiresAt, remember: found.remember };
}

export async function signOut(deps: IdentityDeps, userId: string, sessionId: string): Promise<void> {
  const revoked = await store.revokeSessions(deps.db, userId, new Date(deps.clock.now()), sessionId);
  await deps.revocations.revoke(revoked);
}

async function findCodeOwner(deps: IdentityDeps, code: string) {
  const owner = await store.findActivationCode(deps.db, sha256Hex(normaliseCode(code)), new Date(deps.clock.now()));
  if (!owner || owner.disabled_at) {
    throw new AppError('NOT_FOUND', {
      message: "Ce code d'activation est inconnu ou a expiré. Vérifiez-le, ou demandez un nouveau code à l'établissement.",
    });
  }
  return owner;
}

/** Tells whose account a code opens, so the person can check before choosing a password. */
export async function checkActivationCode(deps: IdentityDeps, code: string): Promise<TActivationCheck> {
  const owner = await findCodeOwner(deps, code);
  return { login: owner.login, firstName: owner.first_name, lastName: owner.last_name };
}

/** Uses a one-time code: sets the password, activates the account and signs the person in. */
export async function activate(
  deps: IdentityDeps,
  input: { code: string; password: string; remember: boolean },
  device: Device,
): Promise<NewSession> {
  const owner = await findCodeOwner(deps, input.code);
  const hash = await hashPassword(input.password); // before the transaction: never hold a connection while hashing
  const openedAt = deps.clock.now();
  const session = await deps.db.transaction().execute(async (tx) => {
    const consumed = await tx
      .deleteFrom('activation_codes')
      .where('user_id', '=', owner.id)
      .where('code_hash', '=', sha256Hex(normaliseCode(input.code)))
      .returning('user_id')
      .executeTakeFirst();
    if (!consumed) throw new AppError('CONFLICT', { message: 'Ce code vient déjà d’être utilisé. Connectez-vous avec votre mot de passe.' });
    const now = new Date(openedAt);
    await tx
      .updateTable('users')
      .set({ password_hash: hash, activated_at: now, updated_at: now })
      .where('id', '=', owner.id)
      .execute();
    return openSession(tx, openedAt, owner.id, input.remember, device);
  });
  // Only once committed: a session rolled back with its transaction must never resume.
  await deps.sessions.remember(session.sessionId, { ...session, lastSeenAt: openedAt });
  return session;
}

export interface MeView {
  id: string;
  login: string;
  firstName: string;
  lastName: string;
  locale: Locale;
  roles: Array<{ role: Actor['roles'][number]['role']; schoolId: string | null; schoolName: string | null }>;
}

export async function getMe(deps: IdentityDeps, userId: string): Promise<MeView> {
  const [user, roles] = await Promise.all([store.findUserById(deps.db, userId), store.findRolesWithSchools(deps.db, userId)]);
  if (!user) throw notFound('Compte');
  return {
    id: user.id,
    login: user.login,
    firstName: user.first_name,
    lastName: user.last_name,
    locale: user.locale,
    roles: roles.map((r) => ({ role: r.role, schoolId: r.school_id, schoolName: r.school_name })),
  };
}

export async function updateLocale(deps: IdentityDeps, actor: Actor, locale: Locale): Promise<MeView> {
  authorize(actor, 'self.read');
  await store.setLocale(deps.db, actor.userId, locale);
  return getMe(deps, actor.userId);
}

export async function listSessions(deps: IdentityDeps, actor: Actor): Promise<TSessionView[]> {
  authorize(actor, 'self.read');
  const rows = await store.listLiveSessions(deps.db, actor.userId, new Date(deps.clock.now()));
  return rows.map((s) => ({
    id: s.id,
    createdAt: s.created_at.toISOString(),
    lastSeenAt: s.last_seen_at.toISOString(),
    expiresAt: s.expires_at.toISOString(),
    userAgent: s.user_agent,
    ip: s.ip,
    remember: s.remember,
    current: s.id === actor.sessionId,
  }));
}

/** Revokes one of the actor's own sessions; someone else's session id is simply not found. */
export async function revokeSession(deps: IdentityDeps, actor: Actor, sessionId: string): Promise<void> {
  const revoked = await store.revokeSessions(deps.db, actor.userId, new Date(deps.clock.now()), sessionId);
  if (revoked.length === 0) throw notFound('Session');
  authorize(actor, 'session.revoke', { userId: actor.userId });
  await deps.revocations.revoke(revoked);
}

/** Deletes rows of sessions that expired more than a day ago. */
export function sweepSessions(deps: IdentityDeps): Promise<number> {
  return store.deleteExpiredSessions(deps.db, new Date(deps.clock.now() - DAY));
}
