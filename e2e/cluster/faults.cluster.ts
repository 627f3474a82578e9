/**
 * The faults a Préau cluster must survive, each under a steady load through nginx, on a local
 * cluster of 3 nodes started here with its OWN PostgreSQL and Redis (restarting them disturbs
 * nothing else on the machine): a node killed with -9, PostgreSQL restarted, Redis down, and a
 * rolling restart of every node. Every write the platform acknowledged is then looked for in the
 * database. See docs/cluster.md for the policies these tests hold the platform to.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/platform/db/db.ts';
import { DEMO_PASSWORD } from '../../src/modules/schools/index.ts';
import { startCluster, type LocalCluster } from '../../scripts/lib/cluster.ts';
import { startIsolatedPostgres, startIsolatedRedis, type IsolatedService } from '../../scripts/lib/isolated-services.ts';
import { Browser, Load, field, newAcknowledged, nextAddress, ok, openLive, operate, statuses, type Acknowledged, type Cast, type Outcome } from './load.ts';

const RATE_LIMIT_FACTOR = 10;
/** sign-in:account allows a burst of 5 (× the factor) plus one, then about one per 9 s. */
const SHARED_SIGN_IN_ALLOWANCE = 5 * RATE_LIMIT_FACTOR + 1;

let pg: IsolatedService;
let redis: IsolatedService;
let cluster: LocalCluster;
let dataDir: string;
let database: Database;
let cast: Cast;
const ack: Acknowledged = newAcknowledged();
const clusterLog: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${what} : toujours pas après ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

/** Every acknowledged write, looked up in PostgreSQL itself (never through the product). */
async function missingWrites(): Promise<{ checked: number; missing: string[] }> {
  const db = database.db;
  const missing: string[] = [];
  const messages = [...ack.messages];
  if (messages.length) {
    const found = new Set((await sql<{ id: string }>`SELECT id::text AS id FROM messages WHERE id::text IN (${sql.join(messages)})`.execute(db)).rows.map((r) => r.id));
    missing.push(...messages.filter((id) => !found.has(id)).map((id) => `message ${id}`));
  }
  const handIns = [...ack.handIns];
  if (handIns.length) {
    const rows = (await sql<{ id: string; version: number }>`SELECT id::text AS id, version FROM homework_submissions WHERE id::text IN (${sql.join(handIns.map(([id]) => id))})`.execute(db)).rows;
    const versions = new Map(rows.map((r) => [r.id, Number(r.version)]));
    missing.push(...handIns.filter(([id, v]) => (versions.get(id) ?? -1) < v).map(([id, v]) => `rendu ${id} v${v}`));
  }
  const files = [...ack.files];
  if (files.length) {
    const found = new Set((await sql<{ id: string }>`SELECT id::text AS id FROM files WHERE id::text IN (${sql.join(files)})`.execute(db)).rows.map((r) => r.id));
    missing.push(...files.filter((id) => !found.has(id)).map((id) => `fichier ${id}`));
  }
  return { checked: messages.length + handIns.length + files.length, missing };
}

/** Sign-in attempts for one unknown login, each from a new address: how many were not refused with 429? */
async function signInAllowance(attempts: number): Promise<number> {
  const login = `inconnu.${randomBytes(4).toString('hex')}`;
  let allowed = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < attempts) {
        next++;
        const a = await new Browser(cluster.url, nextAddress()).signIn(login, 'mauvais-mot-de-passe');
        expect([401, 429], JSON.stringify(a)).toContain(a.status);
        if (a.status === 401) allowed++;
      }
    }),
  );
  return allowed;
}

const readyBodies = () =>
  Promise.all(cluster.nodeUrls.map(async (u) => (await (await fetch(`${u}/ready`, { signal: AbortSignal.timeout(3000) })).json()) as Record<string, unknown>));

/** One line per test in the run's output: what the load saw. */
const report = (what: string, outcomes: readonly Outcome[], extra: Record<string, unknown> = {}) =>
  process.stdout.write(`[grappe] ${what} : ${outcomes.length} requêtes ${JSON.stringify(statuses(outcomes))}, max ${Math.max(0, ...outcomes.map((o) => o.ms))} ms ${JSON.stringify(extra)}\n`);

