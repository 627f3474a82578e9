/**
 * Automatic attack mode, as properties over random traffic driven second by second (a manual
 * clock, no timers): an ordinary surge never switches it on; a forged-ticket flood switches it on
 * within the enter window; once calm, it goes off after the leave window (and the minimum time).
 */
import { describe, expect, it } from 'vitest';
import { AttackDetector, AttackTrigger, DEFAULT_ATTACK_TRIGGER } from './attack-mode.ts';
import { RoomPlanner } from './planner.ts';
import { DEFAULT_ADMISSION_OPTIONS } from './admission.ts';
import { bucketOf } from './histogram.ts';
import { rng } from './front-door.test-support.ts';

const T0 = Date.UTC(2026, 8, 7, 7, 0, 0);
const S0 = T0 / 1000;
const o = DEFAULT_ATTACK_TRIGGER;

/**
 * Ordinary traffic for `seconds`: the 9:00 step (a few seconds far above capacity), then a busy
 * morning, with a few invalid tokens (phones changing network, a key rotation: short bursts).
 */
function ordinary(seed: number, seconds: number, capacity: number) {
  const random = rng(seed);
  const step = Math.floor(random() * 20);
  return Array.from({ length: seconds }, (_, i) => {
    const isStep = i >= step && i < step + 1 + Math.floor(random() * 5);
    const arrivals = isStep ? o.arrivalsPerSecond * (1 + random() * 3) : random() * Math.min(o.arrivalsPerSecond, 50 * capacity);
    const isRotation = random() < 0.02;
    const invalid = isRotation ? o.invalidPerSecond * (1 + random()) : random() * 5;
    return { invalid: Math.floor(invalid), arrivals: Math.floor(arrivals), capacity };
  });
}

