/**
 * Logins of new accounts: `prenom.nom`, then `prenom.nom2`, `prenom.nom3`… unique across the
 * whole platform regardless of case (see the users_login_key index).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../../platform/db/schema.ts';

const MAX_PART_LENGTH = 30;

/** One name → `[a-z0-9-]`: accents and ligatures folded, apostrophes dropped, spaces → `-`. */
export function loginPart(name: string): string {
  return name
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[\s_.]+/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_PART_LENGTH)
    .replace(/-+$/, '');
}

/** `Jean-Noël`, `Le Goff` → `jean-noel.le-goff`; `compte` when neither name has a usable letter. */
export function loginBase(firstName: string, lastName: string): string {
  return [loginPart(firstName), loginPart(lastName)].filter(Boolean).join('.') || 'compte';
}

/** The first of `base`, `base2`, `base3`… that `taken` (lower case) does not hold; marks it taken. */
export function pickLogin(base: string, taken: Set<string>): string {
  let login = base;
  for (let n = 2; taken.has(login); n++) login = `${base}${n}`;
  taken.add(login);
  return login;
}

const stripDigits = (s: string): string => s.replace(/[0-9]+$/, '');

/**
 * Logins already used on the platform that could collide with these bases (lower case). One
 * query: compares each login without its trailing digits to the bases without theirs.
 */
export async function loadTakenLogins(db: Kysely<DB>, bases: readonly string[]): Promise<Set<string>> {
  if (bases.length === 0) return new Set();
  const stems = [...new Set(bases.map(stripDigits))];
  const rows = await sql<{ login: string }>`
    SELECT lower(login) AS login FROM users
    WHERE rtrim(lower(login), '0123456789') IN (SELECT unnest(${stems}::text[]))`.execute(db);
  return new Set(rows.rows.map((r) => r.login));
}

/** Allocates one login per person, in the order given. */
export async function allocateLogins(db: Kysely<DB>, people: readonly { firstName: string; lastName: string }[]): Promise<string[]> {
  const bases = people.map((p) => loginBase(p.firstName, p.lastName));
  const taken = await loadTakenLogins(db, bases);
  return bases.map((base) => pickLogin(base, taken));
}
