/**
 * Step 2b of an import: rows → a plan of people and classes, checking what needs the whole file
 * and the school (duplicates, one person on several rows, children, classes of teachers).
 * Pure: it reads the context loaded by import-context.ts and writes nothing.
 */
import type { TImportIssue } from '../schools.schemas.ts';
import { COLUMNS, PROFILE_NAMES, classLevel, fold, issue, type Column, type SchoolRole } from './import-format.ts';
import type { ImportContext } from './import-context.ts';
import type { ParsedCsv } from './parse-csv.ts';
import { readRow, type RowEntry } from './validate-fields.ts';

export interface PlannedPerson {
  externalId: string;
  /** First line of the person in the file. */
  line: number;
  rowCount: number;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  email: string | null;
  /** Roles given by the file, in file order. */
  roles: SchoolRole[];
  /** Canonical class name (pupils). */
  className: string | null;
  groups: string[];
  /** External ids of the children (parents). */
  children: string[];
  teaching: { className: string; subjectCode: string }[];
}

export interface PlannedClass {
  name: string;
  kind: 'class' | 'group';
  level: string;
}

export interface ImportPlan {
  rows: number;
  /** In file order of first appearance. */
  people: PlannedPerson[];
  /** Classes and groups the file names that the school does not have yet. */
  newClasses: PlannedClass[];
}

interface KnownClass {
  name: string;
  kind: 'class' | 'group';
  isNew: boolean;
}

/** Validates every row against the others and the school; returns the plan and every problem. */
export function validateRows(parsed: ParsedCsv, ctx: ImportContext, today: string): { plan: ImportPlan; issues: TImportIssue[] } {
  const issues: TImportIssue[] = [...parsed.issues];
  const rules = { subjects: ctx.subjects, columns: parsed.columns, today };
  const entries = parsed.rows.map((row) => readRow(row, rules, issues)).filter((e): e is RowEntry => e !== null);
  const classes = registerClasses(entries, ctx, issues);
  const people = mergePeople(entries, issues);
  checkRoles(people, ctx, issues);
  checkChildren(entries, people, ctx, issues);
  checkTeaching(entries, classes, issues);
  const newClasses = [...classes.values()]
    .filter((c) => c.isNew)
    .map((c) => ({ name: c.name, kind: c.kind, level: c.kind === 'class' ? classLevel(c.name) : '' }));
  return { plan: { rows: parsed.rows.length, people: [...people.values()], newClasses }, issues: sortIssues(issues) };
}

/** Records every class and group of the pupils, flagging a name used both ways. */
function registerClasses(entries: readonly RowEntry[], ctx: ImportContext, issues: TImportIssue[]): Map<string, KnownClass> {
  const known = new Map<string, KnownClass>();
  for (const [key, c] of ctx.classes) known.set(key, { name: c.name, kind: c.kind, isNew: false });
  const use = (entry: RowEntry, name: string, kind: 'class' | 'group'): string => {
    const key = fold(name);
    const found = known.get(key);
    if (!found) {
      known.set(key, { name, kind, isNew: true });
      return name;
    }
    if (found.kind !== kind) {
      const message =
        kind === 'class'
          ? `« ${found.name} » est un groupe, pas une classe : mettez-le dans la colonne groupes.`
          : `« ${found.name} » est une classe, pas un groupe : mettez-la dans la colonne classe.`;
      issues.push(issue(entry.line, kind === 'class' ? 'classe' : 'groupes', message));
    }
    return found.name;
  };
  for (const entry of entries) {
    if (entry.className) entry.className = use(entry, entry.className, 'class');
    entry.groups = entry.groups.map((g) => use(entry, g, 'group'));
  }
  return known;
}

/** One person per identifier: rows with other profiles add roles, and must agree on the rest. */
function mergePeople(entries: readonly RowEntry[], issues: TImportIssue[]): Map<string, PlannedPerson> {
  const people = new Map<string, PlannedPerson>();
  const lineOfRole = new Map<string, number>();
  for (const e of entries) {
    const roleKey = `${e.externalId}|${e.role}`;
    const previous = lineOfRole.get(roleKey);
    if (previous !== undefined) {
      issues.push(issue(e.line, 'identifiant', `L'identifiant ${e.externalId} apparaît deux fois avec le profil ${PROFILE_NAMES[e.role]} (déjà ligne ${previous}).`));
      continue;
    }
    lineOfRole.set(roleKey, e.line);
    const person = people.get(e.externalId);
    if (!person) {
      people.set(e.externalId, newPerson(e));
      continue;
    }
    mergeInto(person, e, issues);
  }
  return people;
}

