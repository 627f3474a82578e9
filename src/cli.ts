/**
 * The `preau` command line: `npm run preau -- <command>`.
 *   start                         start the server (same as npm start)
 *   migrate                       apply database migrations and exit
 *   demo                          seed the demo school if the database is empty
 *   blobs-gc [--dry-run]          remove file contents no record needs any more (older than an hour)
 *   import --uai UAI FILE.csv [--dry-run]   import people into a school, with a progress bar
 *   salle-attente [status | plafond N|aucun | attaque on|off|auto] [--url URL] [--login LOGIN]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './platform/db/db.ts';
import { migrate } from './platform/db/migrate.ts';
import { seedDemoPlatform } from './demo.ts';
import { openBlobStore } from './platform/storage/index.ts';
import { collectBlobGarbage, formatBlobsGcReport } from './platform/storage/blobs-gc.ts';
import { runImportCommand } from './modules/schools/import/import.command.ts';
import { start } from './server.ts';
import { runFrontDoorCommand } from './front-door-cli.ts';

const USAGE = `Usage : npm run preau -- <commande>
  start                                   démarre Préau
  migrate                                 applique les migrations de la base et s'arrête
  demo                                    crée l'établissement de démonstration si la base est vide
  blobs-gc [--dry-run]                    supprime les contenus de fichiers qui ne servent plus (plus d'une heure)
  import --uai <UAI> <fichier.csv> [--dry-run]   importe des comptes (élèves, parents, personnels)
  salle-attente [status | plafond <n>|aucun | attaque on|off|auto] [--url <adresse>] [--login <opérateur>]
                                          règle la salle d'attente d'un Préau en marche (mot de passe :
                                          PREAU_PASSWORD ou demandé)
`;

async function withDatabase<T>(config: Config, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: path.join(config.dataDir, 'pglite') });
  try {
    await migrate(database);
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command = 'start', ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'start':
      await start(config);
      return -1; // keep running
    case 'migrate':
      return withDatabase(config, async (database) => {
        const applied = await migrate(database);
        process.stdout.write(applied.length ? `Migrations appliquées : ${applied.join(', ')}\n` : 'Base à jour.\n');
        return 0;
      });
    case 'demo':
      return withDatabase(config, async (database) => {
        const blobs = await openBlobStore(config.storage);
        const seeded = await seedDemoPlatform({ db: database.db, blobs, now: new Date() }, (line) => process.stdout.write(`${line}\n`));
        process.stdout.write(seeded ? 'Établissement de démonstration créé.\n' : 'La base contient déjà un établissement : rien à faire.\n');
        return 0;
      });
    case 'blobs-gc': {
      const { values } = parseArgs({ args: rest, options: { 'dry-run': { type: 'boolean', default: false } } });
      const dryRun = values['dry-run'] ?? false;
      return withDatabase(config, async (database) => {
        const report = await collectBlobGarbage(database.db, await openBlobStore(config.storage), { dryRun });
        process.stdout.write(formatBlobsGcReport(report, dryRun));
        return 0;
      });
    }
    case 'import': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { uai: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
        allowPositionals: true,
      });
      const file = positionals[0];
      if (!values.uai || !file) {
        process.stderr.write(`Il manque ${!values.uai ? "l'option --uai" : 'le fichier CSV'}.\n\n${USAGE}`);
        return 2;
      }
      return withDatabase(config, (database) =>
        runImportCommand(database.db, { uai: values.uai!, file, dryRun: values['dry-run'] ?? false }, process.stdout),
      );
    }
    case 'salle-attente':
    case 'front-door': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { url: { type: 'string' }, login: { type: 'string', default: 'operateur' } },
        allowPositionals: true,
      });
      return runFrontDoorCommand(
        {
          url: values.url ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`,
          login: values.login ?? 'operateur',
          password: config.operatorPassword ?? undefined,
          command: positionals,
        },
        process.stdout,
      );
    }
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`Commande inconnue : ${command}\n\n${USAGE}`);
      return 2;
  }
}

try {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exit(code);
} catch (error) {
  if (error instanceof ConfigError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof Error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
