import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/database.ts';
import { hashActivationCode } from './activation-codes.ts';
import { importPeople } from './import-people.ts';
import { SMALL_SCHOOL, countRows, createSchool, csvOf, personOf } from './import.test-support.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
});

describe('importPeople', () => {
  it('creates accounts, roles, classes, groups and activation codes from a good file', async () => {
    const { db } = database;
    const school = await createSchool(db);
    const result = await importPeople(db, { schoolId: school.id, csv: SMALL_SCHOOL });
    expect(result).toMatchObject({ dryRun: false, rows: 9, created: 8, updated: 0, unchanged: 0, classesCreated: 4 });

    const lea = await personOf(db, school.id, 'E1');
    expect(lea).toMatchObject({ login: 'lea.martin', first_name: 'Léa', last_name: 'Martin', birth_date: '2014-05-03', roles: ['pupil'] });
    expect((await personOf(db, school.id, 'E2')).birth_date).toBe('2012-11-21');
    expect((await personOf(db, school.id, 'P1')).email).toBe('sophie.martin@example.org');

    const classes = await db.selectFrom('classes').select(['name', 'kind', 'level']).where('school_id', '=', school.id).orderBy('name').execute();
    expect(classes).toEqual([
      { name: '4e A', kind: 'class', level: '4e' },
      { name: '6e A', kind: 'class', level: '6e' },
      { name: 'Allemand LV2', kind: 'group', level: '' },
      { name: 'Latin', kind: 'group', level: '' },
    ]);
    const tom = await personOf(db, school.id, 'E4');
    const tomClasses = await db
      .selectFrom('class_members as m')
      .innerJoin('classes as c', 'c.id', 'm.class_id')
      .select('c.name')
      .where('m.pupil_id', '=', tom.id)
      .orderBy('c.name')
      .execute();
    expect(tomClasses.map((c) => c.name)).toEqual(['4e A', 'Allemand LV2', 'Latin']);

    expect(result.newAccounts.map((a) => a.login)).toEqual([
      'lea.martin',
      'hugo.martin',
      'ines.benali',
      'tom.petit',
      'sophie.martin',
      'karim.benali',
      'isabelle.lefevre',
      'claire.dubois',
    ]);
    const account = result.newAccounts[0]!;
    expect(account).toMatchObject({ userId: lea.id, firstName: 'Léa', lastName: 'Martin', profile: 'eleve', className: '6e A' });
    expect(account.activationCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const code = await db.selectFrom('activation_codes').selectAll().where('user_id', '=', lea.id).executeTakeFirstOrThrow();
    expect(code.code_hash).toBe(hashActivationCode(account.activationCode));
    const days = (code.expires_at.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThan(90.1);
  });

  it('links parents to their children and teachers to their classes and subjects', async () => {
    const { db } = database;
    const school = await createSchool(db);
    await importPeople(db, { schoolId: school.id, csv: SMALL_SCHOOL });
    const sophie = await personOf(db, school.id, 'P1');
    const children = await db
      .selectFrom('parent_links as l')
      .innerJoin('users as u', 'u.id', 'l.child_id')
      .select('u.first_name')
      .where('l.parent_id', '=', sophie.id)
      .orderBy('u.first_name')
      .execute();
    expect(children.map((c) => c.first_name)).toEqual(['Hugo', 'Léa']);

    const teaching = await db
      .selectFrom('teaching_assignments as t')
      .innerJoin('classes as c', 'c.id', 't.class_id')
      .innerJoin('users as u', 'u.id', 't.teacher_id')
      .select(['u.last_name', 'c.name', 't.subject_code'])
      .where('c.school_id', '=', school.id)
      .orderBy('u.last_name')
      .orderBy('c.name')
      .execute();
    expect(teaching).toEqual([
      { last_name: 'Benali', name: '4e A', subject_code: 'MATHS' },
      { last_name: 'Benali', name: '6e A', subject_code: 'MATHS' },
      { last_name: 'Lefèvre', name: '6e A', subject_code: 'FRANCAIS' },
      { last_name: 'Lefèvre', name: 'Latin', subject_code: 'LATIN' },
    ]);
  });

  it('gives a teacher who is also a parent both roles on one account', async () => {
    const { db } = database;
    const school = await createSchool(db);
    const result = await importPeople(db, { schoolId: school.id, csv: SMALL_SCHOOL });
    const karim = await personOf(db, school.id, 'T1');
    expect(karim.roles).toEqual(['parent', 'teacher']);
    expect(karim.email).toBe('k.benali@example.org');
    expect(result.newAccounts.find((a) => a.userId === karim.id)?.profile).toBe('enseignant, parent');
    const rows = await db.selectFrom('school_people').select('user_id').where('school_id', '=', school.id).where('external_id', '=', 'T1').execute();
    expect(rows).toEqual([{ user_id: karim.id }]);
    expect(result.created).toBe(8); // 9 rows, 8 people
    const link = await db.selectFrom('parent_links').selectAll().where('parent_id', '=', karim.id).execute();
    expect(link).toHaveLength(1);
  });

  it('changes nothing when the same file is imported again', async () => {
    const { db } = database;
    const school = await createSchool(db);
    await importPeople(db, { schoolId: school.id, csv: SMALL_SCHOOL });
    const before = await countRows(db);
    const users = await db.selectFrom('users').selectAll().orderBy('id').execute();
    const codes = await db.selectFrom('activation_codes').selectAll().orderBy('user_id').execute();
    const again = await importPeople(db, { schoolId: school.id, csv: SMALL_SCHOOL });
    expect(again).toEqual({ dryRun: false, rows: 9, created: 0, updated: 0, unchanged: 8, classesCreated: 0, newAccounts: [] });
    expect(await countRows(db)).toEqual(before);
    expect(await db.selectFrom('users').selectAll().orderBy('id').execute()).toEqual(users);
    expect(await db.selectFrom('activation_codes').selectAll().orderBy('user_id').execute()).toEqual(codes);
  });

  it('moves a pupil to another class, keeps their groups and updates changed names', async () => {
    const { db } = database;
    const school = await createSchool(db);
    await importPeople(db, { schoolId: school.id, csv: SMALL_SCHOOL });
    const login = (await personOf(db, school.id, 'E4')).login;
    const moved = csvOf('eleve;E4;Petit;Thomas;;6e A;;;;', 'eleve;E1;Martin;Léa;03/05/2014;6e A;;;;');
    const result = await importPeople(db, { schoolId: school.id, csv: moved });
    expect(result).toMatchObject({ rows: 2, created: 0, updated: 1, unchanged: 1, classesCreated: 0 });
    const tom = await personOf(db, school.id, 'E4');
    expect(tom.first_name).toBe('Thomas');
    expect(tom.login).toBe(login); // a login never changes with the name
    expect(tom.updated_at.getTime()).toBeGreaterThan(tom.created_at.getTime());
    const memberships = await db
      .selectFrom('class_members as m')
      .innerJoin('classes as c', 'c.id', 'm.class_id')
      .select(['c.name', 'c.kind'])
      .where('m.pupil_id', '=', tom.id)
      .orderBy('c.name')
      .execute();
    expect(memberships).toEqual([
      { name: '6e A', kind: 'class' },
      { name: 'Allemand LV2', kind: 'group' },
      { name: 'Latin', kind: 'group' },
    ]);
  });

  it('reads comma-separated files, a BOM, CRLF line ends and free-form header names', async () => {
    const { db } = database;
    const school = await createSchool(db);
    const csv = '\uFEFFProfil,Identifiant,NOM,Prénom,Date de naissance,Classe\r\nélève,E1,"Le Goff",Anaïs,01/02/2013,5e B\r\n';
    const result = await importPeople(db, { schoolId: school.id, csv });
    expect(result).toMatchObject({ rows: 1, created: 1, classesCreated: 1 });
    expect(await personOf(db, school.id, 'E1')).toMatchObject({ login: 'anais.le-goff', last_name: 'Le Goff', birth_date: '2013-02-01' });
  });

  it('numbers logins that are already taken anywhere on the platform, whatever their case', async () => {
    const { db } = database;
    await db.insertInto('users').values({ login: 'Jean.Dupont', first_name: 'Jean', last_name: 'Dupont' }).execute();
    const school = await createSchool(db);
    const csv = csvOf(
      'eleve;E1;Dupont;Jean;;6e A;;;;',
      'eleve;E2;Dupont;Jean;;6e B;;;;',
      'enseignant;T1;DUPONT;Jean;;;;;;',
      "eleve;E3;N'Diaye;Jean-Noël;;6e A;;;;",
      'eleve;E4;Œuvray;Bérénice;;6e A;;;;',
    );
    const result = await importPeople(db, { schoolId: school.id, csv });
    expect(result.newAccounts.map((a) => a.login)).toEqual(['jean.dupont2', 'jean.dupont3', 'jean.dupont4', 'jean-noel.ndiaye', 'berenice.oeuvray']);
    const other = await createSchool(db);
    const second = await importPeople(db, { schoolId: other.id, csv: csvOf('eleve;X1;Dupont;Jean;;3e C;;;;') });
    expect(second.newAccounts[0]?.login).toBe('jean.dupont5');
  });

  it('writes nothing on a dry run but reports the same counts', async () => {
    const { db } = database;
    const school = await createSchool(db);
    const before = await countRows(db);
    const progress: number[] = [];
    const dry = await importPeople(db, { schoolId: school.id, csv: SMALL_SCHOOL, dryRun: true, onProgress: (done) => progress.push(done) });
    expect(await countRows(db)).toEqual(before);
    expect(dry).toMatchObject({ dryRun: true, rows: 9, created: 8, updated: 0, unchanged: 0, classesCreated: 4 });
    expect(dry.newAccounts).toHaveLength(8);
    expect(dry.newAccounts.every((a) => a.activationCode === '' && a.userId === '')).toBe(true);
    expect(progress.at(-1)).toBe(9);
    const real = await importPeople(db, { schoolId: school.id, csv: SMALL_SCHOOL });
    expect(dry.newAccounts.map((a) => a.login)).toEqual(real.newAccounts.map((a) => a.login));
    expect({ ...real, dryRun: true, newAccounts: [] }).toEqual({ ...dry, newAccounts: [] });
  });

  it('links a parent to a pupil imported earlier and reports the parent as updated', async () => {
    const { db } = database;
    const school = await createSchool(db);
    await importPeople(db, { schoolId: school.id, csv: SMALL_SCHOOL });
    const result = await importPeople(db, { schoolId: school.id, csv: csvOf('parent;P1;Martin;Sophie;;;;E4;;', 'parent;P2;Petit;Nadia;;;;E4;;') });
    expect(result).toMatchObject({ created: 1, updated: 1, unchanged: 0 });
    const sophie = await personOf(db, school.id, 'P1');
    expect(await db.selectFrom('parent_links').select('child_id').where('parent_id', '=', sophie.id).execute()).toHaveLength(3);
  });

  it('applies a 1 000-row file in batches of statements and reports progress', async () => {
    const { db } = database;
    const school = await createSchool(db);
    const lines: string[] = [];
    for (let i = 0; i < 800; i++) lines.push(`eleve;E${i};Nom${i % 40};Prenom${i % 25};;${(i % 4) + 3}e ${'ABCD'[i % 4]};;;;`);
    for (let i = 0; i < 200; i++) lines.push(`parent;P${i};Nom${i % 40};Parent${i};;;;E${i * 4}|E${i * 4 + 1};;`);
    const progress: number[] = [];
    const started = Date.now();
    const result = await importPeople(db, { schoolId: school.id, csv: csvOf(...lines), onProgress: (done) => progress.push(done) });
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ rows: 1000, created: 1000 });
    expect(progress).toHaveLength(21); // 0, then one call per chunk of 50 people
    expect(progress.slice(0, 3)).toEqual([0, 50, 100]);
    expect(progress.at(-1)).toBe(1000);
    expect(elapsed).toBeLessThan(15_000);
  });
});
