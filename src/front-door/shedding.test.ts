import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from './controller.ts';
import { CoDel, isShed, shedLevel, type Criticality, type LoadSignals } from './shedding.ts';

const CRITICALITIES: Criticality[] = ['critical', 'normal', 'sheddable'];

function* signalGrid(): Generator<LoadSignals> {
  for (const inflight of [0, 10, 50, 89, 90, 100, 124, 125, 200, 1_000]) {
    for (const isStandingQueue of [false, true]) {
      for (const queueDelayMs of [0, 4, 20, 99, 100, 500]) yield { inflight, limit: 100, isStandingQueue, queueDelayMs };
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
      const worse = { ...s, inflight: s.inflight + 30, queueDelayMs: s.queueDelayMs + 50, isStandingQueue: true };
      for (const c of CRITICALITIES) {
        if (isShed(c, shedLevel(s))) expect(isShed(c, shedLevel(worse))).toBe(true);
      }
    }
  });

  it('lets everything through when the node is calm', () => {
    const level = shedLevel({ inflight: 10, limit: 100, isStandingQueue: false, queueDelayMs: 1 });
    expect(CRITICALITIES.filter((c) => isShed(c, level))).toEqual([]);
  });
});

describe('CoDel', () => {
  it('sees a standing queue only after delay stays above 5 ms for a whole 100 ms interval', () => {
    const codel = new CoDel(5, 100);
    codel.sample(2, 0);
    expect(codel.isStanding()).toBe(false);
    codel.sample(8, 10);
    codel.sample(9, 60);
    expect(codel.isStanding()).toBe(false);
    codel.sample(7, 111);
    expect(codel.isStanding()).toBe(true);
    codel.sample(1, 120);
    expect(codel.isStanding()).toBe(false);
  });

  it('ignores short spikes', () => {
    const codel = new CoDel(5, 100);
    for (let t = 0; t < 1_000; t += 50) codel.sample(t % 100 === 0 ? 40 : 1, t);
    expect(codel.isStanding()).toBe(false);
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
    expect(limiter.isOverloaded()).toBe(true);
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
