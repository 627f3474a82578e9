import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/database.ts';
import { hashActivationCode } from './activation-codes.ts';
import { runImportCommand } from './import.command.ts';
import { SMALL_SCHOOL, countRows, createSchool, csvOf } from './import.test-support.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let dir: string;
beforeAll(async () => {
  database = await openTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'preau-import-'));
});
afterAll(async () => {
  await database.close();
  await rm(dir, { recursive: true, force: true });
});

/** A stream that records what is written, as a terminal or as a log file. */
function output(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 100 });
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

async function run(args: { uai: string; file: string; dryRun?: boolean }, isTTY = false): Promise<{ code: number; text: string }> {
  const out = output(isTTY);
  const code = await runImportCommand(database.db, { dryRun: false, ...args }, out.stream);
  await new Promise((r) => setImmediate(r));
  return { code, text: out.text() };
}

describe('preau import', () => {
  it('imports a file, prints progress and a summary, and writes the codes next to it', async () => {
    const school = await createSchool(database.db, 'Collège Victor Hugo');
    const file = join(dir, 'rentree.csv');
    await writeFile(file, SMALL_SCHOOL);
    const { code, text } = await run({ uai: school.uai.toLowerCase(), file });
    expect(code).toBe(0);
    expect(text).toContain(`Import de rentree.csv dans Collège Victor Hugo (${school.uai})`);
    expect(text).toContain('  100 % (9/9 lignes)');
    expect(text).toMatch(/Comptes créés\s+: 8\n/);
    expect(text).toMatch(/Classes et groupes créés\s+: 4\n/);
    const codesPath = join(dir, 'rentree.codes.csv');
    expect(text).toContain(`Codes d'activation des 8 nouveaux comptes : ${codesPath}`);
    expect((await stat(codesPath)).mode & 0o777).toBe(0o600);
    const content = await readFile(codesPath, 'utf8');
    expect(content.startsWith('\uFEFFlogin;nom;prenom;profil;classe;code\n')).toBe(true);
    const lines = content.trim().split('\n');
    expect(lines).toHaveLength(9);
    const [login, nom, prenom, profil, classe, activation] = lines[1]!.split(';');
    expect({ nom, prenom, profil, classe }).toEqual({ nom: 'Martin', prenom: 'Léa', profil: 'eleve', classe: '6e A' });
    const user = await database.db.selectFrom('users').select('id').where('login', '=', login!).executeTakeFirstOrThrow();
    const stored = await database.db.selectFrom('activation_codes').select('code_hash').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(stored.code_hash).toBe(hashActivationCode(activation!));

    const again = await run({ uai: school.uai, file });
    expect(again.text).toContain('Aucun nouveau compte : pas de fichier de codes.');
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['rentree.csv', 'rentree.codes.csv']));
  });

  it('never overwrites an earlier codes file', async () => {
    const school = await createSchool(database.db);
    const file = join(dir, 'ajout.csv');
    await writeFile(join(dir, 'ajout.codes.csv'), 'anciens codes');
    await writeFile(file, csvOf('eleve;Z1;Zola;Émile;;3e A;;;;'));
    const { code, text } = await run({ uai: school.uai, file });
    expect(code).toBe(0);
    expect(text).toContain(join(dir, 'ajout.codes-2.csv'));
    expect(await readFile(join(dir, 'ajout.codes.csv'), 'utf8')).toBe('anciens codes');
  });

  it('draws a progress bar on a terminal', async () => {
    const school = await createSchool(database.db);
    const file = join(dir, 'terminal.csv');
    await writeFile(file, SMALL_SCHOOL);
    const { code, text } = await run({ uai: school.uai, file, dryRun: true }, true);
    expect(code).toBe(0);
    expect(text).toContain('9/9 lignes');
    expect(text).toContain("Simulation terminée");
    expect(text).toMatch(/Comptes à créer\s+: 8\n/);
    expect(await readdir(dir)).not.toContain('terminal.codes.csv');
  });

  it('prints every error of a bad file with its line and column, and exits with 1', async () => {
    const school = await createSchool(database.db);
    const file = join(dir, 'faux.csv');
    await writeFile(file, csvOf('eleve;F1;Faure;Zoé;31/02/2014;;;;;', 'parent;F2;Faure;Paul;;;;F9;;'));
    const before = await countRows(database.db);
    const { code, text } = await run({ uai: school.uai, file });
    expect(code).toBe(1);
    expect(text).toContain("Le fichier contient 3 erreur(s) ; rien n'a été importé.");
    expect(text).toContain("  ligne 2, colonne date_naissance : La date de naissance « 31/02/2014 » n'existe pas.");
    expect(text).toContain('  ligne 2, colonne classe : La classe est obligatoire pour un élève.');
    expect(text).toContain("  ligne 3, colonne enfants : Enfant inconnu : identifiant F9 absent du fichier et de l'établissement.");
    expect(await countRows(database.db)).toEqual(before);
  });

  it('explains an unknown UAI, a malformed UAI, a missing file and a file not in UTF-8', async () => {
    const school = await createSchool(database.db);
    const unknown = await run({ uai: '0999999Z', file: 'x.csv' });
    expect(unknown.code).toBe(1);
    expect(unknown.text).toContain("Aucun établissement n'a l'UAI 0999999Z");
    const malformed = await run({ uai: '12AB', file: 'x.csv' });
    expect(malformed.code).toBe(1);
    expect(malformed.text).toContain('UAI « 12AB » invalide');
    expect((await run({ uai: school.uai, file: join(dir, 'absent.csv') })).text).toContain('Impossible de lire le fichier');
    const latin1 = join(dir, 'latin1.csv');
    await writeFile(latin1, Buffer.from(csvOf('eleve;L1;Lefèvre;Zoé;;6e A;;;;'), 'latin1'));
    const bad = await run({ uai: school.uai, file: latin1 });
    expect(bad.code).toBe(1);
    expect(bad.text).toContain("  ligne 1 : Le fichier n'est pas encodé en UTF-8");
  });
});
