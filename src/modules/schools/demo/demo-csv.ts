/**
 * The demo school's import file: Collège Jean Moulin, four classes of 25–26 pupils, their
 * parents, eight teachers and three staff. Generated from fixed name lists with a seeded PRNG,
 * so that every run (and every README) sees the same people with the same logins.
 */
import { COLUMNS } from '../import/import-format.ts';
import { BOY_NAMES, FAMILY_NAMES, FATHER_NAMES, GIRL_NAMES, MOTHER_NAMES } from './demo-names.ts';
import { seededRandom as prng } from '../../../shared/random.ts';

/** Classes, their size and the birth year of their pupils (school year 2025–2026). */
export const DEMO_CLASSES = [
  { name: '6e A', size: 26, born: 2014 },
  { name: '5e B', size: 25, born: 2013 },
  { name: '4e A', size: 26, born: 2012 },
  { name: '3e B', size: 25, born: 2011 },
] as const;
type ClassName = (typeof DEMO_CLASSES)[number]['name'];
const CLASS_NAMES: readonly ClassName[] = DEMO_CLASSES.map((c) => c.name);

export const LATIN_GROUP = 'Latin';
export const GERMAN_GROUP = 'Allemand LV2';

/** Teachers: identifier, names, and what they teach (`CLASSE:MATIERE`). */
const everyClass = (subject: string): string[] => CLASS_NAMES.map((c) => `${c}:${subject}`);
export const DEMO_TEACHERS = [
  { id: 'ENS01', first: 'Karim', last: 'Benali', teaches: everyClass('MATHS') },
  { id: 'ENS02', first: 'Isabelle', last: 'Lefèvre', teaches: [...everyClass('FRANCAIS'), `${LATIN_GROUP}:LATIN`] },
  { id: 'ENS03', first: 'Marc', last: 'Girard', teaches: everyClass('HISTGEO') },
  { id: 'ENS04', first: 'Sarah', last: 'Lambert', teaches: [...everyClass('ANGLAIS'), `${GERMAN_GROUP}:ALLEMAND`] },
  { id: 'ENS05', first: 'Hélène', last: 'Fontaine', teaches: everyClass('SVT') },
  { id: 'ENS06', first: 'Olivier', last: 'Mercier', teaches: [...everyClass('PHYSCHIM'), ...everyClass('TECHNO')] },
  { id: 'ENS07', first: 'Stéphane', last: 'Bonnet', teaches: everyClass('EPS') },
  { id: 'ENS08', first: 'Carmen', last: 'Ruiz', teaches: everyClass('ESPAGNOL') },
] as const;

/** Direction, vie scolaire and administration. */
const STAFF = [
  { profil: 'direction', id: 'DIR01', first: 'Claire', last: 'Dubois' },
  { profil: 'cpe', id: 'CPE01', first: 'Julien', last: 'Moreau' },
  { profil: 'admin', id: 'ADM01', first: 'Nathalie', last: 'Roux' },
] as const;

interface Pupil {
  first: string;
  last: string;
  className: ClassName;
  birth: string;
  groups: string[];
  id: string;
}

interface Parent {
  id: string;
  first: string;
  last: string;
  email: string;
}

interface Family {
  last: string;
  children: Pupil[];
  /** Adults: `ENS01` reuses the teacher's identifier (one person, two roles). */
  parents: Parent[];
}


type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

