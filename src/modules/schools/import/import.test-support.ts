/** Helpers shared by the import tests: a region and school per test, row counts, small files. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../../platform/db/schema.ts';

let uaiCounter = 0;

/** Creates a school (and its region, once) with a fresh UAI; returns its id and UAI. */
export async function createSchool(db: Kysely<DB>, name = 'Collège de test'): Promise<{ id: string; uai: string }> {
  await db.insertInto('regions').values({ code: 'TST', name: 'Région de test' }).onConflict((oc) => oc.column('code').doNothing()).execute();
  const region = await db.selectFrom('regions').select('id').where('code', '=', 'TST').executeTakeFirstOrThrow();
  uaiCounter++;
  const uai = `${String(process.pid % 100).padStart(2, '0')}${String(uaiCounter).padStart(5, '0')}T`;
  const school = await db
    .insertInto('schools')
    .values({ region_id: region.id, uai, name, kind: 'college', city: 'Testville' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: school.id, uai };
}

const TABLES = [
  'users',
  'role_assignments',
  'school_people',
  'classes',
  'class_members',
  'parent_links',
  'teaching_assignments',
  'activation_codes',
] as const;

/** Row count of every table an import writes to. */
export async function countRows(db: Kysely<DB>): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db);
    out[table] = r.rows[0]?.n ?? -1;
  }
  return out;
}

export const HEADER = 'profil;identifiant;nom;prenom;date_naissance;classe;groupes;enfants;enseignements;email';

/** Joins lines into a file (header first). */
export const csvOf = (...lines: string[]): string => [HEADER, ...lines].join('\n') + '\n';

/** A small school: two classes, four pupils, parents, two teachers, one of them also a parent. */
export const SMALL_SCHOOL = csvOf(
  'eleve;E1;Martin;Léa;03/05/2014;6e A;Latin;;;',
  'eleve;E2;Martin;Hugo;2012-11-21;4e A;;;;',
  'eleve;E3;Benali;Inès;;6e A;;;;',
  'eleve;E4;Petit;Tom;;4e A;Latin|Allemand LV2;;;',
  'parent;P1;Martin;Sophie;;;;E1|E2;;sophie.martin@example.org',
  'enseignant;T1;Benali;Karim;;;;;6e A:MATHS|4e A:Mathématiques;k.benali@example.org',
  'parent;T1;Benali;Karim;;;;E3;;',
  'enseignant;T2;Lefèvre;Isabelle;;;;;6e A:FRANCAIS|Latin:latin;',
  'direction;D1;Dubois;Claire;;;;;;',
);

/** The user row, roles and school person of an external id. */
export async function personOf(db: Kysely<DB>, schoolId: string, externalId: string) {
  const user = await db
    .selectFrom('school_people as sp')
    .innerJoin('users as u', 'u.id', 'sp.user_id')
    .selectAll('u')
    .where('sp.school_id', '=', schoolId)
    .where('sp.external_id', '=', externalId)
    .executeTakeFirstOrThrow();
  const roles = await db.selectFrom('role_assignments').select('role').where('user_id', '=', user.id).orderBy('role').execute();
  return { ...user, roles: roles.map((r) => r.role) };
}