const describeOutcomes = (outcomes: readonly Outcome[]) => JSON.stringify({ statuses: statuses(outcomes), failures: outcomes.filter((o) => !ok(o)).slice(0, 10) });

beforeAll(async () => {
  [pg, redis] = await Promise.all([startIsolatedPostgres(), startIsolatedRedis()]);
  dataDir = await mkdtemp(path.join(tmpdir(), 'preau-cluster-data-'));
  cluster = await startCluster({
    nodes: 3,
    databaseUrl: pg.url,
    redisUrl: redis.url,
    secret: randomBytes(36).toString('base64url'),
    dataDir,
    passForwardedFor: true,
    demo: true,
    env: {
      LOG_LEVEL: 'error',
      // Files in the shared DATA_DIR/blobs, whatever this machine's storage settings.
      STORAGE: 'local',
      BLOBS_DIR: undefined,
      // 2 shared cores: a CPU spike must not queue or shed the load (the front door has its own tests).
      LOAD_PROTECTION: 'false',
      RATE_LIMIT_FACTOR: String(RATE_LIMIT_FACTOR),
      SHUTDOWN_DRAIN_DELAY_MS: '3000',
      DB_CONNECT_TIMEOUT_MS: '2000',
      DB_QUERY_TIMEOUT_MS: '5000',
    },
    log: (line) => clusterLog.push(line),
  });
  database = await openDatabase({ url: pg.url, connectTimeoutMs: 2000 });

  const [pupil, parent, teacher] = [new Browser(cluster.url, nextAddress()), new Browser(cluster.url, nextAddress()), new Browser(cluster.url, nextAddress())];
  for (const [b, login] of [[pupil, 'lea.martin'], [parent, 'sophie.martin'], [teacher, 'karim.benali']] as const) {
    expect((await b.signIn(login, DEMO_PASSWORD)).status, login).toBe(200);
  }
  const teaching = await teacher.call('GET', '/api/homework/teaching');
  const entry = ((teaching.body as { teaching?: Array<{ classId: string; className: string }> }).teaching ?? []).find((t) => t.className === '6e A');
  expect(entry, JSON.stringify(teaching.body)).toBeDefined();
  const due = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const homework = await teacher.call('POST', `/api/classes/${entry!.classId}/homework`, {
    json: { subject: 'MATHS', instructions: 'Exercices 1 à 4, à rendre en ligne', dueDate: due, dueTime: '18:00', requiresSubmission: true },
  });
  expect(homework.status, JSON.stringify(homework.body)).toBeLessThan(300);
  cast = { base: cluster.url, password: DEMO_PASSWORD, pupil, parent, teacher, homeworkId: field(homework.body, 'id')!, logins: ['lea.martin', 'sophie.martin', 'karim.benali', 'claire.dubois', 'julien.moreau'] };
  // Each kind of write works before any fault.
  for (const kind of ['message', 'hand-in', 'upload'] as const) {
    const a = await operate(cast, kind, ack, 0);
    expect(a.status, `${kind}: ${JSON.stringify(a.body)}`).toBeLessThan(300);
  }
}, 300_000);

