/**
 * Versioned migrations: plain SQL files in ./migrations, applied in name order, each in its own
 * transaction, under an advisory lock so that nodes starting together apply each file once.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './db.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const LOCK_KEY = 7_261_940_421; // any constant; shared by every Préau node

export async function migrate(database: Database): Promise<string[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  const applied: string[] = [];
  await database.db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${LOCK_KEY})`.execute(conn);
    try {
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`.execute(conn);
      const done = new Set(
        (await sql<{ name: string }>`SELECT name FROM schema_migrations`.execute(conn)).rows.map((r) => r.name),
      );
      for (const file of files) {
        if (done.has(file)) continue;
        const script = await readFile(MIGRATIONS_DIR + file, 'utf8');
        await conn.transaction().execute(async (tx) => {
          for (const statement of splitStatements(script)) await sql.raw(statement).execute(tx);
          await sql`INSERT INTO schema_migrations (name) VALUES (${file})`.execute(tx);
        });
        applied.push(file);
      }
    } finally {
      await sql`SELECT pg_advisory_unlock(${LOCK_KEY})`.execute(conn);
    }
  });
  return applied;
}

/**
 * Splits a migration on the semicolons that end statements, ignoring those inside comments,
 * quotes and dollar-quoted bodies. Statements go one by one because both engines run
 * parameterised statements through the extended protocol, which takes one at a time.
 */
export function splitStatements(script: string): string[] {
  const out: string[] = [];
  let current = '';
  let i = 0;
  while (i < script.length) {
    const ch = script[i]!;
    const rest = script.slice(i);
    if (rest.startsWith('--')) {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end + 1;
      continue;
    }
    const dollar = /^\$[A-Za-z_]*\$/.exec(rest);
    if (dollar) {
      const end = script.indexOf(dollar[0], i + dollar[0].length);
      const stop = end === -1 ? script.length : end + dollar[0].length;
      current += script.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === "'") {
      let j = i + 1;
      while (j < script.length && !(script[j] === "'" && script[j + 1] !== "'")) j += script[j] === "'" ? 2 : 1;
      current += script.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === ';') {
      if (current.trim()) out.push(current.trim());
      current = '';
      i++;
      continue;
    }
    current += ch;
    i++;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
