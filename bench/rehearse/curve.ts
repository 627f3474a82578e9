/**
 * When people arrive, as offsets (ms) from the start of a replay: pure and seeded, so a run can be
 * repeated. The morning curve puts most people in the minutes around the first bell (a normal
 * bump centred a little before 9:00) over a thin spread across the whole window; the replay
 * compresses the window by a factor. Overload phases use a constant rate with exponential gaps
 * (a Poisson process), which is what many independent people arriving at the same rate look like.
 */

export interface MorningCurve {
  /** Real-world window, minutes (e.g. 8:40 → 9:20 is 40). */
  windowMinutes: number;
  /** Where the first bell falls in the window, minutes from its start. */
  bellMinute: number;
  /** Share of people in the bump around the bell (the rest spread evenly). */
  peakShare: number;
  /** Spread of the bump, minutes (one standard deviation). */
  peakSigmaMinutes: number;
  /** The bump's centre relative to the bell, minutes (negative: people come a little early). */
  peakShiftMinutes: number;
}

export const DEFAULT_CURVE: MorningCurve = { windowMinutes: 40, bellMinute: 20, peakShare: 0.75, peakSigmaMinutes: 2.5, peakShiftMinutes: -1 };

/** The seeded PRNG of the demo and the property tests (mulberry32). */
import { seededRandom as prng } from '../../src/shared/random.ts';

export { prng };

/** A standard normal draw (Box–Muller). */
function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * `n` arrival offsets (ms, sorted) for the morning curve compressed by `compress` (10: a 40-minute
 * window replays in 4 minutes).
 */
export function morningArrivals(n: number, curve: MorningCurve, compress: number, seed = 9): number[] {
  const random = prng(seed);
  const windowMs = curve.windowMinutes * 60_000;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let t: number;
    if (random() < curve.peakShare) {
      do {
        t = (curve.bellMinute + curve.peakShiftMinutes + curve.peakSigmaMinutes * normal(random)) * 60_000;
      } while (t < 0 || t >= windowMs);
    } else {
      t = random() * windowMs;
    }
    out.push(t / compress);
  }
  return out.sort((a, b) => a - b);
}

/** Arrival offsets (ms, sorted) at `ratePerSecond` for `seconds`, exponential gaps. */
export function constantRateArrivals(ratePerSecond: number, seconds: number, seed = 11): number[] {
  const random = prng(seed);
  const out: number[] = [];
  const end = seconds * 1000;
  let t = 0;
  for (;;) {
    t += (-Math.log(Math.max(random(), 1e-12)) / ratePerSecond) * 1000;
    if (t >= end) return out;
    out.push(t);
  }
}

/** Arrivals per bin (for the report and the tests). */
export function histogram(offsetsMs: readonly number[], binMs: number): number[] {
  const bins: number[] = [];
  for (const t of offsetsMs) {
    const b = Math.floor(t / binMs);
    while (bins.length <= b) bins.push(0);
    bins[b]! += 1;
  }
  return bins;
}