describe('automatic attack mode (hysteresis)', () => {
  it('stays off through ordinary surges: the 9:00 step, a busy morning, stray invalid tokens', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const trigger = new AttackTrigger();
      const capacity = 5 + rng(seed * 7)() * 200;
      const traffic = ordinary(seed, 600, capacity);
      traffic.forEach((sample, i) => expect(trigger.observe(S0 + i, sample), `seed ${seed}, second ${i}`).toBe(false));
    }
  });

  it('switches on within the enter window of a forged-ticket flood, even one with dips', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = rng(seed);
      const trigger = new AttackTrigger();
      const calm = ordinary(seed, 30, 50).map((x) => ({ ...x, invalid: Math.min(x.invalid, 5), arrivals: Math.min(x.arrivals, 500) }));
      calm.forEach((sample, i) => trigger.observe(S0 + i, sample));
      expect(trigger.isOn()).toBe(false);
      let onAfter = -1;
      // One calm second in five (a flood with dips), at a random phase.
      const phase = Math.floor(random() * 5);
      for (let i = 0; i < 60 && onAfter < 0; i++) {
        const isDip = i % 5 === phase;
        const invalid = isDip ? 0 : o.invalidPerSecond * (1 + random() * 50);
        if (trigger.observe(S0 + 30 + i, { invalid, arrivals: 100, capacity: 50 })) onAfter = i + 1;
      }
      expect(onAfter, `seed ${seed}`).toBeGreaterThan(0);
      expect(onAfter, `seed ${seed}`).toBeLessThanOrEqual(o.enterAfterMs / 1000);
    }
  });

  it('switches off after a calm window, never before the minimum time on', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const random = rng(seed);
      const trigger = new AttackTrigger();
      const floodSeconds = 10 + Math.floor(random() * 400);
      let onAt = -1;
      for (let i = 0; i < floodSeconds; i++) {
        if (trigger.observe(S0 + i, { invalid: 10 * o.invalidPerSecond, arrivals: 0, capacity: 50 }) && onAt < 0) onAt = i + 1;
      }
      expect(onAt).toBeGreaterThan(0);
      const offBy = Math.max(onAt + o.minOnMs / 1000, floodSeconds + o.leaveAfterMs / 1000);
      for (let i = floodSeconds; i < offBy + 5; i++) {
        const isOn = trigger.observe(S0 + i, { invalid: Math.floor(random() * 5), arrivals: Math.floor(random() * 300), capacity: 50 });
        expect(isOn, `seed ${seed}, second ${i}`).toBe(i + 1 < offBy);
      }
    }
  });

  it('switches on for an arrivals flood far above the measured capacity, not for one the platform can take', () => {
    const trigger = new AttackTrigger();
    // 3 000 arrivals a second for a minute while the budget is 200/s: 15× — a big morning, not an attack.
    for (let i = 0; i < 60; i++) expect(trigger.observe(S0 + i, { invalid: 0, arrivals: 3_000, capacity: 200 })).toBe(false);
    // 50 000 a second against a budget of 50: a flood.
    let on = false;
    for (let i = 60; i < 75; i++) on = trigger.observe(S0 + i, { invalid: 0, arrivals: 50_000, capacity: 50 });
    expect(on).toBe(true);
  });

  it('on one node: many fresh browsers of one school behind one address do not switch it on', () => {
    const detector = new AttackDetector({}, () => 25);
    // A whole collège (1 200 pupils) arrives from one address within 2 minutes, bursty; a dozen
    // phones come back on another network (transplanted tickets).
    const random = rng(3);
    for (let i = 0; i < 1_200; i++) detector.noteMint(T0 + Math.floor(random() ** 3 * 120_000));
    for (let i = 0; i < 12; i++) detector.noteInvalid(T0 + Math.floor(random() * 120_000));
    for (let t = T0; t < T0 + 300_000; t += 250) expect(detector.isSuspicious(t)).toBe(false);
  });

  it('on one node: a forged-ticket flood switches it on within the window, and calm switches it off', () => {
    const detector = new AttackDetector({}, () => 25);
    let t = T0;
    for (; t < T0 + 10_000; t += 100) detector.noteMint(t);
    expect(detector.isSuspicious(t)).toBe(false);
    const floodStart = t;
    let onAt = -1;
    for (; t < floodStart + 30_000; t += 5) {
      detector.noteInvalid(t);
      if (onAt < 0 && detector.isSuspicious(t)) onAt = t;
    }
    expect(onAt - floodStart).toBeLessThanOrEqual(o.enterAfterMs + 1_000);
    for (; t < onAt + o.minOnMs - 1_000; t += 1_000) expect(detector.isSuspicious(t)).toBe(true);
    expect(detector.isSuspicious(onAt + o.minOnMs + 1_000)).toBe(false);
  });

  it('in the leader: the room document flags a platform-wide forged-ticket flood, then clears it', () => {
    const planner = new RoomPlanner({ ...DEFAULT_ADMISSION_OPTIONS.planner, shares: { general: 1 } }, 'leader', T0);
    const invalid = DEFAULT_ADMISSION_OPTIONS.planner.floodInvalidPerSecond;
    let t = T0;
    for (; t < T0 + 30_000; t += 1_000) {
      planner.applyField(`a:general:${bucketOf(t)}`, 300);
      expect(planner.tick(t, false).attack).toBe(false);
    }
    let onAt = -1;
    for (; t < T0 + 60_000; t += 1_000) {
      planner.applyField(`x:${t / 1000}`, 2 * invalid);
      if (planner.tick(t, false).attack && onAt < 0) onAt = t;
    }
    expect(onAt).toBeGreaterThan(0);
    expect(onAt - (T0 + 30_000)).toBeLessThanOrEqual(o.enterAfterMs + 3_000);
    let offAt = -1;
    for (; t < T0 + 600_000 && offAt < 0; t += 1_000) if (!planner.tick(t, false).attack) offAt = t;
    expect(offAt - (T0 + 60_000)).toBeGreaterThanOrEqual(o.leaveAfterMs);
    expect(offAt - onAt).toBeGreaterThanOrEqual(o.minOnMs);
    expect(offAt - Math.max(onAt + o.minOnMs, T0 + 60_000 + o.leaveAfterMs)).toBeLessThanOrEqual(3_000);
  });

  it('in the leader: a region coming back at 9:00 with remembered sessions is not a flood; the same crowd of newcomers is', () => {
    const flood = (lane: string) => {
      const planner = new RoomPlanner({ ...DEFAULT_ADMISSION_OPTIONS.planner, shares: { general: 0.5, returning: 0.5 }, floodLanes: ['general'] }, 'leader', T0);
      let on = false;
      for (let t = T0; t < T0 + 30_000; t += 1_000) {
        // 100 000 arrivals a second against a budget of 50: far above the flood level.
        planner.applyField(`a:${lane}:${bucketOf(t)}`, 100_000);
        on = planner.tick(t, false).attack || on;
      }
      return on;
    };
    expect(flood('returning')).toBe(false);
    expect(flood('general')).toBe(true);
  });
});

