import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './platform/db/db.ts';
import { openTestDatabase } from './test/database.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the running app', () => {
  it('answers /health and /ready, and unknown API routes with a JSON 404', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'preau-app-'));
    const config = loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'test', LOAD_PROTECTION: 'false' });
    const database = await openTestDatabase();
    const { app } = await buildApp({ config, database, logger: false, webDistDir: path.join(dataDir, 'none') });
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    expect((await app.inject('/ready')).json()).toMatchObject({ status: 'ready', sharedState: 'memory' });
    const missing = await app.inject('/api/nothing-here');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
    await app.close();
    await database.close();
  });

  it('on shutdown, finishes in-flight requests and keeps their writes; /ready says 503 meanwhile', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'preau-drain-'));
    // The embedded default: PGlite files under DATA_DIR, closed by the app itself.
    const config = loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'test', PORT: '0' });
    // The front door stays out of the way: this test is about draining, not admission.
    const { app, deps, beginDrain } = await buildApp({
      config,
      logger: false,
      webDistDir: path.join(dataDir, 'none'),
      frontDoor: { shedding: false, limiter: { initialLimit: 1000, minLimit: 1000, maxLimit: 1000 } },
    });
    app.post('/test/slow-write', async () => {
      await sleep(300);
      await deps.database.db.insertInto('regions').values({ code: 'DRAIN', name: 'Écrite pendant l’arrêt' }).execute();
      return { written: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    const inFlight = fetch(`${base}/test/slow-write`, { method: 'POST' });
    await sleep(50);
    beginDrain();
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('5');
    const closing = app.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ written: true });
    await closing;

    const reopened = await openDatabase({ url: null, dataDir: path.join(dataDir, 'pglite') });
    const rows = await reopened.db.selectFrom('regions').select('code').where('code', '=', 'DRAIN').execute();
    expect(rows).toHaveLength(1);
    await reopened.close();
  });
});
