/**
 * The demo: Collège Jean Moulin (UAI 0751234A, Paris), seeded on an empty database so that a
 * visitor can log in at once. Every account of the demo school and the platform operator share
 * the password `preau-demo` and are activated, except Tom Petit, left to try the activation with
 * the fixed code `7E57-C0DE-2026`.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, Role } from '../../../platform/db/schema.ts';
import { DAY } from '../../../shared/time.ts';
import { hashPassword } from '../../identity/passwords.ts';
import { storeActivationCodes } from '../import/activation-codes.ts';
import { importPeople } from '../import/import-people.ts';
import { buildDemoCsv } from './demo-csv.ts';

export { buildDemoCsv } from './demo-csv.ts';

export const DEMO_PASSWORD = 'preau-demo';

export const DEMO_REGION = { code: 'IDF', name: 'Île-de-France' } as const;
export const DEMO_SCHOOL = { uai: '0751234A', name: 'Collège Jean Moulin', kind: 'college', city: 'Paris' } as const;

export interface DemoAccount {
  key: 'pupil' | 'parent' | 'teacher' | 'principal' | 'cpe' | 'schoolAdmin' | 'operator';
  login: string;
  firstName: string;
  lastName: string;
  roles: readonly Role[];
  /** Who this is, in French, for the start-up banner and the READMEs. */
  label: string;
}

/** The people every README lists; logins are the ones the import gives them. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { key: 'pupil', login: 'lea.martin', firstName: 'Léa', lastName: 'Martin', roles: ['pupil'], label: 'Léa Martin, élève de 6e A' },
  {
    key: 'parent',
    login: 'sophie.martin',
    firstName: 'Sophie',
    lastName: 'Martin',
    roles: ['parent'],
    label: 'Sophie Martin, mère de Léa (6e A) et de Hugo (4e A)',
  },
  {
    key: 'teacher',
    login: 'karim.benali',
    firstName: 'Karim',
    lastName: 'Benali',
    roles: ['teacher', 'parent'],
    label: 'Karim Benali, professeur de mathématiques (6e A, 5e B, 4e A, 3e B) et père de Yanis (5e B)',
  },
  { key: 'principal', login: 'claire.dubois', firstName: 'Claire', lastName: 'Dubois', roles: ['principal'], label: 'Claire Dubois, principale' },
  { key: 'cpe', login: 'julien.moreau', firstName: 'Julien', lastName: 'Moreau', roles: ['cpe'], label: 'Julien Moreau, CPE' },
  {
    key: 'schoolAdmin',
    login: 'nathalie.roux',
    firstName: 'Nathalie',
    lastName: 'Roux',
    roles: ['school_admin'],
    label: "Nathalie Roux, administratrice de l'établissement",
  },
  { key: 'operator', login: 'operateur', firstName: 'Opérateur', lastName: 'Préau', roles: ['operator'], label: 'opérateur de la plateforme' },
];

/** The account left to activate, with its fixed code (valid ten years). */
export const DEMO_ACTIVATION = { login: 'tom.petit', firstName: 'Tom', lastName: 'Petit', className: '5e B', code: '7E57-C0DE-2026' } as const;

const SEED_LOCK_KEY = 7_261_940_423;

/**
 * Seeds the demo school when the database has no school yet; returns true when it did, false
 * (doing nothing) when any school exists. One transaction under an advisory lock: nodes that
 * start together seed once, and a crash mid-way leaves the database empty.
 */
export async function seedDemo(db: Kysely<DB>, log: (line: string) => void): Promise<boolean> {
  if (await hasSchool(db)) return false;
  const started = Date.now();
  const passwordHash = hashPassword(DEMO_PASSWORD); // hashed once, in parallel with the import
  void passwordHash.catch(() => undefined); // awaited below; a failed seed must not leave it unhandled
  const seeded = await db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`.execute(tx);
    if (await hasSchool(tx)) return false;
    const schoolId = await createSchool(tx);
    const result = await importPeople(tx, { schoolId, csv: buildDemoCsv(), actorUserId: null });
    log(`démo : ${DEMO_SCHOOL.name} (${DEMO_SCHOOL.uai}) créé, ${result.created} comptes, ${result.classesCreated} classes et groupes`);
    const operatorId = await createOperator(tx);
    await activateAccounts(tx, schoolId, operatorId, await passwordHash);
    return true;
  });
  if (seeded) log(`démo prête en ${Date.now() - started} ms : mot de passe « ${DEMO_PASSWORD} » pour tous les comptes`);
  return seeded;
}

const hasSchool = async (db: Kysely<DB>): Promise<boolean> =>
  (await db.selectFrom('schools').select('id').limit(1).executeTakeFirst()) !== undefined;

async function createSchool(tx: Kysely<DB>): Promise<string> {
  await tx.insertInto('regions').values(DEMO_REGION).onConflict((oc) => oc.column('code').doNothing()).execute();
  const region = await tx.selectFrom('regions').select('id').where('code', '=', DEMO_REGION.code).executeTakeFirstOrThrow();
  const school = await tx
    .insertInto('schools')
    .values({ region_id: region.id, ...DEMO_SCHOOL })
    .returning('id')
    .executeTakeFirstOrThrow();
  return school.id;
}

async function createOperator(tx: Kysely<DB>): Promise<string> {
  const existing = await tx.selectFrom('users').select('id').where(sql<string>`lower(login)`, '=', 'operateur').executeTakeFirst();
  const operator = DEMO_ACCOUNTS.find((a) => a.key === 'operator');
  const id =
    existing?.id ??
    (
      await tx
        .insertInto('users')
        .values({ login: 'operateur', first_name: operator?.firstName ?? 'Opérateur', last_name: operator?.lastName ?? 'Préau' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  await tx
    .insertInto('role_assignments')
    .values({ user_id: id, role: 'operator', school_id: null })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return id;
}

/** Everyone gets the demo password and is activated (their import codes go), except Tom Petit. */
async function activateAccounts(tx: Kysely<DB>, schoolId: string, operatorId: string, passwordHash: string): Promise<void> {
  const tom = await tx
    .selectFrom('users as u')
    .innerJoin('school_people as sp', 'sp.user_id', 'u.id')
    .select('u.id')
    .where('sp.school_id', '=', schoolId)
    .where('u.login', '=', DEMO_ACTIVATION.login)
    .executeTakeFirstOrThrow();
  const people = tx.selectFrom('school_people').select('user_id').where('school_id', '=', schoolId);
  await tx
    .updateTable('users')
    .set({ password_hash: passwordHash, activated_at: sql<Date>`now()` })
    .where((eb) => eb.or([eb('id', 'in', people), eb('id', '=', operatorId)]))
    .where('id', '<>', tom.id)
    .execute();
  await tx.deleteFrom('activation_codes').where('user_id', 'in', people).where('user_id', '<>', tom.id).execute();
  await storeActivationCodes(tx, [{ userId: tom.id, code: DEMO_ACTIVATION.code }], {
    actorUserId: null,
    expiresAt: new Date(Date.now() + 3650 * DAY),
  });
}
