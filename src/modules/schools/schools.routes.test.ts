import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, buildTestApp, type TestApp, browsers } from '../../test/app.ts';
import { FIXTURE_PASSWORD, createSchoolFixture, type SchoolFixture } from '../../test/fixtures.ts';
import { hashPassword } from '../identity/index.ts';

let t: TestApp;
let s: SchoolFixture;

const GOOD = [
  'profil;identifiant;nom;prenom;date_naissance;classe;groupes;enfants;enseignements;email',
  'eleve;E100;Garnier;Inès;12/03/2014;6e A;;;;',
  'eleve;E101;Faure;Malo;02/11/2013;5e C;;;;',
  'parent;P100;Garnier;Marc;;;;E100;;marc.garnier@example.fr',
  'enseignant;T100;Lambert;Odile;;;;;5e C:HISTGEO;',
].join('\n');
const BAD = GOOD.replace('eleve;E101;Faure;Malo;02/11/2013;5e C', 'eleve;E101;Faure;Malo;31/02/2013;').replace(';E100;;marc', ';E999;;marc');

beforeAll(async () => {
  t = await buildTestApp();
  s = await createSchoolFixture(t.deps.database.db, { passwordHash: await hashPassword(FIXTURE_PASSWORD) });
});
afterAll(() => t.close());

const as = browsers(() => t.app, FIXTURE_PASSWORD);
const csv = { 'content-type': 'text/csv; charset=utf-8' };

describe('CSV import over HTTP', () => {
  it('refuses a bad file with every error by line and column (422), writing nothing', async () => {
    const admin = await as('nathalie.roux');
    const before = await t.deps.database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await admin.post(`/api/schools/${s.schoolA}/imports`, BAD, csv);
    expect(res.statusCode).toBe(422);
    const errors = res.json().error.details.errors as Array<{ line: number; column: string | null; message: string }>;
    expect(errors.map((e) => [e.line, e.column])).toEqual(
      expect.arrayContaining([
        [3, 'date_naissance'],
        [3, 'classe'],
        [4, 'enfants'],
      ]),
    );
    const after = await t.deps.database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('a dry run validates and counts but writes nothing', async () => {
    const admin = await as('nathalie.roux');
    const res = await admin.post(`/api/schools/${s.schoolA}/imports?dryRun=true`, GOOD, csv);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: true, created: 4 });
    const inserted = await t.deps.database.db.selectFrom('users').select('id').where('login', '=', 'ines.garnier').execute();
    expect(inserted).toHaveLength(0);
  });

  it('imports a good file, returns activation codes once, and is idempotent', async () => {
    const admin = await as('nathalie.roux');
    // Every node hears that the school's people changed (and forgets cached actors, rosters, dashboards): once, not for a no-op.
    const heard: string[] = [];
    const stop = t.deps.events.on((event) => {
      if (event.type === 'roster.changed') heard.push(event.schoolId);
    });
    const first = await admin.post(`/api/schools/${s.schoolA}/imports`, GOOD, csv);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ dryRun: false, created: 4, classesCreated: 1 });
    const codes = first.json().newAccounts as Array<{ login: string; activationCode: string }>;
    expect(codes.map((a) => a.login).sort()).toEqual(['ines.garnier', 'malo.faure', 'marc.garnier', 'odile.lambert']);
    const again = await admin.post(`/api/schools/${s.schoolA}/imports`, GOOD, csv);
    expect(again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 4, newAccounts: [] });
    stop();
    expect(heard).toEqual([s.schoolA]);

    // The new pupil activates with the code printed for her.
    const ines = new Client(t.app);
    const code = codes.find((a) => a.login === 'ines.garnier')!.activationCode;
    expect((await ines.post('/api/auth/activation', { code, password: 'la craie et le tableau' })).statusCode).toBe(200);
    const dash = (await ines.get('/api/dashboard')).json();
    expect(dash.pupil.class.name).toBe('6e A');
  });

  it('is for the school admin of that school only (403), and needs a session (401)', async () => {
    for (const login of ['claire.dubois', 'karim.benali', 'lea.martin', 'paul.durand', 'operateur']) {
      const res = await (await as(login)).post(`/api/schools/${s.schoolA}/imports`, GOOD, csv);
      expect(res.statusCode, login).toBe(403);
    }
    const anonymous = new Client(t.app);
    expect((await anonymous.post(`/api/schools/${s.schoolA}/imports`, GOOD, csv)).statusCode).toBe(401);
  });

  it('refuses an unknown school without revealing it (403), a bad id (400), a wrong content type (415)', async () => {
    const admin = await as('nathalie.roux');
    expect((await admin.post('/api/schools/00000000-0000-4000-8000-000000000000/imports', GOOD, csv)).statusCode).toBe(403);
    expect((await admin.post('/api/schools/not-a-uuid/imports', GOOD, csv)).statusCode).toBe(400);
    const xml = await admin.post(`/api/schools/${s.schoolA}/imports`, '<a/>', { 'content-type': 'application/xml' });
    expect(xml.statusCode).toBe(415);
  });

  it('refuses an empty file with a message (422)', async () => {
    const admin = await as('nathalie.roux');
    const res = await admin.post(`/api/schools/${s.schoolA}/imports`, '', csv);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.errors[0].message).toMatch(/vide/);
  });
});

describe('people and activation codes', () => {
  it('lists the people of the school for staff, filtered by role and search', async () => {
    const principal = await as('claire.dubois');
    const res = await principal.get(`/api/schools/${s.schoolA}/people?role=pupil&q=mart`);
    expect(res.statusCode).toBe(200);
    expect(res.json().people.map((p: { login: string }) => p.login)).toEqual(['lea.martin']);
    expect((await principal.get(`/api/schools/${s.schoolB}/people`)).statusCode).toBe(403);
    expect((await (await as('karim.benali')).get(`/api/schools/${s.schoolA}/people`)).statusCode).toBe(403);
    expect((await principal.get(`/api/schools/${s.schoolA}/people?limit=100000`)).statusCode).toBe(400);
  });

  it('the school admin re-issues a code; the old one stops working, the new one activates', async () => {
    const admin = await as('nathalie.roux');
    const db = t.deps.database.db;
    const user = await db.insertInto('users').values({ login: 'zoe.noel', first_name: 'Zoé', last_name: 'Noël' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('role_assignments').values({ user_id: user.id, role: 'pupil', school_id: s.schoolA }).execute();
    const first = await admin.post(`/api/schools/${s.schoolA}/people/${user.id}/activation-code`);
    expect(first.statusCode).toBe(200);
    const second = await admin.post(`/api/schools/${s.schoolA}/people/${user.id}/activation-code`);
    const anonymous = new Client(t.app);
    expect((await anonymous.post('/api/auth/activation/check', { code: first.json().activationCode })).statusCode).toBe(404);
    expect((await anonymous.post('/api/auth/activation/check', { code: second.json().activationCode })).json().login).toBe('zoe.noel');
  });

  it("refuses a code for someone of another school (404) and for a non-admin (403)", async () => {
    const admin = await as('nathalie.roux');
    expect((await admin.post(`/api/schools/${s.schoolA}/people/${s.users.teacherB}/activation-code`)).statusCode).toBe(404);
    const cpe = await as('julien.moreau');
    expect((await cpe.post(`/api/schools/${s.schoolA}/people/${s.users.lea}/activation-code`)).statusCode).toBe(403);
  });
});