afterAll(async () => {
  // What the nodes said (errors and slow requests only, LOG_LEVEL=error… plus crashes), for a failed run.
  const logFile = path.join(tmpdir(), 'preau-cluster-faults.log');
  await writeFile(logFile, `${clusterLog.join('\n')}\n`);
  process.stdout.write(`[grappe] journal des nœuds : ${logFile}\n`);
  await database?.close().catch(() => {});
  await cluster?.stop().catch(() => {});
  await Promise.all([pg?.destroy(), redis?.destroy()]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 120_000);

describe('a 3-node cluster behind nginx, under load', () => {
  // Whatever a test broke and did not get to mend (it failed half-way), the next one starts on a
  // whole cluster: one failure is reported once, not as every test after it.
  afterEach(async () => {
    await pg.start().catch(() => {}); // already running: pg_ctl refuses, which is fine
    await redis.start();
    for (const i of [0, 1, 2]) if (!cluster.isNodeRunning(i)) await cluster.startNode(i);
  }, 120_000);

  it('kill -9 of one node: people go on on the others with the same session, and no acknowledged write is lost', async () => {
    // Live-update streams spread over the three nodes by nginx (round robin): some are on the one that dies.
    const people = [cast.pupil, cast.parent, cast.teacher];
    const streams = await Promise.all(Array.from({ length: 9 }, (_, i) => openLive(people[i % 3]!)));
    expect(streams.map((s) => s.status)).toEqual(Array(9).fill(200));
    const load = new Load(cast, ack, { workers: 3, pauseMs: 80, maxMs: 40_000 });
    await sleep(4000);
    const killedAt = Date.now();
    await cluster.killNode(1);
    await sleep(6000);
    const outcomes = await load.stop();
    const broken = streams.map((s, i) => ({ s, who: people[i % 3]! })).filter(({ s }) => s.endedAt !== null);
    report('kill -9', outcomes, { fluxCoupés: broken.length, fluxIntacts: streams.length - broken.length });

    // The streams of the dead node ended; the browser reconnects (EventSource does) to a live node.
    expect(broken.length).toBeGreaterThanOrEqual(1);
    expect(broken.length).toBeLessThan(streams.length);
    for (const { s } of broken) expect(s.endedAt!).toBeGreaterThanOrEqual(killedAt);
    const again = await Promise.all(broken.map(({ who }) => openLive(who.clone())));
    expect(again.map((s) => s.status)).toEqual(broken.map(() => 200));
    for (const s of [...streams, ...again]) s.close();

    // Only requests already inside the dead node fail (nginx cannot replay a POST it had sent);
    // everything that started after the crash succeeds on the other nodes.
    const failures = outcomes.filter((o) => !ok(o));
    expect(failures.length, describeOutcomes(outcomes)).toBeLessThanOrEqual(3);
    for (const f of failures) expect(f.at, describeOutcomes(outcomes)).toBeLessThan(killedAt + 500);
    const after = outcomes.filter((o) => o.at > killedAt + 500);
    expect(new Set(after.filter(ok).map((o) => o.kind)), describeOutcomes(after)).toEqual(new Set(['sign-in', 'dashboard', 'message', 'hand-in', 'upload']));

    // The sessions opened before the crash (on any node, the dead one included) still work.
    for (let i = 0; i < 6; i++) {
      for (const b of [cast.pupil, cast.parent, cast.teacher]) expect((await b.clone().call('GET', '/api/dashboard')).status).toBe(200);
    }
    const { checked, missing } = await missingWrites();
    expect(checked).toBeGreaterThan(10);
    expect(missing).toEqual([]);
    await cluster.startNode(1);
  });

  it('PostgreSQL restarted: every request answers fast (503 with Retry-After while it is away), and service resumes by itself', async () => {
    const load = new Load(cast, ack, { workers: 3, pauseMs: 80, maxMs: 60_000 });
    await sleep(3000);
    const stoppedAt = Date.now();
    await pg.stop();
    await sleep(4000);
    await pg.start();
    const restartedAt = Date.now();
    // A write, through nginx, succeeds again within seconds of the database's return.
    await until('un rendu accepté après le redémarrage de PostgreSQL', 20_000, async () => {
      const a = await cast.pupil.call('PUT', `/api/homework/${cast.homeworkId}/submission`, { json: { text: 'Rendu après la panne' } });
      return a.status === 200 ? a : null;
    });
    const recoveredAt = Date.now();
    await sleep(3000);
    const outcomes = await load.stop();
    report('PostgreSQL redémarré', outcomes, { repriseMs: recoveredAt - restartedAt });

    // No node died of the outage (a connection cut between two statements must not be an uncaught error).
    expect([0, 1, 2].map((i) => cluster.isNodeRunning(i))).toEqual([true, true, true]);
    expect(recoveredAt - restartedAt, 'reprise après le retour de PostgreSQL').toBeLessThan(10_000);
    for (const o of outcomes) {
      expect(o.status, JSON.stringify(o)).not.toBe(0); // no request hung past the client's timeout
      expect(o.ms, JSON.stringify(o)).toBeLessThan(10_000);
      if (!ok(o)) {
        expect(o.status, describeOutcomes(outcomes)).toBe(503);
        expect(Number(o.retryAfter), JSON.stringify(o)).toBeGreaterThan(0);
        expect(o.at, JSON.stringify(o)).toBeGreaterThan(stoppedAt - 1000);
      }
    }
    expect(outcomes.filter((o) => o.status === 503).length, 'the outage was felt').toBeGreaterThan(0);
    const afterRecovery = outcomes.filter((o) => o.at > recoveredAt + 1000);
    expect(afterRecovery.length).toBeGreaterThan(5);
    expect(afterRecovery.filter((o) => !ok(o)), describeOutcomes(afterRecovery)).toEqual([]);
    const { missing } = await missingWrites();
    expect(missing).toEqual([]);
  });

  it('Redis down: signed-in people keep their dashboard, rate limits fall back per node; Redis back: limits are shared again', async () => {
    // Shared limits: the cluster as a whole allows one account's burst, whichever node answers.
    const shared = await signInAllowance(90);
    expect(shared).toBeLessThanOrEqual(SHARED_SIGN_IN_ALLOWANCE + 3);
    expect(shared).toBeGreaterThanOrEqual(SHARED_SIGN_IN_ALLOWANCE - 5);

    await redis.stop();
    await until('chaque nœud passe en repli par nœud', 15_000, async () => ((await readyBodies()).every((b) => b['sharedStateFallback']) ? true : null));
    const load = new Load(cast, ack, { workers: 2, pauseMs: 100, maxMs: 30_000 });
    for (let i = 0; i < 6; i++) {
      for (const b of [cast.pupil, cast.parent, cast.teacher]) expect((await b.call('GET', '/api/dashboard')).status).toBe(200);
    }
    // Per-node limits: each node allows the burst on its own, so the cluster allows more than one burst.
    const perNode = await signInAllowance(90);
    expect(perNode).toBeGreaterThan(SHARED_SIGN_IN_ALLOWANCE + 10);
    const during = await load.stop();
    report('Redis arrêté', during, { partagé: shared, parNœud: perNode });
    expect(during.filter((o) => !ok(o)), describeOutcomes(during)).toEqual([]);

    await redis.start();
    await until('chaque nœud revient sur Redis', 20_000, async () => ((await readyBodies()).every((b) => b['status'] === 'ready' && !b['sharedStateFallback']) ? true : null));
    const again = await signInAllowance(90);
    expect([0, 1, 2].map((i) => cluster.isNodeRunning(i))).toEqual([true, true, true]);
    process.stdout.write(`[grappe] Redis revenu : ${again} tentatives admises sur 90 (limite partagée ≈ ${SHARED_SIGN_IN_ALLOWANCE})\n`);
    expect(again).toBeLessThanOrEqual(SHARED_SIGN_IN_ALLOWANCE + 3);
    const { missing } = await missingWrites();
    expect(missing).toEqual([]);
  });

  it('rolling restart of every node, one by one, under load: zero failed requests', async () => {
    const load = new Load(cast, ack, { workers: 3, pauseMs: 80, maxMs: 150_000 });
    await sleep(2000);
    for (let i = 0; i < 3; i++) {
      await cluster.stopNode(i);
      await cluster.startNode(i);
      await sleep(1000);
    }
    const outcomes = await load.stop();
    report('redémarrage tournant', outcomes, await missingWrites().then((m) => ({ écrituresVérifiées: m.checked })));
    expect(outcomes.length).toBeGreaterThan(50);
    expect(outcomes.filter((o) => !ok(o)), describeOutcomes(outcomes)).toEqual([]);
    const { missing } = await missingWrites();
    expect(missing).toEqual([]);
  });
});
