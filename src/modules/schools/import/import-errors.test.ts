import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.ts';
import { openTestDatabase } from '../../../test/database.ts';
import type { TImportIssue } from '../schools.schemas.ts';
import { importFailed } from './import-format.ts';
import { importPeople } from './import-people.ts';
import { SMALL_SCHOOL, countRows, createSchool, csvOf } from './import.test-support.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let schoolId: string;
beforeAll(async () => {
  database = await openTestDatabase();
  schoolId = (await createSchool(database.db)).id;
  await importPeople(database.db, { schoolId, csv: SMALL_SCHOOL });
});
afterAll(async () => {
  await database.close();
});

/** Runs an import that must fail; returns its error after checking that nothing was written. */
async function rejected(csv: string): Promise<{ error: AppError; errors: TImportIssue[] }> {
  const before = await countRows(database.db);
  const error = await importPeople(database.db, { schoolId, csv }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(await countRows(database.db)).toEqual(before);
  const appError = error as AppError;
  const details = appError.details as { errors: TImportIssue[] };
  return { error: appError, errors: details.errors };
}

/** Checks the issues one by one: line, column, and the start of the message. */
function expectIssues(errors: readonly TImportIssue[], expected: readonly [number, string | null, string][]): void {
  expect(errors.map((e, i) => [e.line, e.column, e.message.slice(0, expected[i]?.[2].length ?? 0)])).toEqual(expected);
}

describe('importPeople with a bad file', () => {
  it('lists every problem with its line and column and writes nothing', async () => {
    const csv = [
      'profil;identifiant;nom;date_naissance;classe;groupes;enfants;enseignements;email',
      'eleve;N1;Durand;31/02/2014;;;;;',
      'eleve;N2;Roche;2014-13-01;5e B;;;;pas-un-email',
      'parent;N3;Durand;;;;N1|E404;;',
      '',
      'enseignant;N4;Girard;;;;;5e B:MATHS|6e A:Musique2|9e Z:EPS;',
      'directeur;N5;Roux;;;;;;',
      'parent;N6;Bernard;;;;;;',
      'enseignant;N7;Leroy;;4e A;;;;',
    ].join('\n');
    const { error, errors } = await rejected(csv);
    expect(error.code).toBe('UNPROCESSABLE');
    expect(error.message).toBe("Le fichier contient 11 erreur(s) ; rien n'a été importé.");
    expectIssues(errors, [
      [1, 'prenom', 'Colonne obligatoire absente : prenom'],
      [2, 'date_naissance', "La date de naissance « 31/02/2014 » n'existe pas."],
      [2, 'classe', 'La classe est obligatoire pour un élève.'],
      [3, 'date_naissance', "La date de naissance « 2014-13-01 » n'existe pas."],
      [3, 'email', 'Adresse e-mail « pas-un-email » invalide.'],
      [4, 'enfants', "Enfant inconnu : identifiant E404 absent du fichier et de l'établissement."],
      [6, 'enseignements', 'Matière inconnue « Musique2 » : utilisez un code (FRANCAIS, MATHS,'],
      [6, 'enseignements', "Classe inconnue « 9e Z » : elle n'est ni dans le fichier ni dans l'établissement."],
      [7, 'profil', 'Profil inconnu « directeur »'],
      [8, 'enfants', "Indiquez l'identifiant d'au moins un enfant"],
      [9, 'classe', 'Seuls les élèves ont une classe'],
    ]);
  });

  it('catches clashes between rows: duplicates, disagreeing names, pupils with adult roles', async () => {
    const { errors } = await rejected(
      csvOf(
        'eleve;A1;Faure;Zoé;;6e A;;;;',
        'eleve;A1;Faure;Zoé;;6e A;;;;',
        'enseignant;A2;Morel;Paul;;;;;;',
        'parent;A2;Morell;Paul;;;;A1;;',
        'parent;E1;Martin;Léa;;;;E2;;',
        'eleve;A3;Blanc;Lou;;Latin;;;;',
        'parent;A4;Blanc;Marc;;;;T1;;',
        'enseignant;A5;Noir;Léon;;;;;6e A;',
      ),
    );
    expect(errors.map((e) => [e.line, e.column, e.message.slice(0, 40)])).toEqual([
      [3, 'identifiant', "L'identifiant A1 apparaît deux fois avec"],
      [5, 'nom', "L'identifiant A2 désigne la personne de "],
      [6, 'profil', "L'identifiant E1 ne peut pas être à la f"],
      [7, 'classe', '« Latin » est un groupe, pas une classe '],
      [8, 'enfants', "L'identifiant T1 n'est pas celui d'un él"],
      [9, 'enseignements', 'Enseignement « 6e A » illisible : écrive'],
    ]);
  });

  it('refuses an empty file, a file with only a header, unknown columns and broken quotes', async () => {
    expect((await rejected('')).errors[0]?.message).toMatch(/^Le fichier est vide/);
    expect((await rejected('\uFEFF\n\n')).errors[0]?.message).toMatch(/^Le fichier est vide/);
    expectIssues((await rejected(csvOf())).errors, [[1, null, "Le fichier ne contient que l'en-tête"]]);
    const unknown = await rejected('profil;identifiant;nom;prenom;classes\neleve;X;Y;Z;6e A\n');
    expect(unknown.errors.map((e) => [e.line, e.column, e.message.slice(0, 27)])).toEqual([
      [1, null, 'Colonne inconnue « classes '],
      [2, 'classe', 'La classe est obligatoire p'],
    ]);
    const quotes = await rejected(csvOf('eleve;X;"Y;Z;;6e A;;;;'));
    expect(quotes.errors[0]).toMatchObject({ line: 2, column: null });
  });

  it('refuses a file of more than 20 000 rows before reading it further', async () => {
    const rows = Array.from({ length: 20_001 }, (_, i) => `eleve;X${i};Nom;Prénom;;6e A;;;;`);
    const { errors } = await rejected(csvOf(...rows));
    expectIssues(errors, [[1, null, 'Le fichier contient 20001 lignes de données ; la limite est de 20000']]);
  });

  it('refuses text that was not UTF-8', async () => {
    const { errors } = await rejected(csvOf('eleve;X;Lef\uFFFDvre;Ana;;6e A;;;;'));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.line).toBe(2);
    expect(errors[0]?.message).toContain('UTF-8');
  });

  it('answers NOT_FOUND for an unknown school', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const error = await importPeople(database.db, { schoolId: id, csv: SMALL_SCHOOL }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'NOT_FOUND' });
    }
  });
});

describe('a file with thousands of errors', () => {
  it('lists the first 500 and says how many there are in all', () => {
    const issues = Array.from({ length: 1200 }, (_, i) => ({ line: i + 2, column: 'nom' as const, message: 'Le nom est obligatoire.' }));
    const error = importFailed(issues);
    expect(error.message).toMatch(/1200 erreur\(s\).*500 premières/);
    expect((error.details as { errors: unknown[]; total: number }).errors).toHaveLength(500);
    expect((error.details as { total: number }).total).toBe(1200);
  });
});
