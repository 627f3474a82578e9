import { performance } from 'node:perf_hooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConcurrencyLimiter } from './controller.ts';
import { FrontDoorHttp, type FrontDoorHttpDeps } from './front-door-http.ts';
import { CoDel, SHED_THRESHOLDS, isShed, shedLevel, type Criticality, type LoadSignals } from './shedding.ts';
import { rng } from './front-door.test-support.ts';

const CRITICALITIES: Criticality[] = ['critical', 'normal', 'sheddable'];

/** What each kind of route declares (search, exports and statistics are sheddable). */
const ROUTES: Record<string, Criticality> = {
  search: 'sheddable',
  export: 'sheddable',
  statistics: 'sheddable',
  settings: 'normal',
  dashboard: 'critical',
  lessons: 'critical',
  messages: 'critical',
  'hand-ins': 'critical',
};
const RANK: Record<Criticality, number> = { sheddable: 0, normal: 1, critical: 2 };

function* signalGrid(): Generator<LoadSignals> {
  for (const inflight of [0, 10, 50, 89, 90, 100, 124, 125, 200, 1_000]) {
    for (const minDelayMs of [0, 4, 5, 20, 49, 50, 500]) {
      for (const standingMs of [0, 100, 999, 1_000, 5_000]) yield { inflight, limit: 100, minDelayMs, standingMs: minDelayMs >= 5 ? standingMs : 0 };
    }
  }
}

describe('shedding order', () => {
  it('refuses sheddable work before normal work, and never refuses critical work for load alone', () => {
    let sheddableOnly = 0;
    for (const s of signalGrid()) {
      const level = shedLevel(s);
      expect(isShed('critical', level)).toBe(false);
      if (isShed('normal', level)) expect(isShed('sheddable', level)).toBe(true);
      if (isShed('sheddable', level) && !isShed('normal', level)) sheddableOnly++;
    }
    expect(sheddableOnly).toBeGreaterThan(0);
  });

  it('is monotone: more load never lets more work through', () => {
    for (const s of signalGrid()) {
      const worse = { ...s, inflight: s.inflight + 30, minDelayMs: s.minDelayMs + 10, standingMs: s.standingMs + 500 };
      for (const c of CRITICALITIES) {
        if (isShed(c, shedLevel(s))) expect(isShed(c, shedLevel(worse))).toBe(true);
      }
    }
  });

  it('lets everything through when the node is calm', () => {
    const level = shedLevel({ inflight: 10, limit: 100, minDelayMs: 1, standingMs: 0 });
    expect(CRITICALITIES.filter((c) => isShed(c, level))).toEqual([]);
  });

  it('property: under any queueing-delay trace, search, exports and statistics are shed first; dashboard, lessons, messages and hand-ins never for load', () => {
    let outOfOrder = 0;
    let criticalShed = 0;
    let shedMoments = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const random = rng(seed);
      const codel = new CoDel(SHED_THRESHOLDS.targetMs, 100);
      const firstShed: Partial<Record<string, number>> = {};
      // A random walk of the queueing delay, sampled every 10 ms (as the lag sampler does), with
      // the in-flight count far below the limit: the delay alone must shed.
      let delay = 0;
      for (let t = 0; t < 10_000; t += 10) {
        delay = Math.max(0, delay + (random() - 0.48) * 6 + (random() < 0.01 ? 40 : 0));
        codel.sample(delay, t);
        const level = shedLevel(codel.signals(5, 100, t));
        let mostCritical = -1;
        let leastCriticalPassed = 3;
        for (const [route, c] of Object.entries(ROUTES)) {
          if (isShed(c, level)) {
            mostCritical = Math.max(mostCritical, RANK[c]);
            firstShed[route] ??= t;
            if (c === 'critical') criticalShed++;
          } else {
            leastCriticalPassed = Math.min(leastCriticalPassed, RANK[c]);
          }
        }
        // Whenever a route is shed, every less critical route is shed at the same moment.
        if (mostCritical >= 0) shedMoments++;
        if (leastCriticalPassed < mostCritical) outOfOrder++;
      }
      if (firstShed['settings'] !== undefined && !(firstShed['search']! <= firstShed['settings'])) outOfOrder++;
    }
    expect(shedMoments).toBeGreaterThan(1_000);
    expect(outOfOrder).toBe(0);
    expect(criticalShed).toBe(0);
  });

  it('sheds on queueing delay alone (in flight far below the limit), and not on a burst that drains', () => {
    const codel = new CoDel(5, 100);
    // A burst: 300 ms of 80 ms peaks, but the queue drains to 0 every 50 ms.
    for (let t = 0; t < 300; t += 10) codel.sample(t % 50 === 0 ? 0 : 80, t);
    expect(shedLevel(codel.signals(1, 100, 300))).toBe(0);
    // A standing queue: never below 8 ms for 200 ms → sheddable work is refused…
    for (let t = 300; t < 500; t += 10) codel.sample(8 + (t % 30), t);
    expect(shedLevel(codel.signals(1, 100, 500))).toBe(1);
    // …and once it has stood for a second, normal work too (critical work never, for load).
    for (let t = 500; t < 1_500; t += 10) codel.sample(8 + (t % 30), t);
    expect(shedLevel(codel.signals(1, 100, 1_500))).toBe(2);
    // Drained: back to normal after one interval.
    for (let t = 1_500; t < 1_700; t += 10) codel.sample(1, t);
    expect(shedLevel(codel.signals(1, 100, 1_700))).toBe(0);
  });
});

