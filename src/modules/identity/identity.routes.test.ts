import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex, normaliseCode } from '../../platform/crypto.ts';
import { Client, buildTestApp, type TestApp } from '../../test/app.ts';
import { FIXTURE_PASSWORD, createSchoolFixture, type SchoolFixture } from '../../test/fixtures.ts';
import { DAY, MINUTE } from '../../shared/time.ts';
import { hashPassword } from './passwords.ts';
import { PASS_COOKIE, SESSION_COOKIE } from './session-tokens.ts';

let t: TestApp;
let school: SchoolFixture;

beforeAll(async () => {
  t = await buildTestApp();
  school = await createSchoolFixture(t.deps.database.db, { passwordHash: await hashPassword(FIXTURE_PASSWORD) });
});
afterAll(() => t.close());

describe('sign-in', () => {
  it('signs in with the right password and returns the profile with roles and a CSRF token', async () => {
    const c = new Client(t.app);
    const res = await c.signIn('karim.benali', FIXTURE_PASSWORD);
    const me = res.json();
    expect(me).toMatchObject({ login: 'karim.benali', firstName: 'Karim', roles: [{ role: 'teacher', schoolName: 'Collège A' }] });
    expect(me.csrfToken).toEqual(expect.any(String));
    const setCookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const sid = setCookies.find((h) => h.startsWith(`${SESSION_COOKIE}=`))!;
    expect(sid).toMatch(/HttpOnly/);
    expect(sid).toMatch(/SameSite=Lax/);
    expect(sid).toMatch(/Max-Age=2592000/); // remembered: 30 days
  });

  it('accepts the login in any case', async () => {
    const c = new Client(t.app);
    await c.signIn('Karim.Benali', FIXTURE_PASSWORD);
  });

  it('refuses a wrong password or an unknown login with the same 401 message', async () => {
    const c = new Client(t.app);
    const wrong = await c.post('/api/auth/login', { login: 'karim.benali', password: 'pas le bon' });
    const unknown = await c.post('/api/auth/login', { login: 'personne.inconnue', password: 'pas le bon' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
    expect(wrong.json().error.message).toMatch(/Identifiant ou mot de passe incorrect/);
  });

  it('validates the body with a message that names the field', async () => {
    const c = new Client(t.app);
    const res = await c.post('/api/auth/login', { login: 'karim.benali' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION' });
    expect(res.json().error.message).toMatch(/mot de passe.*obligatoire/);
    const extra = await c.post('/api/auth/login', { login: 'a', password: 'b', admin: true });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.message).toMatch(/admin.*pas attendu/);
  });

  it('refuses an unsafe request without a valid CSRF token (403), and never leaks a stack trace', async () => {
    const c = new Client(t.app);
    await c.signIn('karim.benali', FIXTURE_PASSWORD);
    const res = await c.request({ method: 'PATCH', url: '/api/me', payload: { locale: 'en' }, headers: { 'x-csrf-token': 'forged' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toMatch(/CSRF/);
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a CSRF token of another session does not work', async () => {
    const a = new Client(t.app);
    const b = new Client(t.app);
    await a.signIn('karim.benali', FIXTURE_PASSWORD);
    await b.signIn('lea.martin', FIXTURE_PASSWORD);
    const res = await b.request({ method: 'PATCH', url: '/api/me', payload: { locale: 'en' }, headers: { 'x-csrf-token': a.csrfToken } });
    expect(res.statusCode).toBe(403);
  });
});

describe('remembered sessions', () => {
  it('keeps a person signed in across pass renewals, with one session read per 5 minutes', async () => {
    const c = new Client(t.app);
    await c.signIn('lea.martin', FIXTURE_PASSWORD);
    const firstPass = c.cookie(PASS_COOKIE);
    expect((await c.get('/api/me')).statusCode).toBe(200);
    t.clock.advance(6 * MINUTE);
    const res = await c.get('/api/me');
    expect(res.statusCode).toBe(200);
    expect(c.cookie(PASS_COOKIE)).not.toBe(firstPass); // renewed from the device session
    t.clock.advance(20 * DAY);
    expect((await c.get('/api/me')).statusCode).toBe(200); // still remembered weeks later
  });

  it('without "remember", the session cookie has no Max-Age (gone with the browser)', async () => {
    const c = new Client(t.app);
    const res = await c.post('/api/auth/login', { login: 'lea.martin', password: FIXTURE_PASSWORD, remember: false });
    const sid = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((h) => h.startsWith(`${SESSION_COOKIE}=`))!;
    expect(sid).not.toMatch(/Max-Age/);
  });

  it('refuses a tampered session cookie', async () => {
    const c = new Client(t.app);
    await c.signIn('lea.martin', FIXTURE_PASSWORD);
    const sid = c.cookie(SESSION_COOKIE)!;
    c.forget(PASS_COOKIE);
    const res = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `${SESSION_COOKIE}=${sid.slice(0, -2)}xx` } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toMatch(/connecter/);
  });

  it('lists sessions and revokes one: the revoked device is out at once, even with a valid pass', async () => {
    const phone = new Client(t.app, { 'user-agent': 'Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile' });
    const laptop = new Client(t.app);
    await phone.signIn('sophie.martin', FIXTURE_PASSWORD);
    await laptop.signIn('sophie.martin', FIXTURE_PASSWORD);
    const list = (await laptop.get('/api/me/sessions')).json().sessions as Array<{ id: string; current: boolean; userAgent: string }>;
    expect(list.length).toBeGreaterThanOrEqual(2);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    const phoneSession = list.find((s) => s.userAgent.includes('Android'))!;
    const del = await laptop.request({ method: 'DELETE', url: `/api/me/sessions/${phoneSession.id}` });
    expect(del.statusCode).toBe(204);
    expect((await phone.get('/api/me')).statusCode).toBe(401);
    expect((await laptop.get('/api/me')).statusCode).toBe(200);
  });

  it("cannot revoke someone else's session (404, nothing revoked)", async () => {
    const lea = new Client(t.app);
    const karim = new Client(t.app);
    await lea.signIn('lea.martin', FIXTURE_PASSWORD);
    await karim.signIn('karim.benali', FIXTURE_PASSWORD);
    const karimSession = (await karim.get('/api/me/sessions')).json().sessions[0].id as string;
    const res = await lea.request({ method: 'DELETE', url: `/api/me/sessions/${karimSession}` });
    expect(res.statusCode).toBe(404);
    expect((await karim.get('/api/me')).statusCode).toBe(200);
  });

  it('signs out: the session is revoked and cookies cleared', async () => {
    const c = new Client(t.app);
    await c.signIn('lea.martin', FIXTURE_PASSWORD);
    const sid = c.cookie(SESSION_COOKIE)!;
    expect((await c.post('/api/auth/logout')).statusCode).toBe(204);
    expect(c.cookie(SESSION_COOKIE)).toBeUndefined();
    const replay = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `${SESSION_COOKIE}=${sid}` } });
    expect(replay.statusCode).toBe(401);
  });
});

describe('activation', () => {
  const CODE = '7E57-C0DE-0001';

  it('checks a code, then activates with a chosen password and signs the person in', async () => {
    const db = t.deps.database.db;
    const user = await db
      .insertInto('users')
      .values({ login: 'tom.petit', first_name: 'Tom', last_name: 'Petit' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('role_assignments').values({ user_id: user.id, role: 'pupil', school_id: school.schoolA }).execute();
    await db
      .insertInto('activation_codes')
      .values({ user_id: user.id, code_hash: sha256Hex(normaliseCode(CODE)), expires_at: new Date(t.clock.now() + DAY) })
      .execute();

    const c = new Client(t.app);
    const check = await c.post('/api/auth/activation/check', { code: ' 7e57 c0de 0001 ' });
    expect(check.statusCode).toBe(200);
    expect(check.json()).toEqual({ login: 'tom.petit', firstName: 'Tom', lastName: 'Petit' });

    const short = await c.post('/api/auth/activation', { code: CODE, password: 'court' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.message).toMatch(/au moins 10 caractère/);

    const res = await c.post('/api/auth/activation', { code: CODE, password: 'une phrase de passe' });
    expect(res.statusCode).toBe(200);
    expect(res.json().login).toBe('tom.petit');
    expect((await c.get('/api/me')).statusCode).toBe(200);

    const again = await new Client(t.app).post('/api/auth/activation', { code: CODE, password: 'une autre phrase' });
    expect(again.statusCode).toBe(404); // one-time
    await new Client(t.app).signIn('tom.petit', 'une phrase de passe');
  });

  it('refuses an unknown or expired code with an actionable message', async () => {
    const res = await new Client(t.app).post('/api/auth/activation/check', { code: 'ZZZZ-ZZZZ-ZZZZ' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toMatch(/inconnu ou a expiré.*nouveau code/);
  });
});

describe('profile', () => {
  it('switches the language', async () => {
    const c = new Client(t.app);
    await c.signIn('lea.martin', FIXTURE_PASSWORD);
    const res = await c.request({ method: 'PATCH', url: '/api/me', payload: { locale: 'en' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().locale).toBe('en');
    const bad = await c.request({ method: 'PATCH', url: '/api/me', payload: { locale: 'de' } });
    expect(bad.statusCode).toBe(400);
  });

  it('answers 401 with a French message when signed out', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Vous devez vous connecter pour continuer.' } });
  });
});

describe('password hashing', () => {
  it('upgrades a hash made with older parameters at the next sign-in', async () => {
    const argon2 = (await import('argon2')).default;
    const db = t.deps.database.db;
    const old = await argon2.hash('ancien mot de passe', { type: argon2.argon2id, memoryCost: 65_536, timeCost: 3, parallelism: 4 });
    await db.updateTable('users').set({ password_hash: old }).where('login', '=', 'julien.moreau').execute();
    await new Client(t.app).signIn('julien.moreau', 'ancien mot de passe');
    const { password_hash } = await db.selectFrom('users').select('password_hash').where('login', '=', 'julien.moreau').executeTakeFirstOrThrow();
    expect(password_hash).not.toBe(old);
    expect(password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    await new Client(t.app).signIn('julien.moreau', 'ancien mot de passe');
  });
});
