/**
 * The leader's budget, driven tick by tick with a manual clock: lifting an operator's cap gives
 * the budget back in one step, and a platform with no demand keeps its budget (idle ≠ unhealthy).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ADMISSION_OPTIONS } from './admission.ts';
import { bucketOf } from './histogram.ts';
import { RoomPlanner } from './planner.ts';

const T0 = Date.UTC(2026, 8, 7, 7, 0, 0);

function planner(initialRate = 50) {
  return new RoomPlanner({ ...DEFAULT_ADMISSION_OPTIONS.planner, initialRate, shares: { priority: 0.3, general: 0.7 } }, 'leader', T0);
}

/** What one node reports for the second before `nowMs`. */
function report(p: RoomPlanner, nowMs: number, h: { limit: number; inflight: number; overloaded: boolean; busy?: number }): void {
  const s = Math.floor(nowMs / 1000) - 1;
  p.applyField(`hn:${s}`, 1);
  p.applyField(`hl:${s}`, h.limit);
  p.applyField(`hi:${s}`, h.inflight);
  p.applyField(`ho:${s}`, h.overloaded ? 1 : 0);
  if (h.busy !== undefined) p.applyField(`hb:${s}`, Math.round(h.busy * 1000));
}

const healthy = { limit: 200, inflight: 20, overloaded: false };

/** People the frontier let in came in: `n` entries counted in the general lane in the second before `nowMs`. */
function enter(p: RoomPlanner, nowMs: number, n: number): void {
  p.applyField(`e:general:${Math.floor(nowMs / 1000) - 1}`, n);
}

