/**
 * `preau import --uai 0751234A fichier.csv [--dry-run]`: imports a school's people from the
 * command line, with a progress bar, a summary in French, and the new accounts' activation codes
 * written next to the input file (`<nom>.codes.csv`).
 */
import { open, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Kysely } from 'kysely';
import type { DB } from '../../../platform/db/schema.ts';
import { AppError } from '../../../shared/errors.ts';
import type { TImportIssue, TImportResult, TNewAccount } from '../schools.schemas.ts';
import { importPeople } from './import-people.ts';
import { decodeCsvBuffer } from './parse-csv.ts';

export interface ImportCommandArgs {
  uai: string;
  file: string;
  dryRun: boolean;
}

/**
 * Runs an import for the school with this UAI; returns the process exit code (0 on success, 1
 * when the school, the file or any row is wrong: every problem is printed, nothing is written).
 */
export async function runImportCommand(db: Kysely<DB>, args: ImportCommandArgs, out: NodeJS.WriteStream): Promise<number> {
  const say = (line = ''): void => void out.write(`${line}\n`);
  const uai = args.uai.trim().toUpperCase();
  if (!/^[0-9]{7}[A-Z]$/.test(uai)) {
    say(`UAI « ${args.uai} » invalide : 7 chiffres puis une lettre (ex. 0751234A).`);
    return 1;
  }
  const school = await db.selectFrom('schools').select(['id', 'name']).where('uai', '=', uai).executeTakeFirst();
  if (!school) {
    say(`Aucun établissement n'a l'UAI ${uai} : vérifiez le code, ou créez d'abord l'établissement.`);
    return 1;
  }
  const path = resolve(args.file);
  const bytes = await readFile(path).catch(() => null);
  if (!bytes) {
    say(`Impossible de lire le fichier ${path} : vérifiez son nom et ses droits.`);
    return 1;
  }
  say(`${args.dryRun ? "Simulation de l'import" : 'Import'} de ${basename(path)} dans ${school.name} (${uai})…`);
  const started = Date.now();
  const progress = progressReporter(out);
  try {
    const result = await importPeople(db, { schoolId: school.id, csv: decodeCsvBuffer(bytes), dryRun: args.dryRun, onProgress: progress.update });
    progress.stop();
    printSummary(say, result, Date.now() - started);
    if (!result.dryRun) await writeCodesFile(say, path, result.newAccounts);
    return 0;
  } catch (error) {
    progress.stop();
    if (!(error instanceof AppError)) throw error;
    printErrors(say, error);
    return 1;
  }
}

interface ProgressReporter {
  update: (done: number, total: number) => void;
  stop: () => void;
}

/** A bar on a terminal; elsewhere (logs, CI) one line per 10 %. */
function progressReporter(out: NodeJS.WriteStream): ProgressReporter {
  if (out.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: out, format: '  [{bar}] {percentage} % · {value}/{total} lignes', hideCursor: true, barsize: 30 },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (!started) bar.start(total, done);
        else bar.update(done);
        started = true;
      },
      stop() {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let lastTenth = 0;
  return {
    update(done, total) {
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (tenth > lastTenth) out.write(`  ${tenth * 10} % (${done}/${total} lignes)\n`);
      lastTenth = Math.max(lastTenth, tenth);
    },
    stop() {},
  };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1).replace('.', ',')} s`;

function printSummary(say: (line?: string) => void, r: TImportResult, elapsedMs: number): void {
  say(r.dryRun ? `Simulation terminée en ${seconds(elapsedMs)} : rien n'a été enregistré.` : `Import terminé en ${seconds(elapsedMs)}.`);
  const rows: [string, number][] = [
    ['Lignes lues', r.rows],
    [r.dryRun ? 'Comptes à créer' : 'Comptes créés', r.created],
    [r.dryRun ? 'Comptes à mettre à jour' : 'Comptes mis à jour', r.updated],
    ['Comptes inchangés', r.unchanged],
    [r.dryRun ? 'Classes et groupes à créer' : 'Classes et groupes créés', r.classesCreated],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, n] of rows) say(`  ${label.padEnd(width)} : ${n}`);
}

function printErrors(say: (line?: string) => void, error: AppError): void {
  say(error.message);
  const details = error.details as { errors?: TImportIssue[] } | undefined;
  for (const e of details?.errors ?? []) {
    say(`  ligne ${e.line}${e.column ? `, colonne ${e.column}` : ''} : ${e.message}`);
  }
}

const CODES_HEADER = ['login', 'nom', 'prenom', 'profil', 'classe', 'code'];

const csvField = (value: string): string => (/[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** The codes file's text: UTF-8 with a BOM (so that spreadsheets read the accents), `;`-separated. */
export function codesCsv(accounts: readonly TNewAccount[]): string {
  const lines = accounts.map((a) => [a.login, a.lastName, a.firstName, a.profile, a.className ?? '', a.activationCode].map(csvField).join(';'));
  return `\uFEFF${[CODES_HEADER.join(';'), ...lines].join('\n')}\n`;
}

/** Writes `<nom>.codes.csv` next to the input, never over an earlier one (`<nom>.codes-2.csv`…). */
async function writeCodesFile(say: (line?: string) => void, input: string, accounts: readonly TNewAccount[]): Promise<void> {
  if (accounts.length === 0) {
    say('Aucun nouveau compte : pas de fichier de codes.');
    return;
  }
  const stem = basename(input).replace(/\.csv$/i, '');
  for (let n = 1; ; n++) {
    const target = join(dirname(input), `${stem}.codes${n === 1 ? '' : `-${n}`}.csv`);
    const handle = await open(target, 'wx', 0o600).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'EEXIST') return null;
      throw e;
    });
    if (!handle) continue;
    try {
      await handle.writeFile(codesCsv(accounts), 'utf8');
    } finally {
      await handle.close();
    }
    say(`Codes d'activation des ${accounts.length} nouveaux comptes : ${target}`);
    say('  Ce fichier contient des codes secrets : remettez-les aux personnes, puis supprimez-le.');
    return;
  }
}