describe('CoDel', () => {
  it('sees a standing queue only once the minimum delay of a whole 100 ms interval is above 5 ms', () => {
    const codel = new CoDel(5, 100);
    codel.sample(2, 0);
    codel.sample(8, 10);
    codel.sample(9, 60);
    expect(codel.isStanding(99)).toBe(false);
    codel.sample(7, 111);
    // [0, 100) had a 2 ms sample: it drained.
    expect(codel.isStanding(111)).toBe(false);
    codel.sample(6, 150);
    codel.sample(9, 199);
    expect(codel.isStanding(205)).toBe(true);
    expect(codel.minDelayMs(205)).toBe(6);
    codel.sample(1, 220);
    expect(codel.isStanding(305)).toBe(false);
  });

  it('ignores short spikes, and counts intervals with no sample as an empty queue', () => {
    const codel = new CoDel(5, 100);
    for (let t = 0; t < 1_000; t += 50) codel.sample(t % 100 === 0 ? 40 : 1, t);
    expect(codel.isStanding(1_000)).toBe(false);
    for (let t = 1_000; t < 1_300; t += 10) codel.sample(30, t);
    expect(codel.isStanding(1_300)).toBe(true);
    expect(codel.isStanding(1_600)).toBe(false);
  });
});

describe('adaptive concurrency limit', () => {
  it('grows while latency holds and shrinks when latency climbs', () => {
    const limiter = new ConcurrencyLimiter({ initialLimit: 20, minLimit: 4, maxLimit: 1_000, windowMs: 100 });
    let t = 0;
    const run = (ms: number, rtt: number, concurrency: number) => {
      for (let end = t + ms; t < end; t += 5) {
        for (let i = 0; i < concurrency; i++) limiter.acquire(t);
        for (let i = 0; i < concurrency; i++) limiter.release(t + 1, rtt, false);
      }
    };
    run(3_000, 10, 20);
    const grown = limiter.limit;
    expect(grown).toBeGreaterThan(20);
    run(3_000, 60, grown);
    expect(limiter.limit).toBeLessThan(grown);
    // Rising latency means overload while work is in flight; an idle node is not unhealthy.
    expect(limiter.isOverloaded()).toBe(false);
    limiter.acquire(t);
    expect(limiter.isOverloaded()).toBe(true);
  });

  it('holds its limit while a quiet node is far below it, and an idle node is never overloaded', () => {
    const limiter = new ConcurrencyLimiter({ windowMs: 100 });
    // Busy at 10 ms for 2 s, then one request every 2 s, some of them slow.
    let t = 0;
    for (; t < 2_000; t += 5) {
      for (let i = 0; i < 20; i++) limiter.acquire(t);
      for (let i = 0; i < 20; i++) limiter.release(t + 1, 10, false);
    }
    const before = limiter.snapshot();
    for (let k = 0; k < 30; k++, t += 2_000) {
      limiter.acquire(t);
      limiter.release(t + 1, k % 3 === 0 ? 200 : 10, false);
    }
    expect(limiter.limit).toBe(before.limit);
    expect(limiter.isOverloaded()).toBe(false);
  });

  it('counts the node as overloaded when the event loop lags or errors pile up', () => {
    const limiter = new ConcurrencyLimiter();
    expect(limiter.isOverloaded()).toBe(false);
    limiter.setEventLoopDelay(250);
    expect(limiter.isOverloaded()).toBe(true);
    limiter.setEventLoopDelay(1);
    for (let w = 0; w < 10; w++) {
      for (let i = 0; i < 10; i++) {
        limiter.acquire(w * 300);
        limiter.release(w * 300 + 250, 5, true);
      }
    }
    expect(limiter.isOverloaded()).toBe(true);
  });
});

describe('what a shed person sees', () => {
  it('a page navigation gets a French page that reloads itself; the API gets JSON', async () => {
    const { default: Fastify } = await import('fastify');
    const { sendUnavailable } = await import('./responses.ts');
    const app = Fastify();
    app.get('/*', async (request, reply) => sendUnavailable(request, reply, 10, 'overload'));
    const page = await app.inject({ method: 'GET', url: '/devoirs', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(503);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['retry-after']).toBe('10');
    expect(page.body).toMatch(/Préau est très sollicité/);
    expect(page.body).toMatch(/<meta http-equiv="refresh" content="10">/);
    expect(page.body).toMatch(/href="\/devoirs"/);
    const api = await app.inject({ method: 'GET', url: '/api/recherche' });
    expect(api.statusCode).toBe(503);
    expect(api.json().error.code).toBe('UNAVAILABLE');
    await app.close();
  });
});

describe('queueing delay of admitted requests', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is the loop lag plus the request’s own wait, never compounded from request to request', () => {
    let now = 1_000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const codel = new CoDel();
    const limiter = new ConcurrencyLimiter({ initialLimit: 100_000, minLimit: 100_000, maxLimit: 100_000 });
    const http = new FrontDoorHttp({ limiter, codel, shedding: true } as unknown as FrontDoorHttpDeps);
    codel.sampleLoopLag(2, now);
    const sent: number[] = [];
    const reply = { code: () => reply, header: () => reply, type: () => reply, send: () => (sent.push(503), reply) } as unknown as FastifyReply;
    // A saturated core: 20 000 requests back to back, each waiting 1 ms before its handler.
    for (let i = 0; i < 20_000; i++) {
      const request = { url: '/', method: 'GET', headers: {}, query: {}, routeOptions: { config: { criticality: 'critical' } } } as unknown as FastifyRequest;
      expect(http.admit(request, reply)).toBeNull();
      now += 1;
      expect(http.checkDeadline(request, reply)).toBeNull();
      http.release(request, 200);
    }
    // Each measured about 3 ms (2 ms of loop lag + 1 ms); the old estimate grew by 1 ms per request
    // and dropped critical pages past their 10 s deadline.
    expect(codel.lastDelayMs()).toBeLessThanOrEqual(3);
    expect(sent).toEqual([]);
  });
});