describe('admission budget', () => {
  it('jumps back to the controller’s rate as soon as a low cap is lifted', () => {
    const p = planner();
    let t = T0;
    // A crowd waits; health is good and the people let in come in: the controller's rate grows.
    p.applyField(`a:general:${bucketOf(T0)}`, 100_000);
    let rate = 50;
    for (let i = 0; i < 30; i++) {
      t += 1_000;
      report(p, t, healthy);
      enter(p, t, Math.round(rate));
      rate = p.tick(t, false).rate;
    }
    const learned = p.tick((t += 1_000), false).rate;
    expect(learned).toBeGreaterThan(200);
    // The operator caps at 1 a minute for a while: the budget follows the cap and the learned rate
    // does not grow past what was measured.
    p.setCap(1 / 60);
    for (let i = 0; i < 30; i++) {
      t += 1_000;
      report(p, t, healthy);
      expect(p.tick(t, false).rate).toBeCloseTo(1 / 60);
    }
    // Lifted: the next document carries the learned rate at once, not 1/60 × 1.5 per second.
    p.setCap(null);
    t += 1_000;
    report(p, t, healthy);
    const after = p.tick(t, false).rate;
    expect(after).toBeGreaterThanOrEqual(learned);
    expect(after).toBeLessThanOrEqual(learned * 1.5);
  });

  it('lowers the learned rate under a cap when health says so (one cut per reaction delay)', () => {
    const p = planner(100);
    let t = T0;
    p.applyField(`a:general:${bucketOf(T0)}`, 100_000);
    p.setCap(10);
    for (let i = 0; i < 20; i++) {
      t += 1_000;
      report(p, t, { limit: 100, inflight: 100, overloaded: true });
      p.tick(t, false);
    }
    p.setCap(null);
    t += 1_000;
    // 20 s of overload with a crowd (pages poll every 20 s, the reaction delay is 6 s): 4 cuts.
    const rate = p.tick(t, false).rate;
    expect(rate).toBeLessThan(100 * 0.7 ** 3);
    expect(rate).toBeGreaterThan(100 * 0.7 ** 5);
  });

  it('does not decay while nobody comes and nothing is in flight, even if a node reports a slow loop', () => {
    const p = planner(50);
    let t = T0;
    for (let i = 0; i < 300; i++) {
      t += 1_000;
      report(p, t, { limit: 200, inflight: 0, overloaded: i % 7 === 0 });
      expect(p.tick(t, false).rate).toBe(50);
    }
  });

  it('still shrinks the budget when a node is overloaded while people wait', () => {
    const p = planner(50);
    let t = T0;
    p.applyField(`a:general:${bucketOf(T0)}`, 10_000);
    t += 1_000;
    report(p, t, { limit: 200, inflight: 200, overloaded: true });
    expect(p.tick(t, false).rate).toBeLessThan(50);
  });

  it('cuts the budget when the core is saturated even though little is in flight (the queue is in the kernel)', () => {
    const p = planner(100);
    let t = T0;
    p.applyField(`a:general:${bucketOf(T0)}`, 100_000);
    const rates: number[] = [];
    for (let i = 0; i < 13; i++) {
      t += 1_000;
      report(p, t, { limit: 200, inflight: 5, overloaded: false, busy: 1 });
      rates.push(p.tick(t, false).rate);
    }
    expect(rates[0]).toBeLessThanOrEqual(70);
    // The next cut waits until the first has had time to show (passes already given still come in).
    expect(rates[4]).toBe(rates[0]);
    expect(rates[12]).toBeLessThan(100 * 0.7 ** 2 + 1e-9);
  });

  it('does not grow while the people let in have not come in yet (their load is not in the figures)', () => {
    const p = planner(100);
    let t = T0;
    p.applyField(`a:general:${bucketOf(T0)}`, 100_000);
    // Healthy, a crowd waits, but nobody let in has arrived yet: hold.
    for (let i = 0; i < 5; i++) {
      t += 1_000;
      report(p, t, { limit: 200, inflight: 5, overloaded: false, busy: 0.2 });
      expect(p.tick(t, false).rate).toBe(100);
    }
    // They come in at the budget's pace: now it grows.
    for (let i = 0; i < 5; i++) {
      t += 1_000;
      report(p, t, { limit: 200, inflight: 5, overloaded: false, busy: 0.2 });
      enter(p, t, 100);
      p.tick(t, false);
    }
    expect(p.tick((t += 1_000), false).rate).toBeGreaterThan(120);
  });

  it('grows while people wait and the core has room, and stops growing near the target utilisation', () => {
    const grow = (busy: number) => {
      const p = planner(100);
      p.applyField(`a:general:${bucketOf(T0)}`, 100_000);
      let t = T0;
      // Entries at the budget's pace for a few seconds (the growth needs the budget used).
      for (let i = 0; i < 6; i++) {
        t += 1_000;
        report(p, t, { limit: 200, inflight: 5, overloaded: false, busy: 0.8 });
        enter(p, t, 100);
        p.tick(t, false);
      }
      t += 1_000;
      report(p, t, { limit: 200, inflight: 5, overloaded: false, busy });
      enter(p, t, 100);
      return p.tick(t, false).rate;
    };
    expect(grow(0.3)).toBeGreaterThan(120);
    expect(grow(0.78)).toBeLessThan(102);
    expect(grow(0.9)).toBeLessThan(100);
  });
});

describe('potential pace (the fast end of the wait shown)', () => {
  it('tells a lane what it gets once the other lane has drained, and equals the pace when it is alone', () => {
    const p = planner(100);
    // Both lanes hold a crowd: the general lane gets its 70 % share now…
    p.applyField(`a:general:${bucketOf(T0)}`, 50_000);
    p.applyField(`a:priority:${bucketOf(T0)}`, 50_000);
    let doc = p.tick(T0 + 1_000, false);
    for (let i = 2; i <= 6; i++) doc = p.tick(T0 + i * 1_000, false);
    const general = doc.lanes['general']!;
    expect(general.r).toBeGreaterThan(50);
    expect(general.r).toBeLessThan(80);
    // …and the whole budget once the priority crowd is gone: the band's fast end starts there.
    expect(general.p).toBeGreaterThan(95);
    expect(general.p).toBeLessThanOrEqual(100 / 0.5 + 1e-9);
    const alone = planner(100);
    alone.applyField(`a:general:${bucketOf(T0)}`, 50_000);
    let solo = alone.tick(T0 + 1_000, false);
    for (let i = 2; i <= 6; i++) solo = alone.tick(T0 + i * 1_000, false);
    // (the idle lane keeps 2 % of the budget for its direct entries)
    expect(solo.lanes['general']!.p).toBeGreaterThanOrEqual(solo.lanes['general']!.r);
    expect(solo.lanes['general']!.p).toBeGreaterThan(97);
  });
});
