import { createServer, type Server, type Socket } from 'node:net';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../http/errors.ts';
import { openDatabase, type Database } from './db.ts';
import { isDatabaseUnavailable } from './unavailable.ts';

/** A port with nothing listening on it (connections are refused). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A server that accepts connections and never says a word: a PostgreSQL that hangs. */
async function silentServer(): Promise<{ port: number; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  return { port: (server.address() as { port: number }).port, server };
}

async function failureOf(database: Database, query = sql`SELECT 1`): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await query.execute(database.db);
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('the query was expected to fail');
}

const pgError = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code });

describe('database unavailable: which errors mean "retry in a few seconds"', () => {
  const opened: Database[] = [];
  const servers: Server[] = [];
  afterAll(async () => {
    for (const d of opened) await d.close().catch(() => {});
    for (const s of servers) s.close();
  });

  it('recognises restarts, shutdowns, connection exceptions and dead sockets, and nothing else', () => {
    for (const code of ['57P01', '57P02', '57P03', '08006', '08001', '08003', '53300', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE']) {
      expect(isDatabaseUnavailable(pgError(code)), code).toBe(true);
    }
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Query read timeout'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: pgError('57P01') }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([pgError('ECONNREFUSED')], 'connect'))).toBe(true);
    for (const code of ['23505', '42601', '22P02', '40001', 'ENOENT']) expect(isDatabaseUnavailable(pgError(code)), code).toBe(false);
    expect(isDatabaseUnavailable(new Error('secret internals'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });

  it('a stopped server fails the query at once (connection refused), and it is recognised', async () => {
    const database = await openDatabase({ url: `postgres://postgres@127.0.0.1:${await closedPort()}/preau`, connectTimeoutMs: 2000 });
    opened.push(database);
    const { error, ms } = await failureOf(database);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(ms).toBeLessThan(1500);
  });

  it('a server that accepts but never answers fails after the connect timeout, not never', async () => {
    const { port, server } = await silentServer();
    servers.push(server);
    const database = await openDatabase({ url: `postgres://postgres@127.0.0.1:${port}/preau`, connectTimeoutMs: 300 });
    opened.push(database);
    const { error, ms } = await failureOf(database);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(2000);
  });

  it.skipIf(!process.env['TEST_DATABASE_URL'])('a query past the query timeout fails, and the pool serves the next one on a fresh connection', async () => {
    const database = await openDatabase({ url: process.env['TEST_DATABASE_URL']!, poolSize: 1, queryTimeoutMs: 200 });
    opened.push(database);
    const { error, ms } = await failureOf(database, sql`SELECT pg_sleep(3)`);
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(ms).toBeLessThan(1500);
    // The timed-out connection was destroyed: with a pool of one, this would otherwise wait behind the sleep.
    const started = Date.now();
    const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(database.db);
    expect(rows[0]?.one).toBe(1);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it.skipIf(!process.env['TEST_DATABASE_URL'])('a connection cut while a transaction waits between statements neither crashes the process nor is reused', async () => {
    const url = process.env['TEST_DATABASE_URL']!;
    const database = await openDatabase({ url, poolSize: 1 });
    const admin = await openDatabase({ url, poolSize: 1 });
    opened.push(database, admin);
    const failure = await database.db
      .transaction()
      .execute(async (trx) => {
        const pid = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(trx)).rows[0]!.pid;
        // What PostgreSQL's shutdown does to every backend (57P01), while this one runs no query.
        await sql`SELECT pg_terminate_backend(${pid})`.execute(admin.db);
        await new Promise((r) => setTimeout(r, 300));
        await sql`SELECT 1`.execute(trx);
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(isDatabaseUnavailable(failure), String(failure)).toBe(true);
    // With a pool of one, the next query only works on a fresh connection.
    const { rows } = await sql<{ one: number }>`SELECT 1 AS one`.execute(database.db);
    expect(rows[0]?.one).toBe(1);
  });

  it('the error handler answers 503 with Retry-After and a French message, never a 500', async () => {
    const database = await openDatabase({ url: `postgres://postgres@127.0.0.1:${await closedPort()}/preau`, connectTimeoutMs: 2000 });
    opened.push(database);
    const app = Fastify({ logger: false });
    registerErrorHandling(app);
    app.get('/query', async () => (await sql`SELECT 1`.execute(database.db)).rows);
    app.get('/restarting', async () => {
      throw pgError('57P03', 'the database system is starting up');
    });
    app.get('/bug', async () => {
      throw pgError('42601', 'syntax error at or near "SELEC"');
    });
    for (const url of ['/query', '/restarting']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(503);
      expect(res.headers['retry-after'], url).toBe('3');
      expect(res.json(), url).toEqual({ error: { code: 'UNAVAILABLE', message: expect.stringMatching(/^Service momentanément indisponible/) } });
    }
    const bug = await app.inject({ method: 'GET', url: '/bug' });
    expect(bug.statusCode).toBe(500);
    expect(bug.body).not.toContain('SELEC');
    await app.close();
  });
});
