/**
 * The session directory through the real app: a remembered session resumes with no SQL query,
 * every revocation path keeps a revoked device out once this node's 5-minute memory of it has
 * lapsed, and the row is still touched hourly and slid daily as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseCode, sha256Hex } from '../../platform/crypto.ts';
import { countQueries } from '../../platform/db/db.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import { DAY, MINUTE } from '../../shared/time.ts';
import { Client, buildTestApp, type TestApp } from '../../test/app.ts';
import { FIXTURE_PASSWORD, createSchoolFixture } from '../../test/fixtures.ts';
import { resumeSession, signOut, type IdentityDeps } from './identity.service.ts';
import { hashPassword } from './passwords.ts';
import { Revocations } from './revocations.ts';
import { SessionDirectory } from './session-directory.ts';
import { PASS_COOKIE, PASS_MS, REMEMBERED_SESSION_MS, SESSION_COOKIE } from './session-tokens.ts';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp({ env: { PREAU_QUERY_COUNT_HEADER: 'true' } });
  await createSchoolFixture(t.deps.database.db, { passwordHash: await hashPassword(FIXTURE_PASSWORD) });
});
afterAll(() => t.close());

/** The identity service on the app's own database and shared state (as another node would be). */
function serviceDeps(state: SharedState = t.deps.state): IdentityDeps {
  const sessions = new SessionDirectory(state, t.clock);
  return { db: t.deps.database.db, clock: t.clock, sessions, revocations: new Revocations(state, t.clock, sessions) };
}

