/**
 * The rehearsal's phases: the morning (the curve), the calibration (steps of constant arrival
 * rate until the server stops keeping up: p99 of dashboards over 1 s, an error, or people not
 * served) and the overload surges at k × the measured capacity.
 */
import type { Context, JourneyKind, Person } from './context.ts';
import type { ServerFigures } from './observer.ts';
import { constantRateArrivals } from './curve.ts';
import { replay, type Arrival } from './driver.ts';
import { percentile, totals, type Phase } from './recorder.ts';

export interface PhaseFigures {
  name: string;
  rate_per_s: number | null;
  seconds: number;
  arrivals: number;
  admitted: number;
  max_waiting: number;
  errors: { timeouts: number; server_5xx: number; connection: number; other_4xx: number };
  /**
   * Useful answers per second while the phase overloaded the platform: its arrival window, and after
   * it for as long as people still waited (the backlog is served then). At 10× most of the arrival
   * window is the surge's first seconds; the work of the surge is done while the room empties.
   */
  goodput_per_s: number;
  /** The same over the arrival window alone (the figure before this session). */
  goodput_window_per_s: number;
  /** Seconds counted for goodput_per_s. */
  overloaded_s: number;
  dashboard_ms: { p50: number | null; p99: number | null; count: number };
  unfinished: number;
  /** What the server said of itself during the arrival window: budget, busy time, in flight. */
  server: ServerFigures | null;
}

export async function runPhase(ctx: Context, name: string, offsets: readonly number[], arrivalOf: (i: number) => Arrival, windowS: number, drainS: number, rate: number | null): Promise<PhaseFigures> {
  const startMs = ctx.rec.elapsedMs();
  const startedAt = Date.now();
  const { unfinished } = await replay(ctx, offsets, arrivalOf, (windowS + drainS) * 1000);
  const endMs = ctx.rec.elapsedMs();
  const phase: Phase = { name, startMs, endMs, ...(rate !== null ? { rate } : {}) };
  ctx.rec.phases.push(phase);
  const all = totals(ctx.rec.window(startMs, endMs));
  const surge = totals(ctx.rec.window(startMs, startMs + windowS * 1000));
  const overloaded = overloadedSeconds(ctx.rec.window(startMs, endMs), windowS);
  const backlog = totals(overloaded);
  return {
    name,
    rate_per_s: rate,
    seconds: Math.round((endMs - startMs) / 100) / 10,
    arrivals: all.arrivals,
    admitted: all.admitted,
    max_waiting: all.maxWaiting,
    errors: { timeouts: all.errors.timeout, server_5xx: all.errors.server_5xx, connection: all.errors.connection, other_4xx: all.errors.other_4xx },
    goodput_per_s: Math.round((backlog.useful / Math.max(1, backlog.seconds)) * 10) / 10,
    goodput_window_per_s: Math.round((surge.useful / Math.max(1, surge.seconds)) * 10) / 10,
    overloaded_s: backlog.seconds,
    dashboard_ms: { p50: round(percentile(all.dashboards, 50)), p99: round(percentile(all.dashboards, 99)), count: all.dashboards.length },
    unfinished,
    server: ctx.serverDuring?.(startedAt, startedAt + windowS * 1000) ?? null,
  };
}

const round = (x: number | null) => (x === null ? null : Math.round(x));

/**
 * The arrival window's seconds, then the following ones up to the last in which somebody still
 * waited (the last, not the first without: a second whose gauge the saturated generator did not
 * sample reads 0 waiting).
 */
export function overloadedSeconds<S extends { waitingMax: number }>(seconds: readonly S[], windowS: number): S[] {
  let end = Math.min(seconds.length, Math.ceil(windowS));
  for (let i = end; i < seconds.length; i++) if (seconds[i]!.waitingMax > 0) end = i + 1;
  return seconds.slice(0, end);
}

export const errorCount = (f: PhaseFigures) => f.errors.timeouts + f.errors.server_5xx + f.errors.connection + f.errors.other_4xx;

/**
 * A calibration step the server kept up with: dashboards p99 under 1 s, at least 95 % of arrivals
 * served, and errors under 1 % of people (a stray shed answer measures a defect, not capacity; the
 * 0-error target is checked on the surges).
 */
export const isHealthy = (f: PhaseFigures) =>
  errorCount(f) <= Math.max(1, 0.01 * f.arrivals) && (f.dashboard_ms.p99 ?? Infinity) < 1000 && f.admitted >= 0.95 * f.arrivals && f.unfinished === 0;

/** Picks arriving people from the pool: mostly remembered sessions, some passwords (each account a few times at most). */
export function poolPicker(pool: readonly Person[], passwordShare: number, seed: number): (i: number) => Arrival {
  const uses = new Map<string, number>();
  let k = seed;
  return (i: number) => {
    const person = pool[(i * 7919 + k) % pool.length]!;
    k++;
    let kind: JourneyKind = Math.random() < passwordShare ? 'password' : 'resume';
    if (kind === 'password') {
      const n = uses.get(person.login) ?? 0;
      // The per-account sign-in limit allows 5 in a burst: a real person does not sign in 5 times in a morning.
      if (n >= 3) kind = 'resume';
      else uses.set(person.login, n + 1);
    }
    return { person, kind };
  };
}

export interface Calibration {
  steps: PhaseFigures[];
  capacity_arrivals_per_s: number;
  peak_goodput_per_s: number;
}

/** Steps of constant rate ×1.5 from `startRate` until unhealthy (at most `maxSteps`). */
export async function calibrate(ctx: Context, pick: (i: number) => Arrival, startRate: number, stepS: number, maxSteps: number, onStep: (s: string) => void): Promise<Calibration> {
  const steps: PhaseFigures[] = [];
  let rate = startRate;
  let capacity = 0;
  for (let k = 0; k < maxSteps; k++) {
    onStep(`calibrate ${rate.toFixed(0)}/s`);
    const f = await runPhase(ctx, `calibration ${rate.toFixed(0)}/s`, constantRateArrivals(rate, stepS, 100 + k), pick, stepS, 45, rate);
    steps.push(f);
    if (!isHealthy(f)) break;
    capacity = rate;
    rate *= 1.5;
  }
  const peak = Math.max(0, ...steps.map((s) => s.goodput_per_s));
  return { steps, capacity_arrivals_per_s: capacity || startRate, peak_goodput_per_s: peak };
}
