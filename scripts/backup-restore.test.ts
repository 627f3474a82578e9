/**
 * scripts/backup.sh then scripts/restore.sh, for real: a scratch database on the local PostgreSQL
 * server, migrated and filled with the demo platform through the app's own code (files included),
 * backed up, restored into a second scratch database and blob folder, and compared table by table
 * and file by file. Both databases are dropped afterwards. Needs PostgreSQL on 127.0.0.1:5432
 * (scripts/ensure-services.sh starts it) and pg_dump / pg_restore / psql.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoPlatform } from '../src/demo.ts';
import { openDatabase } from '../src/platform/db/db.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createLocalDiskStore } from '../src/platform/storage/local-disk.ts';

const run = promisify(execFile);
const SCRIPTS = path.dirname(fileURLToPath(import.meta.url));
const SERVER = process.env['PREAU_BACKUP_TEST_SERVER'] ?? 'postgres://postgres@127.0.0.1:5432';
const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
const SOURCE_DB = `preau_backup_src_${suffix}`;
const TARGET_DB = `preau_backup_dst_${suffix}`;
const urlOf = (name: string): string => `${SERVER}/${name}`;

async function admin<T>(fn: (client: pg.Client) => Promise<T>, database = 'postgres'): Promise<T> {
  const client = new pg.Client({ connectionString: urlOf(database) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs a script; resolves with its output and exit status (never rejects on a non-zero status). */
async function script(name: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('bash', [path.join(SCRIPTS, name), ...args], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Every file under `dir`, recursively, relative to it, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Row count of every table of the public schema. */
async function rowCounts(database: string): Promise<Record<string, number>> {
  return admin(async (client) => {
    const tables = await client.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    const counts: Record<string, number> = {};
    for (const { tablename } of tables.rows) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM public."${tablename}"`);
      counts[tablename] = Number(rows[0]!.n);
    }
    return counts;
  }, database);
}

/** The contents of a table as JSON lines, in a stable order. */
async function tableContents(database: string, table: string): Promise<string[]> {
  return admin(async (client) => {
    const { rows } = await client.query<{ j: string }>(`SELECT row_to_json(t)::text AS j FROM public."${table}" t ORDER BY 1`);
    return rows.map((r) => r.j);
  }, database);
}

const reachable = await admin(async () => true).catch(() => false);

describe.skipIf(!reachable)('backup.sh and restore.sh (PostgreSQL on 127.0.0.1:5432)', () => {
  let work: string;
  let sourceBlobs: string;
  let targetBlobs: string;
  let backupDir: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'preau-backup-'));
    sourceBlobs = path.join(work, 'source-blobs');
    targetBlobs = path.join(work, 'target-blobs');
    await admin(async (client) => {
      await client.query(`CREATE DATABASE ${SOURCE_DB}`);
      await client.query(`CREATE DATABASE ${TARGET_DB}`);
    });
    const database = await openDatabase({ url: urlOf(SOURCE_DB), dataDir: 'memory://' });
    try {
      await migrate(database);
      await seedDemoPlatform({ db: database.db, blobs: createLocalDiskStore(sourceBlobs), now: new Date() }, () => {});
    } finally {
      await database.close();
    }
  }, 120_000);

  afterAll(async () => {
    await admin(async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${SOURCE_DB} WITH (FORCE)`);
      await client.query(`DROP DATABASE IF EXISTS ${TARGET_DB} WITH (FORCE)`);
    }).catch(() => {});
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('backs up the database and the files, then restores both into a fresh database and folder', async () => {
    const sourceFiles = await filesUnder(sourceBlobs);
    expect(sourceFiles.length).toBeGreaterThan(0); // the demo stores real documents

    const backup = await script('backup.sh', [path.join(work, 'backups')], { DATABASE_URL: urlOf(SOURCE_DB), BLOBS_DIR: sourceBlobs });
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    const [name] = await readdir(path.join(work, 'backups'));
    backupDir = path.join(work, 'backups', name!);
    expect((await readdir(backupDir)).sort()).toEqual(['SHA256SUMS', 'backup.txt', 'blobs.tar', 'database.dump']);
    expect(backup.stdout).toContain(`${sourceFiles.length} fichiers`);

    const restore = await script('restore.sh', [backupDir], { DATABASE_URL: urlOf(TARGET_DB), BLOBS_DIR: targetBlobs });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/Restauration terminée : \d+ comptes, \d+ fichiers/);

    // Same tables, same row counts, same rows in the key tables.
    const before = await rowCounts(SOURCE_DB);
    expect(before['users']).toBeGreaterThan(10);
    expect(before['files']).toBeGreaterThan(0);
    expect(before['messages']).toBeGreaterThan(0);
    expect(await rowCounts(TARGET_DB)).toEqual(before);
    for (const table of ['schools', 'users', 'classes', 'files', 'folders', 'messages', 'message_attachments', 'homework_items', 'schema_migrations']) {
      if (before[table] === undefined) continue;
      expect(await tableContents(TARGET_DB, table), table).toEqual(await tableContents(SOURCE_DB, table));
    }

    // Same blobs, byte for byte.
    expect(await filesUnder(targetBlobs)).toEqual(sourceFiles);
    for (const file of sourceFiles) {
      expect((await readFile(path.join(targetBlobs, file))).equals(await readFile(path.join(sourceBlobs, file))), file).toBe(true);
    }
  }, 180_000);

  it('refuses to restore over a database that already has tables', async () => {
    const again = await script('restore.sh', [backupDir], { DATABASE_URL: urlOf(TARGET_DB), BLOBS_DIR: path.join(work, 'elsewhere') });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/Restauration impossible : la base contient déjà \d+ tables/);
    expect(await filesUnder(path.join(work, 'elsewhere'))).toEqual([]);
  });

  it('refuses a damaged backup before touching anything, and says what is missing', async () => {
    const damaged = path.join(work, 'damaged');
    await run('cp', ['-r', backupDir, damaged]);
    const tar = await readFile(path.join(damaged, 'blobs.tar'));
    tar[tar.length - 2000] = tar[tar.length - 2000]! ^ 0xff;
    await writeFile(path.join(damaged, 'blobs.tar'), tar);
    const result = await script('restore.sh', [damaged], { DATABASE_URL: urlOf(TARGET_DB), BLOBS_DIR: path.join(work, 'elsewhere') });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/sommes de contrôle ne correspondent pas/);

    expect((await script('restore.sh', [], {})).stderr).toMatch(/indiquez le dossier de sauvegarde/);
    expect((await script('backup.sh', [work], {})).stderr).toMatch(/DATABASE_URL est vide/);
    const noBlobs = await script('backup.sh', [path.join(work, 'none')], { DATABASE_URL: urlOf(SOURCE_DB), BLOBS_DIR: path.join(work, 'absent') });
    expect(noBlobs.code).not.toBe(0);
    expect(noBlobs.stderr).toMatch(/le dossier des fichiers .* n'existe pas/);
    expect(await filesUnder(path.join(work, 'none'))).toEqual([]); // the partial backup is removed
  });
});