/** The person's latest session (read in the database: no request, so no actor is cached). */
async function latestSession(login: string): Promise<{ id: string; userId: string }> {
  const row = await t.deps.database.db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.user_id'])
    .where('u.login', '=', login)
    .orderBy('s.created_at', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return { id: row.id, userId: row.user_id };
}

const sessionRow = (id: string) =>
  t.deps.database.db.selectFrom('sessions').select(['last_seen_at', 'expires_at', 'revoked_at']).where('id', '=', id).executeTakeFirstOrThrow();

const entryOf = async (id: string) => {
  const raw = await t.deps.state.get(`sess:${id}`);
  return raw === null || raw === '-' ? raw : (JSON.parse(raw) as { userId: string; expiresAt: number; remember: boolean; lastSeenAt: number });
};

/** The pass ran out: the next request resumes from the device session. */
async function resume(c: Client): Promise<number> {
  c.forget(PASS_COOKIE);
  return (await c.get('/api/me')).statusCode;
}

describe('resuming from the session directory', () => {
  it('resumes a remembered session with no SQL query; without the entry it costs the session read', async () => {
    const c = new Client(t.app);
    await c.signIn('lea.martin', FIXTURE_PASSWORD);
    const { id } = await latestSession('lea.martin');
    expect(await entryOf(id)).toMatchObject({ remember: true }); // written at sign-in
    const counted = () => c.request({ method: 'GET', url: '/api/dashboard', headers: { 'x-count-queries': '1' } });
    expect((await c.get('/api/dashboard')).statusCode).toBe(200); // the dashboard and the actor are cached now
    expect((await counted()).headers['x-db-queries']).toBe('0');

    c.forget(PASS_COOKIE);
    const resumed = await counted();
    expect(resumed.statusCode).toBe(200);
    expect(resumed.headers['x-db-queries']).toBe('0');
    expect(c.cookie(PASS_COOKIE)).toBeDefined();
    expect((await countQueries(() => resumeSession(serviceDeps(), id))).queries).toBe(0);

    // The counter does see a resume's read: with the entry gone, the same request costs one query…
    await t.deps.state.del(`sess:${id}`);
    c.forget(PASS_COOKIE);
    const cold = await counted();
    expect(cold.statusCode).toBe(200);
    expect(cold.headers['x-db-queries']).toBe('1');
    // …and the session is read through into the directory for the next time.
    expect(await entryOf(id)).toMatchObject({ remember: true });
  });

  it('knows a session opened by activation', async () => {
    const db = t.deps.database.db;
    const user = await db.insertInto('users').values({ login: 'zoe.petit', first_name: 'Zoé', last_name: 'Petit' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('activation_codes').values({ user_id: user.id, code_hash: sha256Hex(normaliseCode('D1EC-7000-0001')), expires_at: new Date(t.clock.now() + DAY) }).execute();
    const c = new Client(t.app);
    expect((await c.post('/api/auth/activation', { code: 'D1EC-7000-0001', password: 'une phrase de passe' })).statusCode).toBe(200);
    const { id } = await latestSession('zoe.petit');
    const { result, queries } = await countQueries(() => resumeSession(serviceDeps(), id));
    expect(result).toMatchObject({ userId: user.id, sessionId: id });
    expect(queries).toBe(0);
  });

  it('still writes "last seen" once an hour and slides a remembered session once a day', async () => {
    const c = new Client(t.app);
    await c.signIn('karim.benali', FIXTURE_PASSWORD);
    const { id } = await latestSession('karim.benali');
    const signedInAt = t.clock.now();
    const deps = serviceDeps();
    const step = async (advanceMs: number) => {
      t.clock.advance(advanceMs);
      return countQueries(() => resumeSession(deps, id));
    };

    expect((await step(30 * MINUTE)).queries).toBe(0);
    expect((await sessionRow(id)).last_seen_at.getTime()).toBe(signedInAt);

    const touched = await step(31 * MINUTE);
    expect(touched.queries).toBe(1); // the update alone, no read
    expect((await sessionRow(id)).last_seen_at.getTime()).toBe(t.clock.now());
    expect(await entryOf(id)).toMatchObject({ lastSeenAt: t.clock.now() });
    expect((await step(30 * MINUTE)).queries).toBe(0);

    const cookieBefore = c.cookie(SESSION_COOKIE);
    const slid = await step(DAY);
    expect(slid.queries).toBe(1);
    expect(slid.result?.expiresAt).toBe(t.clock.now() + REMEMBERED_SESSION_MS);
    expect((await sessionRow(id)).expires_at.getTime()).toBe(t.clock.now() + REMEMBERED_SESSION_MS);
    expect(await entryOf(id)).toMatchObject({ expiresAt: t.clock.now() + REMEMBERED_SESSION_MS, lastSeenAt: t.clock.now() });
    // The browser gets the slid device cookie at its next resume.
    expect(await resume(c)).toBe(200);
    expect(c.cookie(SESSION_COOKIE)).not.toBe(cookieBefore);
  });
});

describe('revocations reach the directory', () => {
  it('signing out leaves a tombstone: a copy of the cookies is refused once the 5-minute memory has lapsed', async () => {
    const c = new Client(t.app);
    await c.signIn('hugo.bernard', FIXTURE_PASSWORD);
    const { id } = await latestSession('hugo.bernard');
    expect(await resume(c)).toBe(200);
    const sid = c.cookie(SESSION_COOKIE)!;
    expect((await c.post('/api/auth/logout')).statusCode).toBe(204);
    expect(await entryOf(id)).toBe('-');
    t.clock.advance(PASS_MS + MINUTE);
    const replay = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `${SESSION_COOKIE}=${sid}` } });
    expect(replay.statusCode).toBe(401);
  });

  it('signing out another device keeps it out, though the directory knew it', async () => {
    const phone = new Client(t.app, { 'user-agent': 'Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile' });
    const laptop = new Client(t.app);
    await phone.signIn('sophie.martin', FIXTURE_PASSWORD);
    const { id: phoneId } = await latestSession('sophie.martin');
    await laptop.signIn('sophie.martin', FIXTURE_PASSWORD);
    expect(await resume(phone)).toBe(200);
    expect(await entryOf(phoneId)).toMatchObject({ remember: true });
    expect((await laptop.request({ method: 'DELETE', url: `/api/me/sessions/${phoneId}` })).statusCode).toBe(204);
    t.clock.advance(PASS_MS + MINUTE);
    expect(await resume(phone)).toBe(401);
    expect(await resume(laptop)).toBe(200);
  });

  it('never overwrites a tombstone written between the touch and the replacement', async () => {
    const c = new Client(t.app);
    await c.signIn('claire.dubois', FIXTURE_PASSWORD);
    const { id, userId } = await latestSession('claire.dubois');
    // A state that signs the session out (row and tombstone) just after the touch's database update.
    let revokeNow: (() => Promise<void>) | null = null;
    const state: SharedState = {
      ...t.deps.state,
      deleteIfHolder: async (key, value) => {
        const revoke = revokeNow;
        revokeNow = null;
        await revoke?.();
        return t.deps.state.deleteIfHolder(key, value);
      },
    };
    const deps = serviceDeps(state);
    revokeNow = () => signOut(deps, userId, id);
    t.clock.advance(61 * MINUTE); // a touch is due
    expect(await resumeSession(deps, id)).not.toBeNull(); // live when its row was touched
    expect(revokeNow).toBeNull();
    expect(await entryOf(id)).toBe('-');
    expect(await resumeSession(serviceDeps(), id)).toBeNull();
  });
});

describe('what the directory does not see', () => {
  it('a session revoked in the database alone resumes until its next hourly touch, then never again', async () => {
    // Only Revocations.revoke writes tombstones. A row revoked by hand is found at the next touch
    // due (within the hour after the last one): the update finds it revoked and the session is
    // revoked everywhere, as by any revocation.
    const c = new Client(t.app);
    await c.signIn('julien.moreau', FIXTURE_PASSWORD);
    const { id } = await latestSession('julien.moreau');
    await t.deps.database.db.updateTable('sessions').set({ revoked_at: new Date(t.clock.now()) }).where('id', '=', id).execute();
    expect(await resume(c)).toBe(200);
    t.clock.advance(59 * MINUTE);
    expect(await resume(c)).toBe(200);
    t.clock.advance(2 * MINUTE);
    expect(await resume(c)).toBe(401);
    expect(await entryOf(id)).toBe('-');
  });

  it('a disabled person is refused by the actor loader, though the directory still answers', async () => {
    const c = new Client(t.app);
    await c.signIn('marc.leroy', FIXTURE_PASSWORD);
    const { id, userId } = await latestSession('marc.leroy');
    await t.deps.database.db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', userId).execute();
    expect(await resume(c)).toBe(401);
    // The resume itself was answered by the directory (no read); the actor's query refused.
    const { result, queries } = await countQueries(() => resumeSession(serviceDeps(), id));
    expect(result).toMatchObject({ userId });
    expect(queries).toBe(0);
  });
});
