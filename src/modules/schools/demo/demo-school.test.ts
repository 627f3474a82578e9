import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/database.ts';
import { verifyPassword } from '../../identity/passwords.ts';
import { hashActivationCode } from '../import/activation-codes.ts';
import { DEMO_ACCOUNTS, DEMO_ACTIVATION, DEMO_PASSWORD, DEMO_SCHOOL, buildDemoCsv, seedDemo } from './demo-school.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const log: string[] = [];
let firstSeed: boolean;
let secondSeed: boolean;
beforeAll(async () => {
  database = await openTestDatabase();
  firstSeed = await seedDemo(database.db, (line) => log.push(line));
  secondSeed = await seedDemo(database.db, (line) => log.push(line));
});
afterAll(async () => {
  await database.close();
});

const count = async (query: string): Promise<number> => {
  const r = await sql<{ n: number }>`${sql.raw(query)}`.execute(database.db);
  return r.rows[0]?.n ?? -1;
};

describe('the demo school', () => {
  it('is the same file on every run', () => {
    expect(buildDemoCsv()).toBe(buildDemoCsv());
    expect(buildDemoCsv().split('\n')[0]).toBe('profil;identifiant;nom;prenom;date_naissance;classe;groupes;enfants;enseignements;email');
  });

  it('is seeded once, on an empty database only', async () => {
    expect(firstSeed).toBe(true);
    expect(secondSeed).toBe(false);
    expect(await count('SELECT count(*)::int AS n FROM schools')).toBe(1);
    const school = await database.db.selectFrom('schools as s').innerJoin('regions as r', 'r.id', 's.region_id').select(['s.uai', 's.name', 's.city', 'r.code', 'r.name as region']).executeTakeFirstOrThrow();
    expect(school).toEqual({ uai: DEMO_SCHOOL.uai, name: 'Collège Jean Moulin', city: 'Paris', code: 'IDF', region: 'Île-de-France' });
    expect(log.some((l) => l.includes('Collège Jean Moulin'))).toBe(true);
  });

  it('has four classes of 25 or 26 pupils, every pupil with one or two parents, and eight teachers', async () => {
    const classes = await sql<{ name: string; pupils: number }>`
      SELECT c.name, count(m.pupil_id)::int AS pupils FROM classes c LEFT JOIN class_members m ON m.class_id = c.id
      WHERE c.kind = 'class' GROUP BY c.name ORDER BY c.name`.execute(database.db);
    expect(classes.rows.map((c) => c.name)).toEqual(['3e B', '4e A', '5e B', '6e A']);
    for (const c of classes.rows) expect([25, 26]).toContain(c.pupils);
    expect(await count(`SELECT count(*)::int AS n FROM role_assignments WHERE role = 'pupil'`)).toBe(102);
    expect(await count(`SELECT count(*)::int AS n FROM role_assignments WHERE role = 'teacher'`)).toBe(8);
    const parentsPerPupil = await sql<{ parents: number; pupils: number }>`
      SELECT parents, count(*)::int AS pupils FROM (
        SELECT r.user_id, count(l.parent_id)::int AS parents FROM role_assignments r
        LEFT JOIN parent_links l ON l.child_id = r.user_id WHERE r.role = 'pupil' GROUP BY r.user_id) x
      GROUP BY parents ORDER BY parents`.execute(database.db);
    expect(parentsPerPupil.rows.map((r) => r.parents)).toEqual([1, 2]);
    const siblings = await count(`SELECT count(*)::int AS n FROM (
      SELECT l.parent_id FROM parent_links l JOIN class_members m ON m.pupil_id = l.child_id JOIN classes c ON c.id = m.class_id AND c.kind = 'class'
      JOIN role_assignments r ON r.user_id = l.parent_id AND r.role = 'parent'
      GROUP BY l.parent_id HAVING count(DISTINCT c.id) = 2) x`);
    expect(siblings).toBeGreaterThanOrEqual(10); // parents (one or two per family) of the ten families with two children
    const groups = await sql<{ name: string; pupils: number }>`
      SELECT c.name, count(*)::int AS pupils FROM classes c JOIN class_members m ON m.class_id = c.id WHERE c.kind = 'group' GROUP BY c.name ORDER BY c.name`.execute(database.db);
    expect(groups.rows.map((g) => g.name)).toEqual(['Allemand LV2', 'Latin']);
  });

  it('teaches every class its nine subjects', async () => {
    const subjects = await sql<{ name: string; subjects: string }>`
      SELECT c.name, string_agg(t.subject_code, ',' ORDER BY t.subject_code) AS subjects FROM classes c
      JOIN teaching_assignments t ON t.class_id = c.id WHERE c.kind = 'class' GROUP BY c.name ORDER BY c.name`.execute(database.db);
    for (const c of subjects.rows) expect(c.subjects).toBe('ANGLAIS,EPS,ESPAGNOL,FRANCAIS,HISTGEO,MATHS,PHYSCHIM,SVT,TECHNO');
    expect(subjects.rows).toHaveLength(4);
  });

  it('creates every listed account with its roles, activated with the demo password', async () => {
    for (const account of DEMO_ACCOUNTS) {
      const user = await database.db.selectFrom('users').selectAll().where('login', '=', account.login).executeTakeFirstOrThrow();
      expect(user).toMatchObject({ first_name: account.firstName, last_name: account.lastName });
      expect(user.activated_at).toBeInstanceOf(Date);
      const roles = await database.db.selectFrom('role_assignments').select('role').where('user_id', '=', user.id).execute();
      expect(roles.map((r) => r.role).sort()).toEqual([...account.roles].sort());
    }
    const hashes = await database.db.selectFrom('users').select('password_hash').where('login', '<>', DEMO_ACTIVATION.login).distinct().execute();
    expect(hashes).toHaveLength(1);
    expect(await verifyPassword(hashes[0]?.password_hash ?? null, DEMO_PASSWORD)).toBe(true);
  });

  it('links the demo parent to Léa (6e A) and Hugo (4e A), and the teacher to a pupil of 5e B', async () => {
    const children = await sql<{ parent: string; child: string; class_name: string }>`
      SELECT p.login AS parent, c.first_name AS child, k.name AS class_name FROM parent_links l
      JOIN users p ON p.id = l.parent_id JOIN users c ON c.id = l.child_id
      JOIN class_members m ON m.pupil_id = c.id JOIN classes k ON k.id = m.class_id AND k.kind = 'class'
      WHERE p.login IN ('sophie.martin', 'karim.benali') ORDER BY p.login, c.first_name`.execute(database.db);
    expect(children.rows).toEqual([
      { parent: 'karim.benali', child: 'Yanis', class_name: '5e B' },
      { parent: 'sophie.martin', child: 'Hugo', class_name: '4e A' },
      { parent: 'sophie.martin', child: 'Léa', class_name: '6e A' },
    ]);
  });

  it('leaves Tom Petit to activate with the fixed code, and no other code live', async () => {
    const tom = await database.db.selectFrom('users').selectAll().where('login', '=', DEMO_ACTIVATION.login).executeTakeFirstOrThrow();
    expect(tom).toMatchObject({ first_name: 'Tom', last_name: 'Petit', activated_at: null, password_hash: null });
    const codes = await database.db.selectFrom('activation_codes').selectAll().execute();
    expect(codes).toHaveLength(1);
    expect(codes[0]).toMatchObject({ user_id: tom.id, code_hash: hashActivationCode('7E57-C0DE-2026') });
    expect(codes[0]!.expires_at.getTime()).toBeGreaterThan(Date.now() + 365 * 86_400_000);
  });
});
