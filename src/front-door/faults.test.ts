/**
 * The front door when Redis dies mid-surge (ADR 0003, degraded mode). The test runs its own
 * redis-server on a free port, kills it (SIGKILL) while two nodes mint and admit tickets, then
 * starts a fresh one on the same port (no persistence: everything in Redis is lost, as after a
 * crash). The admission loop is driven by the test's manual clock; while Redis is down and coming
 * back, each step of that clock is matched by as much wall time, since reconnection is real I/O.
 *
 * Properties: no place is lost (tickets are self-contained; every ticket minted before the
 * outage is admitted after it, never after a later ticket of its node); admissions continue on
 * the per-node fallback; once Redis is back, the nodes share one leader (one frontier) again
 * within 5 s, and no node's frontier ever moves back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryState } from '../platform/shared-state/memory.ts';
import { createRedisState } from '../platform/shared-state/redis.ts';
import { withFallback, type FallbackState } from '../platform/shared-state/resilient.ts';
import { manualClock } from '../shared/time.ts';
import { bucketOf } from './histogram.ts';
import { createTestNode, gateRequest, ipOf } from './front-door.test-support.ts';

const T0 = Date.UTC(2026, 8, 7, 7, 0, 0);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts redis-server on `port` (no persistence) and waits until it answers. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      const probe = await createRedisState({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 200 });
      await probe.close();
      return child;
    } catch {
      await sleep(50);
    }
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${port}`);
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

const children: ChildProcess[] = [];
const states: FallbackState[] = [];
afterAll(async () => {
  await Promise.allSettled(states.map((s) => s.close()));
  await Promise.allSettled(children.map(stopRedis));
});

interface Person {
  i: number;
  node: 0 | 1;
  ticket?: string;
  tArr?: number;
  admittedAt?: number;
  mintedDuring: 'before' | 'outage' | 'after';
}

describe('front door: Redis killed mid-surge', () => {
  it('loses no place, keeps admitting on per-node state, and shares one frontier again within 5 s of Redis’s return', async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    children.push(redis);
    const url = `redis://127.0.0.1:${port}`;
    const clock = manualClock(T0);
    const open = async () => {
      const primary = await createRedisState({ url, keyPrefix: 'fd-faults:', connectTimeoutMs: 500, commandTimeoutMs: 300 });
      const state = withFallback(primary, createMemoryState(), undefined, { healthCheckIntervalMs: 100 });
      states.push(state);
      return state;
    };
    const stores = [await open(), await open()];
    const nodes = stores.map((state, k) => createTestNode({ state, clock, nodeId: `node-${k}`, hasRoom: () => false }));
    for (const n of nodes) await n.admission.start(false);
    await nodes[0]!.admission.setControl({ capPerMinute: 1_200 });

    const people: Person[] = [];
    const newestAdmitted = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
    let orderViolations = 0;
    let phase: Person['mintedDuring'] = 'before';
    let entriesDuringOutage = 0;
    /** One 50 ms step: a few newcomers, everyone waiting polls (sticky to their node), both nodes pump. */
    const step = async (newcomers: number) => {
      clock.advance(50);
      for (let k = 0; k < newcomers; k++) people.push({ i: people.length, node: (people.length % 2) as 0 | 1, mintedDuring: phase });
      for (const p of people) {
        if (p.admittedAt !== undefined) continue;
        // Newcomers ask at once; waiting pages poll about once a second.
        if (p.ticket !== undefined && (p.i + Math.floor(clock.now() / 50)) % 20 !== 0) continue;
        const d = nodes[p.node]!.gate.decide(gateRequest({ ip: ipOf(p.i), ticket: p.ticket }), clock.now());
        if (d.kind === 'wait') {
          p.ticket = d.setTicket ?? p.ticket;
          p.tArr = d.ticket.tArr;
          // Order within a node, at 100 ms resolution: nobody later has got in while this one waits.
          if (bucketOf(p.tArr) < newestAdmitted[p.node]!) orderViolations++;
        } else if (d.kind === 'enter') {
          p.admittedAt = clock.now();
          newestAdmitted[p.node] = Math.max(newestAdmitted[p.node]!, bucketOf(p.tArr ?? clock.now()));
          if (phase === 'outage') entriesDuringOutage++;
        } else {
          throw new Error(`unexpected decision ${d.kind}`);
        }
      }
      await Promise.all(nodes.map((n) => n.admission.pump()));
    };
    const frontiers = () => nodes.map((n) => n.admission.frontier('general'));

    // The surge: 40 people a second for 6 s against a budget of 20 a second.
    for (let s = 0; s < 120; s++) await step(2);
    expect(stores.every((s) => !s.isUsingFallback())).toBe(true);
    expect(new Set(nodes.map((n) => n.admission.getRoom()?.leader)).size).toBe(1);
    const beforeOutage = people.filter((p) => p.ticket !== undefined && p.admittedAt === undefined);
    expect(beforeOutage.length).toBeGreaterThan(50);

    // Redis dies; the surge goes on. Each step now takes its 50 ms of wall time too.
    phase = 'outage';
    await stopRedis(redis);
    let previous = frontiers();
    for (let s = 0; s < 100; s++) {
      await step(s < 40 ? 2 : 0);
      await sleep(50);
      const now = frontiers();
      now.forEach((f, k) => expect(f).toBeGreaterThanOrEqual(previous[k]!));
      previous = now;
    }
    expect(stores.every((s) => s.isUsingFallback())).toBe(true);
    expect(entriesDuringOutage).toBeGreaterThan(0);
    // Each node led its own room from the last shared document: both frontiers moved on.
    expect(nodes.every((n) => n.admission.isLeader())).toBe(true);
    // Each applied its share of the operator's cap (1 200 a minute over the 2 nodes it last saw),
    // not the whole cap each: the platform still admits no more than the cap.
    for (const n of nodes) expect(n.admission.getRoom()!.rate).toBeCloseTo(10, 6);

    // A fresh Redis on the same port (everything it held is gone).
    phase = 'after';
    redis = await startRedis(port);
    children.push(redis);
    const backAt = clock.now();
    let sharedAfterMs = -1;
    for (let s = 0; s < 200 && sharedAfterMs < 0; s++) {
      await step(0);
      await sleep(50);
      const leaders = new Set(nodes.map((n) => n.admission.getRoom()?.leader));
      const now = frontiers();
      now.forEach((f, k) => expect(f).toBeGreaterThanOrEqual(previous[k]!));
      previous = now;
      if (stores.every((x) => !x.isUsingFallback()) && leaders.size === 1 && nodes.filter((n) => n.admission.isLeader()).length === 1) {
        sharedAfterMs = clock.now() - backAt;
      }
    }
    expect(sharedAfterMs).toBeGreaterThanOrEqual(0);
    expect(sharedAfterMs).toBeLessThanOrEqual(5_000);
    // One shared room again: the whole cap.
    await step(0);
    expect(nodes.find((n) => n.admission.isLeader())!.admission.getRoom()!.rate).toBeCloseTo(20, 6);

    // Everyone who waited before the outage gets in, in order, on the shared frontier.
    for (let s = 0; s < 1_200 && people.some((p) => p.admittedAt === undefined); s++) await step(0);
    expect(beforeOutage.filter((p) => p.admittedAt === undefined)).toEqual([]);
    expect(people.filter((p) => p.admittedAt === undefined)).toEqual([]);
    expect(orderViolations).toBe(0);
    for (const n of nodes) await n.admission.stop();
  }, 60_000);
});
