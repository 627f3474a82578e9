import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries } from '../../platform/db/db.ts';
import { Client, buildTestApp, type TestApp } from '../../test/app.ts';
import { FIXTURE_PASSWORD, addPupils, createSchoolFixture, type SchoolFixture } from '../../test/fixtures.ts';
import { ActorLoader } from '../access/index.ts';
import { hashPassword } from '../identity/index.ts';
import { getDashboard } from './dashboard.service.ts';

let t: TestApp;
let s: SchoolFixture;

beforeAll(async () => {
  t = await buildTestApp();
  s = await createSchoolFixture(t.deps.database.db, { passwordHash: await hashPassword(FIXTURE_PASSWORD) });
});
afterAll(() => t.close());

async function dashboardOf(login: string) {
  const c = new Client(t.app);
  await c.signIn(login, FIXTURE_PASSWORD);
  const res = await c.get('/api/dashboard');
  expect(res.statusCode).toBe(200);
  expect(res.headers['cache-control']).toBe('private, no-store');
  return { c, body: res.json() };
}

describe('dashboard by role', () => {
  it('a pupil sees their class, classmates and teachers with subjects — not other classes', async () => {
    const { body } = await dashboardOf('lea.martin');
    expect(body.pupil.class.name).toBe('6e A');
    expect(body.pupil.teachers.map((x: { lastName: string; subjects: string[] }) => [x.lastName, x.subjects])).toEqual([
      ['Benali', ['Mathématiques']],
      ['Bernard', ['Français']],
    ]);
    expect(body.pupil.classmates.map((p: { id: string }) => p.id)).not.toContain(s.users.hugo);
    expect(body.parent).toBeUndefined();
    expect(body.staff).toBeUndefined();
  });

  it('a parent sees their own children only', async () => {
    const { body } = await dashboardOf('sophie.martin');
    expect(body.parent.children).toEqual([
      expect.objectContaining({ id: s.users.lea, firstName: 'Léa', class: expect.objectContaining({ name: '6e A' }) }),
    ]);
  });

  it('a teacher who is also a parent gets both sections', async () => {
    const { body } = await dashboardOf('anne.bernard');
    expect(body.teacher.classes.map((c: { name: string }) => c.name)).toEqual(['6e A']);
    expect(body.parent.children.map((c: { firstName: string }) => c.firstName)).toEqual(['Hugo']);
  });

  it('a teacher sees their classes with pupil counts', async () => {
    const { body } = await dashboardOf('karim.benali');
    expect(body.teacher.classes.map((c: { name: string; pupilCount: number }) => [c.name, c.pupilCount])).toEqual([
      ['6e A', 1],
      ['5e B', 1],
    ]);
  });

  it('a school admin sees their school with counts and classes', async () => {
    const { body } = await dashboardOf('nathalie.roux');
    expect(body.staff.schools).toHaveLength(1);
    expect(body.staff.schools[0]).toMatchObject({ name: 'Collège A', uai: '0750001A', roles: ['school_admin'], pupils: 2, teachers: 2 });
  });

  it("has today's part for everyone: date in France, lessons, homework, messages, documents", async () => {
    const { body } = await dashboardOf('lea.martin');
    expect(body.today).toMatchObject({ date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), unreadMessages: 0, teaching: [], toReview: [] });
    for (const list of ['lessons', 'homework', 'recentThreads', 'documents']) expect(Array.isArray(body.today[list])).toBe(true);
  });

  it('is sent compressed to a browser that accepts it, the same JSON as uncompressed', async () => {
    const { c, body } = await dashboardOf('lea.martin');
    const ask = (encoding: string) => c.request({ method: 'GET', url: '/api/dashboard', headers: { 'accept-encoding': encoding } });
    const br = await ask('gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toMatch(/accept-encoding/i);
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(body);
    const gzip = await ask('gzip, deflate');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.rawPayload).toString())).toEqual(body);
    const plain = await ask('identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.json()).toEqual(body);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length);
  });

  it('needs a session (401)', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/dashboard' })).statusCode).toBe(401);
  });
});

describe('dashboard cost', () => {
  it('the number of SQL queries does not grow with the number of classes or people', async () => {
    const loader = new ActorLoader(t.deps.database.db, { ttlMs: 0 });
    const measure = async (userId: string) => {
      const actor = (await loader.load(userId, '00000000-0000-0000-0000-000000000000'))!;
      return (await countQueries(() => getDashboard({ db: t.deps.database.db, clock: t.clock }, actor))).queries;
    };
    const logins = [s.users.lea, s.users.parentLea, s.users.teacherParentHugo, s.users.adminA];
    const before = await Promise.all(logins.map(measure));
    const db = t.deps.database.db;
    for (let i = 0; i < 6; i++) {
      const extra = await db.insertInto('classes').values({ school_id: s.schoolA, name: `4e ${i}`, level: '4e' }).returning('id').executeTakeFirstOrThrow();
      await addPupils(db, s.schoolA, extra.id, 25);
      await db.insertInto('teaching_assignments').values({ teacher_id: s.users.teacherParentHugo, class_id: extra.id, subject_code: 'FRANCAIS' }).execute();
    }
    await addPupils(db, s.schoolA, s.class6A, 30);
    const after = await Promise.all(logins.map(measure));
    expect(after).toEqual(before);
    expect(Math.max(...after)).toBeLessThanOrEqual(12);
  });
});

describe('class rosters (authorization over HTTP)', () => {
  const roster = async (login: string, classId: string) => {
    const c = new Client(t.app);
    await c.signIn(login, FIXTURE_PASSWORD);
    return c.get(`/api/classes/${classId}`);
  };

  it('a pupil reads their own class roster', async () => {
    const res = await roster('lea.martin', s.class6A);
    expect(res.statusCode).toBe(200);
    expect(res.json().class.name).toBe('6e A');
  });

  it("refuses a pupil reading another class's pupils (403)", async () => {
    const res = await roster('lea.martin', s.class5B);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });

  it("refuses a parent reading a class where they have no child (403), allows their child's", async () => {
    expect((await roster('sophie.martin', s.class5B)).statusCode).toBe(403);
    expect((await roster('sophie.martin', s.class6A)).statusCode).toBe(200);
  });

  it('refuses a teacher of another school (403) and the operator (403)', async () => {
    expect((await roster('marc.leroy', s.class6A)).statusCode).toBe(403);
    expect((await roster('operateur', s.class6A)).statusCode).toBe(403);
  });

  it('answers 404 for an unknown class and 400 for a malformed id', async () => {
    expect((await roster('claire.dubois', '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const bad = await roster('claire.dubois', 'pas-un-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION');
  });
});

describe('query count header (benchmarks only)', () => {
  it('counts only a request that asks, so load lines never turn on the counter', async () => {
    const bench = await buildTestApp({ env: { PREAU_QUERY_COUNT_HEADER: 'true' } });
    try {
      await createSchoolFixture(bench.deps.database.db, { passwordHash: await hashPassword(FIXTURE_PASSWORD) });
      const c = new Client(bench.app);
      await c.signIn('lea.martin', FIXTURE_PASSWORD);
      const plain = await c.get('/api/dashboard');
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['x-db-queries']).toBeUndefined();
      const counted = await c.request({ method: 'GET', url: '/api/dashboard', headers: { 'x-count-queries': '1' } });
      expect(counted.statusCode).toBe(200);
      expect(Number(counted.headers['x-db-queries'])).toBeGreaterThanOrEqual(0);
    } finally {
      await bench.close();
    }
  });
});
