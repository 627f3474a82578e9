/**
 * Load shedding by criticality, for requests already admitted. Under overload, search, exports and
 * statistics (`sheddable`) are refused with 503 + Retry-After first, then ordinary routes
 * (`normal`); `critical` routes (sign-in, dashboard, lessons, messages, hand-ins) are only dropped
 * when their own deadline has passed. Overload is read first from the time work spends queued
 * (event-loop lag and the delay between a request's arrival and its handler), CoDel-style as in
 * Facebook's "Fail at Scale": what counts is the *minimum* queueing delay over an interval (100
 * ms) — a queue that never drains below the target (5 ms) is standing, while a burst that drains
 * is not. A standing queue sheds sheddable work at once; one that keeps standing for a second
 * (or whose minimum passes 50 ms) sheds normal work too. The adaptive limiter's in-flight count
 * is a second, slower signal (its limit only moves every window).
 *
 * Routes declare themselves with Fastify's route config: `{ config: { criticality: 'sheddable' } }`.
 */
import type { FastifyRequest } from 'fastify';

/** How much a route matters when the platform is overloaded. */
export type Criticality = 'critical' | 'normal' | 'sheddable';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Shedding class of the route (default `normal`), or a function of the request when one route
     * serves both kinds (the inbox, and a search in it). It must be cheap: it runs on every request.
     */
    criticality?: Criticality | ((request: FastifyRequest) => Criticality);
    /** Deadline of the route's requests in ms (default by criticality). */
    deadlineMs?: number;
  }
}

/** Default deadline per criticality: past it, an answer is no longer useful. */
export const DEFAULT_DEADLINES_MS: Readonly<Record<Criticality, number>> = {
  critical: 10_000,
  normal: 5_000,
  sheddable: 2_000,
};

/** Overload level: 0 fine, 1 shed sheddable, 2 shed normal too. */
export type ShedLevel = 0 | 1 | 2;

/** What the shedder looks at. */
export interface LoadSignals {
  inflight: number;
  limit: number;
  /** Minimum queueing delay over the last complete CoDel interval (ms). */
  minDelayMs: number;
  /** How long that minimum has stayed at or above the target (ms; 0 when it is below). */
  standingMs: number;
}

/** Thresholds of shedLevel (CoDel's target, and when a standing queue sheds normal work too). */
export const SHED_THRESHOLDS = { targetMs: 5, severeMs: 50, persistentMs: 1_000 } as const;

/** The overload level for given signals (monotone in every signal). */
export function shedLevel(s: LoadSignals): ShedLevel {
  const t = SHED_THRESHOLDS;
  const utilisation = s.limit > 0 ? s.inflight / s.limit : 1;
  if (utilisation >= 1.25 || s.minDelayMs >= t.severeMs || (s.minDelayMs >= t.targetMs && s.standingMs >= t.persistentMs)) return 2;
  if (utilisation >= 0.9 || s.minDelayMs >= t.targetMs) return 1;
  return 0;
}

/** True when a request of this criticality is refused at this level (critical never is). */
export function isShed(criticality: Criticality, level: ShedLevel): boolean {
  if (criticality === 'sheddable') return level >= 1;
  if (criticality === 'normal') return level >= 2;
  return false;
}

/** Seconds a shed client should wait before retrying: longer for less important work. */
export function retryAfterFor(criticality: Criticality): number {
  return criticality === 'sheddable' ? 30 : criticality === 'normal' ? 10 : 2;
}

/**
 * CoDel's measure: the minimum queueing delay over each interval. A queue whose minimum stays at
 * or above `targetMs` never drained in a whole interval: it is standing (a burst that drains has a
 * small minimum, whatever its peak). Intervals with no sample count as empty queues.
 */
export class CoDel {
  private intervalStart = Number.NaN;
  private currentMin = Number.POSITIVE_INFINITY;
  private lastMin = 0;
  private standingSince: number | null = null;
  private last = 0;
  private lastAt = 0;
  private loopLag = 0;

