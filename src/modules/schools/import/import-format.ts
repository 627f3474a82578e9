/**
 * The people import file format: its columns, profiles and limits, shared by the parser, the
 * validator, the CLI and the demo generator. README.md in this folder describes it for schools.
 */
import type { Role } from '../../../platform/db/schema.ts';
import { AppError } from '../../../shared/errors.ts';
import type { TImportIssue } from '../schools.schemas.ts';

export type SchoolRole = Exclude<Role, 'operator'>;

/** Columns in the order the template lists them. */
export const COLUMNS = [
  'profil',
  'identifiant',
  'nom',
  'prenom',
  'date_naissance',
  'classe',
  'groupes',
  'enfants',
  'enseignements',
  'email',
] as const;
export type Column = (typeof COLUMNS)[number];

/** Columns the header must name; the others may be left out when no row needs them. */
export const REQUIRED_COLUMNS: readonly Column[] = ['profil', 'identifiant', 'nom', 'prenom'];

export const MAX_ROWS = 20_000;
export const MAX_NAME_LENGTH = 80;
export const MAX_CLASS_NAME_LENGTH = 64;
export const MAX_EMAIL_LENGTH = 254;
export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
/** Separator of several values in one cell (groups, children, teaching). */
export const LIST_SEPARATOR = '|';

/** Profile words accepted in the `profil` column (folded), French first, then English. */
const PROFILE_WORDS: Readonly<Record<string, SchoolRole>> = {
  eleve: 'pupil',
  parent: 'parent',
  enseignant: 'teacher',
  direction: 'principal',
  cpe: 'cpe',
  admin: 'school_admin',
  pupil: 'pupil',
  teacher: 'teacher',
  principal: 'principal',
  school_admin: 'school_admin',
};

/** The French word for each role, as written in the file and in the codes file. */
export const PROFILE_LABELS: Readonly<Record<SchoolRole, string>> = {
  pupil: 'eleve',
  parent: 'parent',
  teacher: 'enseignant',
  principal: 'direction',
  cpe: 'cpe',
  school_admin: 'admin',
};

/** French name of a role for messages (« le profil élève »). */
export const PROFILE_NAMES: Readonly<Record<SchoolRole, string>> = {
  pupil: 'élève',
  parent: 'parent',
  teacher: 'enseignant',
  principal: 'direction',
  cpe: 'CPE',
  school_admin: 'admin',
};

/** Lower case, accents and ligatures removed, spaces collapsed: how names are compared. */
export function fold(value: string): string {
  return value
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'OE')
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'AE')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Trims and collapses inner runs of spaces (names, class names). */
export function tidy(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** The role for a `profil` cell, or null when the word is unknown. */
export function parseProfile(cell: string): SchoolRole | null {
  const key = fold(cell).replace(/[\s-]+/g, '_');
  return PROFILE_WORDS[key] ?? null;
}

/** The column for a header cell (`Prénom`, `DATE NAISSANCE`, `date-naissance`…), or null. */
export function parseColumnName(cell: string): Column | null {
  const key = fold(cell).replace(/[\s-]+/g, '_');
  const aliases: Readonly<Record<string, Column>> = { date_de_naissance: 'date_naissance', groupe: 'groupes', e_mail: 'email', mail: 'email' };
  const column = aliases[key] ?? key;
  return (COLUMNS as readonly string[]).includes(column) ? (column as Column) : null;
}

/**
 * Splits a `a|b|c` cell into trimmed, non-empty, distinct values (first spelling kept). Names
 * are compared folded; identifiers (`key` = identity) exactly.
 */
export function splitList(cell: string, key: (value: string) => string = fold): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of cell.split(LIST_SEPARATOR)) {
    const value = tidy(part);
    if (value && !seen.has(key(value))) {
      seen.add(key(value));
      out.push(value);
    }
  }
  return out;
}

/** `6e A` → `6e`: a class's level is its leading token. */
export function classLevel(name: string): string {
  return tidy(name).split(' ')[0] ?? '';
}

/** One problem of the file, at a line and (unless it concerns the whole row) a column. */
export const issue = (line: number, column: Column | null, message: string): TImportIssue => ({ line, column, message });

/** Most problems listed in one answer; a file with more is wrong as a whole (a wrong column, say). */
export const MAX_LISTED_ISSUES = 500;

/** The one error an import throws for a bad file: its problems (the first 500), nothing written. */
export function importFailed(issues: readonly TImportIssue[]): AppError {
  const listed = issues.slice(0, MAX_LISTED_ISSUES);
  const more = issues.length - listed.length;
  return new AppError('UNPROCESSABLE', {
    message:
      `Le fichier contient ${issues.length} erreur(s) ; rien n'a été importé.` +
      (more > 0 ? ` Les ${MAX_LISTED_ISSUES} premières sont listées.` : ''),
    details: { errors: listed, total: issues.length },
  });
}
