/**
 * One SQL dialect, two engines: a real PostgreSQL server through `pg` (named prepared statements,
 * a pool) when DATABASE_URL is set, or PGlite (PostgreSQL compiled to WebAssembly, in-process)
 * under DATA_DIR by default. Both sit behind Kysely's own Postgres driver, so every query is the
 * same SQL on both. A query counter (AsyncLocalStorage) lets tests prove that a page's number of
 * queries does not grow with the school.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult } from 'kysely';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import type { DB } from './schema.ts';
import { isDatabaseUnavailable } from './unavailable.ts';

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Kysely<DB>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  /** Throws when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL, or null for PGlite. */
  url: string | null;
  /** PGlite data directory; null or 'memory://' keeps it in memory (tests). */
  dataDir?: string | null;
  /** PostgreSQL schema to use (tests isolate each file in its own). */
  schema?: string;
  poolSize?: number;
  /** Milliseconds a query may wait for a connection before failing (fail fast, never hang). */
  connectTimeoutMs?: number;
  /** Milliseconds a query may wait for its answer before failing (0: no limit). */
  queryTimeoutMs?: number;
}

const counter = new AsyncLocalStorage<{ queries: number }>();

/** Runs `fn` and returns its result with the number of SQL queries it sent. */
export async function countQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const box = { queries: 0 };
  const result = await counter.run(box, fn);
  return { result, queries: box.queries };
}

const noteQuery = (): void => {
  const box = counter.getStore();
  if (box) box.queries++;
};

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options) : openPglite(options);
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL server

const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === DATE_OID) return (v: string) => v; // a calendar date, never shifted by a time zone
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
    return (format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text')) as (
      value: string,
    ) => unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Most distinct statements we prepare by name per process (bounds server-side memory). */
const MAX_NAMED_STATEMENTS = 2000;

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
    ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
    idleTimeoutMillis: 30_000,
    types: pgTypes,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
  const names = new Set<string>();

  const wrapped: PostgresPool = {
    async connect() {
      const client = await pool.connect();
      // A connection that timed out or lost its server is destroyed on release, never reused:
      // the pool opens a fresh one for the next query (it recovers by itself when PostgreSQL returns).
      let broken = false;
      // While checked out, pg-pool listens to no 'error' on the client: a server shutdown (57P01)
      // arriving between two statements of a transaction would be an uncaught exception and
      // kill the node. Note it instead; the next statement fails (→ 503) and release destroys it.
      const onError = (): void => {
        broken = true;
      };
      client.on('error', onError);
      const adapted = {
        async query(sqlText: string, parameters: readonly unknown[]) {
          noteQuery();
          let name: string | undefined = `k${createHash('sha1').update(sqlText).digest('base64url')}`;
          if (!names.has(name)) {
            if (names.size >= MAX_NAMED_STATEMENTS) name = undefined;
            else names.add(name);
          }
          try {
            return await client.query({ text: sqlText, values: [...parameters], ...(name ? { name } : {}) });
          } catch (error) {
            if (isDatabaseUnavailable(error)) broken = true;
            throw error;
          }
        },
        release: () => {
          client.removeListener('error', onError);
          client.release(broken);
        },
      };
      return adapted as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
  };

  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: wrapped }) });
  return {
    kind: 'postgres',
    db,
    async exec(script) {
      noteQuery();
      await pool.query(script);
    },
    async ping() {
      noteQuery();
      await pool.query('SELECT 1');
    },
    close: () => db.destroy(),
  };
}

// ---------------------------------------------------------------------------------------------
// PGlite: one connection, so callers queue for it; a transaction holds it until COMMIT.

async function openPglite(options: DatabaseOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const dir = options.dataDir && options.dataDir !== 'memory://' ? options.dataDir : undefined;
  if (dir) mkdirSync(dir, { recursive: true });
  const lite: PGlite = await PGlite.create({
    ...(dir ? { dataDir: dir } : {}),
    parsers: { [DATE_OID]: (v: string) => v, [INT8_OID]: (v: string) => Number(v), [NUMERIC_OID]: (v: string) => Number(v) },
  });
  if (options.schema) await lite.exec(`CREATE SCHEMA IF NOT EXISTS ${options.schema}; SET search_path TO ${options.schema}`);

  let tail: Promise<void> = Promise.resolve();
  const acquire = async (): Promise<() => void> => {
    let release!: () => void;
    const previous = tail;
    tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    return release;
  };

  const run = async <R>(sqlText: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> => {
    noteQuery();
    const res = await lite.query<R>(sqlText, [...parameters]);
    return { command: commandOf(sqlText), rowCount: res.affectedRows ?? res.rows.length, rows: res.rows };
  };

  const pool: PostgresPool = {
    async connect() {
      const release = await acquire();
      let released = false;
      const client = {
        query: run,
        release: () => {
          if (!released) {
            released = true;
            release();
          }
        },
      };
      return client as unknown as PostgresPoolClient;
    },
    end: async () => {},
  };

  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const exclusive = async <T>(fn: () => Promise<T>): Promise<T> => {
    const release = await acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  };
  return {
    kind: 'pglite',
    db,
    exec: (script) =>
      exclusive(async () => {
        noteQuery();
        await lite.exec(script);
      }),
    ping: () =>
      exclusive(async () => {
        noteQuery();
        await lite.query('SELECT 1');
      }),
    async close() {
      await db.destroy();
      await exclusive(() => lite.close());
    },
  };
}

function commandOf(sqlText: string): PostgresQueryResult<unknown>['command'] {
  const verb = /^\s*(\w+)/.exec(sqlText)?.[1]?.toUpperCase();
  switch (verb) {
    case 'INSERT':
    case 'UPDATE':
    case 'DELETE':
    case 'MERGE':
      return verb;
    default:
      return 'SELECT';
  }
}
