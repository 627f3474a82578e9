/**
 * Step 2a of an import: the cells of one row, checked on their own (profile, identifier, names,
 * date, email, lists). Checks that need other rows or the database live in validate-rows.ts.
 */
import type { TImportIssue } from '../schools.schemas.ts';
import {
  EXTERNAL_ID_PATTERN,
  MAX_CLASS_NAME_LENGTH,
  MAX_EMAIL_LENGTH,
  MAX_NAME_LENGTH,
  PROFILE_NAMES,
  REQUIRED_COLUMNS,
  fold,
  issue,
  parseProfile,
  splitList,
  tidy,
  type Column,
  type SchoolRole,
} from './import-format.ts';
import type { RawRow } from './parse-csv.ts';

export interface TeachingRef {
  /** Class or group name as written in the file. */
  className: string;
  subjectCode: string;
}

/** One row whose profile and identifier are readable (other cells may have been rejected). */
export interface RowEntry {
  line: number;
  role: SchoolRole;
  externalId: string;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  email: string | null;
  className: string | null;
  groups: string[];
  children: string[];
  teaching: TeachingRef[];
}

/** Subject lookup: folded code or label → code. */
export type SubjectIndex = ReadonlyMap<string, string>;

/** What a row is checked against. */
export interface RowRules {
  subjects: SubjectIndex;
  /** Columns the header names: a missing required column is reported once, not on every row. */
  columns: ReadonlySet<Column>;
  /** `AAAA-MM-JJ`: no birth date after it. */
  today: string;
}

/**
 * Reads one row. Returns null when the row cannot be tied to a person (bad profile or
 * identifier); every problem found is pushed to `issues`.
 */
export function readRow(row: RawRow, rules: RowRules, issues: TImportIssue[]): RowEntry | null {
  const cell = (column: Column): string => row.cells.get(column) ?? '';
  const fail = (column: Column | null, message: string): void => {
    const reportedInHeader = column !== null && REQUIRED_COLUMNS.includes(column) && !rules.columns.has(column);
    if (!reportedInHeader) issues.push(issue(row.line, column, message));
  };
  const role = readProfile(cell('profil'), fail);
  const externalId = readExternalId(cell('identifiant'), fail);
  const lastName = readName(cell('nom'), 'nom', fail);
  const firstName = readName(cell('prenom'), 'prenom', fail);
  const birthDate = readBirthDate(cell('date_naissance'), rules.today, fail);
  const email = readEmail(cell('email'), fail);
  if (!role) return null;
  const entry: RowEntry = {
    line: row.line,
    role,
    externalId: externalId ?? '',
    firstName,
    lastName,
    birthDate,
    email,
    className: readClassName(cell('classe'), role, fail),
    groups: readOnlyFor(role, 'pupil', 'groupes', cell('groupes'), fail).map((g) => checkClassName(g, 'groupes', fail)),
    children: readChildren(cell('enfants'), role, fail),
    teaching: readTeaching(readOnlyFor(role, 'teacher', 'enseignements', cell('enseignements'), fail), rules.subjects, fail),
  };
  return externalId ? entry : null;
}

type Fail = (column: Column | null, message: string) => void;

function readProfile(value: string, fail: Fail): SchoolRole | null {
  if (!value) {
    fail('profil', 'Le profil est obligatoire : eleve, parent, enseignant, direction, cpe ou admin.');
    return null;
  }
  const role = parseProfile(value);
  if (!role) fail('profil', `Profil inconnu « ${value} » : valeurs possibles eleve, parent, enseignant, direction, cpe, admin.`);
  return role;
}

function readExternalId(value: string, fail: Fail): string | null {
  if (!value) fail('identifiant', "L'identifiant est obligatoire (l'identifiant de la personne dans l'établissement).");
  else if (!EXTERNAL_ID_PATTERN.test(value)) {
    fail('identifiant', `Identifiant « ${value} » invalide : 1 à 64 caractères parmi lettres sans accent, chiffres, point, tiret et tiret bas.`);
  } else return value;
  return null;
}

function readName(value: string, column: 'nom' | 'prenom', fail: Fail): string {
  const what = column === 'nom' ? 'Le nom' : 'Le prénom';
  const name = tidy(value);
  if (!name) fail(column, `${what} est obligatoire.`);
  else if (name.length > MAX_NAME_LENGTH) fail(column, `${what} dépasse ${MAX_NAME_LENGTH} caractères.`);
  return name;
}

