/** Smoke tests of the rehearsal's pure arithmetic: the arrival curve, order fidelity, honest wait. */
import { describe, expect, it } from 'vitest';
import { constantRateArrivals, DEFAULT_CURVE, histogram, morningArrivals } from './curve.ts';
import { countInversions, honestWait, orderFidelity, parseShownRange } from './fidelity.ts';
import { overloadedSeconds } from './phases.ts';
import { planPopulation, populationCsv } from './population.ts';

describe('arrival curve', () => {
  it('puts most people in the minutes around the bell, compressed, sorted and reproducible', () => {
    const compress = 10;
    const a = morningArrivals(10_000, DEFAULT_CURVE, compress, 1);
    expect(a).toEqual(morningArrivals(10_000, DEFAULT_CURVE, compress, 1));
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    const windowMs = (DEFAULT_CURVE.windowMinutes * 60_000) / compress;
    expect(a[0]).toBeGreaterThanOrEqual(0);
    expect(a.at(-1)).toBeLessThan(windowMs);
    const bell = (DEFAULT_CURVE.bellMinute * 60_000) / compress;
    const near = a.filter((t) => Math.abs(t - bell) <= (5 * 60_000) / compress).length;
    expect(near / a.length).toBeGreaterThan(0.7);
    const perMinute = histogram(a, 60_000 / compress);
    expect(Math.max(...perMinute)).toBeGreaterThan(4 * (a.length / perMinute.length) * 0.5);
  });

  it('keeps a constant rate within a few per cent', () => {
    const a = constantRateArrivals(200, 30, 3);
    expect(a.length / 30).toBeGreaterThan(190);
    expect(a.length / 30).toBeLessThan(210);
  });
});

describe('order fidelity', () => {
  it('counts inversions', () => {
    expect(countInversions([1, 2, 3])).toBe(0);
    expect(countInversions([3, 2, 1])).toBe(3);
    expect(countInversions([2, 2, 1])).toBe(2);
  });

  it('compares pairs of different 100 ms buckets in the same lane only; ties count as in order', () => {
    const people = [
      { lane: 'general', arrivalMs: 0, admittedMs: 1000 },
      { lane: 'general', arrivalMs: 50, admittedMs: 900 }, // same bucket as the first: not compared
      { lane: 'general', arrivalMs: 200, admittedMs: 1000 }, // tie with the first: in order
      { lane: 'general', arrivalMs: 300, admittedMs: 950 }, // before the first and the third: 2 inversions
      { lane: 'priority', arrivalMs: 400, admittedMs: 10 }, // another lane: never compared
    ];
    const f = orderFidelity(people);
    expect(f.pairs).toBe(5);
    expect(f.inversions).toBe(2);
    expect(f.share).toBeCloseTo(0.6);
  });
});

describe('honest wait', () => {
  it('reads the range the page shows, in seconds or minutes, French or English', () => {
    expect(parseShownRange('Attente estimée\u00a0: entre 5 et 15 secondes')).toEqual({ lowS: 5, highS: 15 });
    expect(parseShownRange('Estimated wait: between 2 and 4 minutes')).toEqual({ lowS: 120, highS: 240 });
    expect(parseShownRange('Attente estimée : entre 1\u202f200 et 1\u202f260 minutes')).toEqual({ lowS: 72_000, highS: 75_600 });
    expect(parseShownRange('Personne devant vous')).toBeNull();
  });

  it('counts waits inside the range, shorter and longer', () => {
    const h = honestWait([
      { lowS: 5, highS: 15, waitedS: 10 },
      { lowS: 5, highS: 15, waitedS: 15 },
      { lowS: 5, highS: 15, waitedS: 2 },
      { lowS: 5, highS: 15, waitedS: 20 },
    ]);
    expect(h).toMatchObject({ waits: 4, inside: 2, early: 1, late: 1, share: 0.5 });
  });
});

describe('population', () => {
  it('plans classes that all have pupils, families with parents, and teachers for every class', () => {
    const p = planPopulation(100);
    expect(p.pupils).toHaveLength(100);
    for (const c of p.classes) expect(p.pupils.some((x) => x.className === c)).toBe(true);
    for (const c of p.classes) expect(p.teachers.some((t) => t.teaches.some((x) => x.className === c))).toBe(true);
    expect(p.parents.length).toBeGreaterThan(50);
    const [csv] = populationCsv(p);
    expect(csv?.split('\n')[0]).toBe('profil;identifiant;nom;prenom;classe;enfants;enseignements');
  });
});

describe('overloaded seconds (goodput under overload)', () => {
  it('counts the arrival window, then every second somebody still waited', () => {
    const secs = [3, 5, 0, 9, 0, 4, 0, 0].map((waitingMax) => ({ waitingMax }));
    expect(overloadedSeconds(secs, 3)).toHaveLength(6); // up to the last second with somebody waiting (an unsampled 0 between)
    expect(overloadedSeconds(secs.slice(0, 3), 2)).toHaveLength(2); // nobody waited after the window
    expect(overloadedSeconds(secs.slice(0, 2), 10)).toHaveLength(2);
  });
});
