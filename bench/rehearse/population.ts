/**
 * A school population for the rehearsal, as the CSV the school administrator imports (the format
 * of src/modules/schools/import/README.md): N pupils in classes of 28 across 6e–3e, families of
 * one to three children with one or two parents, and teachers for four subjects per class. Names
 * are plain and numbered so that logins are predictable; everything is seeded.
 */
import { prng } from './curve.ts';

export const SUBJECTS = ['MATHS', 'FRANCAIS', 'HISTGEO', 'ANGLAIS'] as const;
const LEVELS = ['6e', '5e', '4e', '3e'] as const;
const CLASS_SIZE = 28;

export interface PlannedPupil {
  id: string;
  first: string;
  last: string;
  className: string;
  family: number;
}

export interface PlannedParent {
  id: string;
  first: string;
  last: string;
  children: string[];
  family: number;
}

export interface PlannedTeacher {
  id: string;
  first: string;
  last: string;
  teaches: Array<{ className: string; subject: string }>;
}

export interface Population {
  pupils: PlannedPupil[];
  parents: PlannedParent[];
  teachers: PlannedTeacher[];
  classes: string[];
}

export function planPopulation(pupilCount: number, seed = 5): Population {
  const random = prng(seed);
  const classCount = Math.max(1, Math.ceil(pupilCount / CLASS_SIZE));
  const classes = Array.from({ length: classCount }, (_, c) => `${LEVELS[c % LEVELS.length]} R${String(Math.floor(c / LEVELS.length) + 1).padStart(2, '0')}`);
  const pupils: PlannedPupil[] = [];
  const parents: PlannedParent[] = [];
  let family = 0;
  while (pupils.length < pupilCount) {
    const r = random();
    const size = Math.min(pupilCount - pupils.length, r < 0.55 ? 1 : r < 0.9 ? 2 : 3);
    const last = `Famille${family + 1}`;
    const children: string[] = [];
    for (let k = 0; k < size; k++) {
      const i = pupils.length;
      const id = `RE${i + 1}`;
      pupils.push({ id, first: `Eleve${i + 1}`, last, className: classes[i % classCount]!, family });
      children.push(id);
    }
    const adults = random() < 0.3 ? 1 : 2;
    for (let a = 0; a < adults; a++) {
      const j = parents.length;
      parents.push({ id: `RP${j + 1}`, first: `Parent${j + 1}`, last, children, family });
    }
    family++;
  }
  const teacherCount = Math.max(SUBJECTS.length, Math.ceil(pupilCount / 12));
  const teachers: PlannedTeacher[] = Array.from({ length: teacherCount }, (_, k) => ({ id: `RT${k + 1}`, first: `Prof${k + 1}`, last: 'Repetition', teaches: [] }));
  classes.forEach((className, c) => {
    SUBJECTS.forEach((subject, s) => teachers[(c * SUBJECTS.length + s) % teacherCount]!.teaches.push({ className, subject }));
  });
  return { pupils, parents, teachers, classes };
}

const HEADER = 'profil;identifiant;nom;prenom;classe;enfants;enseignements';

/** The population as import files of at most `maxRows` data rows each (pupils first: the others refer to them). */
export function populationCsv(p: Population, maxRows = 15_000): string[] {
  const rows = [
    ...p.pupils.map((x) => `eleve;${x.id};${x.last};${x.first};${x.className};;`),
    ...p.teachers.map((t) => `enseignant;${t.id};${t.last};${t.first};;;${t.teaches.map((x) => `${x.className}:${x.subject}`).join('|')}`),
    ...p.parents.map((x) => `parent;${x.id};${x.last};${x.first};;${x.children.join('|')};`),
  ];
  const files: string[] = [];
  for (let i = 0; i < rows.length; i += maxRows) files.push(`${HEADER}\n${rows.slice(i, i + maxRows).join('\n')}\n`);
  return files;
}