function newPerson(e: RowEntry): PlannedPerson {
  return {
    externalId: e.externalId,
    line: e.line,
    rowCount: 1,
    firstName: e.firstName,
    lastName: e.lastName,
    birthDate: e.birthDate,
    email: e.email,
    roles: [e.role],
    className: e.className,
    groups: [...e.groups],
    children: [...e.children],
    teaching: [...e.teaching],
  };
}

function mergeInto(person: PlannedPerson, e: RowEntry, issues: TImportIssue[]): void {
  const disagree = (column: Column, label: string, a: string, b: string): void =>
    void issues.push(
      issue(e.line, column, `L'identifiant ${e.externalId} désigne la personne de la ligne ${person.line}, mais ${label} diffère (« ${a} » / « ${b} »).`),
    );
  if (e.lastName && person.lastName && e.lastName !== person.lastName) disagree('nom', 'le nom', person.lastName, e.lastName);
  if (e.firstName && person.firstName && e.firstName !== person.firstName) disagree('prenom', 'le prénom', person.firstName, e.firstName);
  if (e.birthDate && person.birthDate && e.birthDate !== person.birthDate) disagree('date_naissance', 'la date de naissance', person.birthDate, e.birthDate);
  if (e.email && person.email && e.email !== person.email) disagree('email', "l'e-mail", person.email, e.email);
  person.birthDate ??= e.birthDate;
  person.email ??= e.email;
  person.rowCount++;
  person.roles.push(e.role);
  person.className ??= e.className;
  person.groups.push(...e.groups);
  person.children.push(...e.children);
  person.teaching.push(...e.teaching);
}

/** A pupil account is never also an adult's account (it would see what adults see). */
function checkRoles(people: ReadonlyMap<string, PlannedPerson>, ctx: ImportContext, issues: TImportIssue[]): void {
  for (const person of people.values()) {
    const roles = new Set<SchoolRole>([...person.roles, ...(ctx.people.get(person.externalId)?.roles ?? [])]);
    if (roles.has('pupil') && roles.size > 1) {
      const others = [...roles].filter((r) => r !== 'pupil').map((r) => PROFILE_NAMES[r]).join(', ');
      issues.push(issue(person.line, 'profil', `L'identifiant ${person.externalId} ne peut pas être à la fois élève et ${others} : un élève a son propre compte.`));
    }
  }
}

function checkChildren(entries: readonly RowEntry[], people: ReadonlyMap<string, PlannedPerson>, ctx: ImportContext, issues: TImportIssue[]): void {
  for (const e of entries) {
    for (const child of e.children) {
      const inFile = people.get(child);
      const inSchool = ctx.people.get(child);
      if (child === e.externalId) {
        issues.push(issue(e.line, 'enfants', `L'identifiant ${child} ne peut pas être son propre enfant.`));
      } else if (!inFile && !inSchool) {
        issues.push(issue(e.line, 'enfants', `Enfant inconnu : identifiant ${child} absent du fichier et de l'établissement.`));
      } else if (!inFile?.roles.includes('pupil') && !inSchool?.roles.has('pupil')) {
        issues.push(issue(e.line, 'enfants', `L'identifiant ${child} n'est pas celui d'un élève : un parent n'est lié qu'à des élèves.`));
      }
    }
  }
}

function checkTeaching(entries: readonly RowEntry[], classes: ReadonlyMap<string, KnownClass>, issues: TImportIssue[]): void {
  for (const e of entries) {
    for (const t of e.teaching) {
      const found = classes.get(fold(t.className));
      if (found) t.className = found.name;
      else {
        issues.push(issue(e.line, 'enseignements', `Classe inconnue « ${t.className} » : elle n'est ni dans le fichier ni dans l'établissement.`));
      }
    }
  }
}

function sortIssues(issues: readonly TImportIssue[]): TImportIssue[] {
  const rank = (c: string | null): number => (c === null ? -1 : COLUMNS.indexOf(c as Column));
  return [...issues].sort((a, b) => a.line - b.line || rank(a.column) - rank(b.column));
}