  constructor(
    private readonly targetMs = 5,
    private readonly intervalMs = 100,
  ) {}

  /** Feeds one queueing-delay sample taken at `nowMs` (a monotonic clock). */
  sample(delayMs: number, nowMs: number): void {
    this.roll(nowMs);
    this.last = delayMs;
    this.lastAt = nowMs;
    if (delayMs < this.currentMin) this.currentMin = delayMs;
  }

  /** Minimum delay over the last complete interval (0 when it had no sample). */
  minDelayMs(nowMs: number = this.lastAt): number {
    this.roll(nowMs);
    return this.lastMin;
  }

  /** How long the interval minimum has stayed at or above target (0 when below). */
  standingMs(nowMs: number = this.lastAt): number {
    this.roll(nowMs);
    return this.standingSince === null ? 0 : Math.max(0, nowMs - this.standingSince);
  }

  /** True while a standing queue exists. */
  isStanding(nowMs: number = this.lastAt): boolean {
    return this.minDelayMs(nowMs) >= this.targetMs;
  }

  /** The latest sample. */
  lastDelayMs(): number {
    return this.last;
  }

  /** Feeds the event loop's own lag (the lag sampler's): a sample, and what loopLagMs returns. */
  sampleLoopLag(delayMs: number, nowMs: number): void {
    this.loopLag = delayMs;
    this.sample(delayMs, nowMs);
  }

  /**
   * The latest event-loop lag: about how long a request that the process reads now waited behind
   * other callbacks. Never the last request's queueing delay: a request backdated by the previous
   * one's delay measures that delay again plus its own, and under saturation the figure compounded
   * from request to request until critical pages passed their 10 s deadline (the rehearsal's
   * « 503 / » at 10×).
   */
  loopLagMs(): number {
    return this.loopLag;
  }

  /** The signals for shedLevel, with the limiter's figures. */
  signals(inflight: number, limit: number, nowMs: number): LoadSignals {
    return { inflight, limit, minDelayMs: this.minDelayMs(nowMs), standingMs: this.standingMs(nowMs) };
  }

  private roll(nowMs: number): void {
    if (Number.isNaN(this.intervalStart)) this.intervalStart = nowMs;
    if (nowMs - this.intervalStart < this.intervalMs) return;
    const intervals = Math.floor((nowMs - this.intervalStart) / this.intervalMs);
    // The interval that just ended; any further ones passed without a sample: no queue.
    const ended = intervals === 1 && Number.isFinite(this.currentMin) ? this.currentMin : 0;
    this.intervalStart += intervals * this.intervalMs;
    this.currentMin = Number.POSITIVE_INFINITY;
    this.lastMin = ended;
    if (ended >= this.targetMs) this.standingSince ??= this.intervalStart - this.intervalMs;
    else this.standingSince = null;
  }
}

/**
 * Samples event-loop lag with a 10 ms timer (the time callbacks wait behind others) into a CoDel
 * detector. unref'd: never keeps the process alive.
 */
export class LagSampler {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly codel: CoDel,
    private readonly now: () => number,
    private readonly periodMs = 10,
  ) {}

  /** Starts sampling. */
  start(): void {
    let expected = this.now() + this.periodMs;
    this.timer = setInterval(() => {
      const t = this.now();
      this.codel.sampleLoopLag(Math.max(0, t - expected), t);
      expected = t + this.periodMs;
    }, this.periodMs);
    this.timer.unref();
  }

  /** Stops sampling. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** The criticality a request's route declared (default `normal`). */
export function criticalityOf(request: FastifyRequest): Criticality {
  const declared = request.routeOptions.config.criticality;
  return typeof declared === 'function' ? declared(request) : (declared ?? 'normal');
}

/** The deadline budget (ms) of a request's route. */
export function deadlineBudgetOf(request: FastifyRequest): number {
  const config = request.routeOptions.config;
  return config.deadlineMs ?? DEFAULT_DEADLINES_MS[criticalityOf(request)];
}