function shuffled<T>(random: Random, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const emailOf = (first: string, last: string): string =>
  `${first}.${last}@example.org`
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s']+/g, '-');

function birthDate(random: Random, year: number): string {
  const month = 1 + Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
}

function pupil(random: Random, first: string, last: string, className: ClassName): Pupil {
  const born = DEMO_CLASSES.find((c) => c.name === className)?.born ?? 2013;
  return { first, last, className, birth: birthDate(random, born), groups: [], id: '' };
}

function parent(id: string, first: string, last: string, withEmail: boolean): Parent {
  return { id, first, last, email: withEmail ? emailOf(first, last) : '' };
}

/** The fixed families that the READMEs name (see DEMO_ACCOUNTS). */
function fixedFamilies(random: Random): Family[] {
  return [
    {
      last: 'Martin',
      children: [pupil(random, 'Léa', 'Martin', '6e A'), pupil(random, 'Hugo', 'Martin', '4e A')],
      parents: [parent('', 'Sophie', 'Martin', true), parent('', 'Thomas', 'Martin', false)],
    },
    {
      last: 'Benali',
      children: [pupil(random, 'Yanis', 'Benali', '5e B')],
      parents: [parent('ENS01', 'Karim', 'Benali', false), parent('', 'Amina', 'Benali', true)],
    },
    { last: 'Petit', children: [pupil(random, 'Tom', 'Petit', '5e B')], parents: [parent('', 'Nadia', 'Petit', true)] },
  ];
}

/** Fills the classes with families: ten with two children in different classes, the rest with one. */
function allFamilies(random: Random): Family[] {
  const families = fixedFamilies(random);
  const room = new Map<ClassName, number>(DEMO_CLASSES.map((c) => [c.name, c.size]));
  for (const f of families) for (const c of f.children) room.set(c.className, (room.get(c.className) ?? 0) - 1);
  const surnames = shuffled(random, FAMILY_NAMES);
  const take = (): ClassName => {
    const open = CLASS_NAMES.filter((c) => (room.get(c) ?? 0) > 0);
    const chosen = pick(random, open);
    room.set(chosen, (room.get(chosen) ?? 0) - 1);
    return chosen;
  };
  const child = (last: string, className: ClassName, avoid: string): Pupil => {
    let first = avoid;
    while (first === avoid) first = random() < 0.5 ? pick(random, GIRL_NAMES) : pick(random, BOY_NAMES);
    return pupil(random, first, last, className);
  };
  for (let n = 0; [...room.values()].some((r) => r > 0); n++) {
    const last = surnames[n % surnames.length] ?? 'Durand';
    const first = child(last, take(), '');
    const children = [first];
    if (n < 9) {
      const others = CLASS_NAMES.filter((c) => c !== first.className && (room.get(c) ?? 0) > 0);
      const second = pick(random, others);
      room.set(second, (room.get(second) ?? 0) - 1);
      children.push(child(last, second, first.first));
    }
    const parents = [parent('', pick(random, MOTHER_NAMES), last, random() < 0.8)];
    if (random() < 0.7) parents.push(parent('', pick(random, FATHER_NAMES), last, random() < 0.6));
    families.push({ last, children, parents });
  }
  return families;
}

/** Numbers pupils by class and name, parents in family order, and puts some pupils in groups. */
function identify(random: Random, families: Family[]): { pupils: Pupil[]; parents: (Parent & { children: string[] })[] } {
  const pupils = families
    .flatMap((f) => f.children)
    .sort(
      (a, b) =>
        CLASS_NAMES.indexOf(a.className) - CLASS_NAMES.indexOf(b.className) ||
        a.last.localeCompare(b.last, 'fr') ||
        a.first.localeCompare(b.first, 'fr'),
    );
  pupils.forEach((p, i) => {
    p.id = `ELV${String(i + 1).padStart(3, '0')}`;
    if (p.className === '6e A') return;
    if (random() < 0.22) p.groups.push(LATIN_GROUP);
    if (random() < 0.3) p.groups.push(GERMAN_GROUP);
  });
  let n = 0;
  const parents = families.flatMap((f) =>
    f.parents.map((p) => ({ ...p, id: p.id || `PAR${String(++n).padStart(3, '0')}`, children: f.children.map((c) => c.id) })),
  );
  return { pupils, parents };
}

const row = (cells: Partial<Record<(typeof COLUMNS)[number], string>>): string => COLUMNS.map((c) => cells[c] ?? '').join(';');

/**
 * The demo school's CSV, in the import format (README.md of the import): staff, teachers, then
 * pupils by class, then parents. Always the same text.
 */
export function buildDemoCsv(): string {
  const random = prng(20_260_901);
  const { pupils, parents } = identify(random, allFamilies(random));
  const lines = [
    COLUMNS.join(';'),
    ...STAFF.map((s) => row({ profil: s.profil, identifiant: s.id, nom: s.last, prenom: s.first })),
    ...DEMO_TEACHERS.map((t) => row({ profil: 'enseignant', identifiant: t.id, nom: t.last, prenom: t.first, enseignements: t.teaches.join('|') })),
    ...pupils.map((p) =>
      row({ profil: 'eleve', identifiant: p.id, nom: p.last, prenom: p.first, date_naissance: p.birth, classe: p.className, groupes: p.groups.join('|') }),
    ),
    ...parents.map((p) => row({ profil: 'parent', identifiant: p.id, nom: p.last, prenom: p.first, enfants: p.children.join('|'), email: p.email })),
  ];
  return `${lines.join('\n')}\n`;
}