/** `JJ/MM/AAAA` or `AAAA-MM-JJ` → `AAAA-MM-JJ`, when the date exists and is not in the future. */
export function parseBirthDate(value: string, today: string): { date: string } | { error: string } {
  const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const [y, m, d] = fr ? [fr[3], fr[2], fr[1]] : iso ? [iso[1], iso[2], iso[3]] : [];
  if (!y || !m || !d) return { error: `Date de naissance « ${value} » illisible : écrivez-la JJ/MM/AAAA (ex. 04/09/2014).` };
  const date = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    return { error: `La date de naissance « ${value} » n'existe pas.` };
  }
  if (Number(y) < 1900 || date > today) return { error: `Date de naissance « ${value} » improbable : vérifiez l'année.` };
  return { date };
}

function readBirthDate(value: string, today: string, fail: Fail): string | null {
  if (!value) return null;
  const result = parseBirthDate(value, today);
  if ('error' in result) {
    fail('date_naissance', result.error);
    return null;
  }
  return result.date;
}

function readEmail(value: string, fail: Fail): string | null {
  if (!value) return null;
  if (value.length > MAX_EMAIL_LENGTH || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
    fail('email', `Adresse e-mail « ${value} » invalide.`);
    return null;
  }
  return value.toLowerCase();
}

function checkClassName(name: string, column: 'classe' | 'groupes', fail: Fail): string {
  if (name.length > MAX_CLASS_NAME_LENGTH) fail(column, `Le nom « ${name} » dépasse ${MAX_CLASS_NAME_LENGTH} caractères.`);
  return name;
}

function readClassName(value: string, role: SchoolRole, fail: Fail): string | null {
  const name = tidy(value);
  if (role !== 'pupil') {
    if (name) fail('classe', `Seuls les élèves ont une classe : laissez la colonne classe vide pour le profil ${PROFILE_NAMES[role]}.`);
    return null;
  }
  if (!name) {
    fail('classe', 'La classe est obligatoire pour un élève.');
    return null;
  }
  if (name.includes('|')) fail('classe', 'Un élève est dans une seule classe : mettez les autres dans la colonne groupes.');
  return checkClassName(name, 'classe', fail);
}

/** A list cell only one profile may fill; for the others it must stay empty. */
function readOnlyFor(role: SchoolRole, owner: SchoolRole, column: Column, value: string, fail: Fail): string[] {
  const values = splitList(value);
  if (values.length > 0 && role !== owner) {
    const who = owner === 'pupil' ? 'aux élèves' : 'aux enseignants';
    fail(column, `La colonne ${column} est réservée ${who} : laissez-la vide pour le profil ${PROFILE_NAMES[role]}.`);
    return [];
  }
  return values;
}

function readChildren(value: string, role: SchoolRole, fail: Fail): string[] {
  const children = splitList(value, (id) => id);
  if (role !== 'parent') {
    if (children.length > 0) fail('enfants', `Seuls les parents ont des enfants : laissez la colonne enfants vide pour le profil ${PROFILE_NAMES[role]}.`);
    return [];
  }
  if (children.length === 0) fail('enfants', "Indiquez l'identifiant d'au moins un enfant (élève) pour un parent, séparés par | s'il y en a plusieurs.");
  return children;
}

function readTeaching(pairs: readonly string[], subjects: SubjectIndex, fail: Fail): TeachingRef[] {
  const out: TeachingRef[] = [];
  for (const pair of pairs) {
    const colon = pair.lastIndexOf(':');
    const className = tidy(pair.slice(0, Math.max(colon, 0)));
    const subject = tidy(pair.slice(colon + 1));
    if (colon < 0 || !className || !subject) {
      fail('enseignements', `Enseignement « ${pair} » illisible : écrivez CLASSE:MATIERE (ex. 6e A:MATHS).`);
      continue;
    }
    const subjectCode = subjects.get(fold(subject));
    if (!subjectCode) {
      const codes = [...new Set(subjects.values())].join(', ');
      fail('enseignements', `Matière inconnue « ${subject} » : utilisez un code (${codes}) ou son libellé.`);
      continue;
    }
    out.push({ className, subjectCode });
  }
  return out;
}
