/**
 * Load shedding by criticality, for requests already admitted. Under overload, search, exports and
 * statistics (`sheddable`) are refused with 503 + Retry-After first, then ordinary routes
 * (`normal`); `critical` routes (sign-in, dashboard, lessons, messages, hand-ins) are only dropped
 * when their own deadline has passed. Overload is read from the adaptive limiter (in flight vs
 * limit) and from a CoDel detector on the time work spends queued (event-loop lag and the delay
 * between a request's arrival and its handler): Facebook's "Fail at Scale" variant, target 5 ms
 * over an interval of 100 ms.
 *
 * Routes declare themselves with Fastify's route config: `{ config: { criticality: 'sheddable' } }`.
 */
import type { FastifyRequest } from 'fastify';

/** How much a route matters when the platform is overloaded. */
export type Criticality = 'critical' | 'normal' | 'sheddable';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Shedding class of the route (default `normal`). */
    criticality?: Criticality;
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
  /** CoDel says queueing delay has stayed above target for a whole interval. */
  isStandingQueue: boolean;
  /** Latest queueing delay (ms). */
  queueDelayMs: number;
}

/** The overload level for given signals (monotone in every signal). */
export function shedLevel(s: LoadSignals): ShedLevel {
  const utilisation = s.limit > 0 ? s.inflight / s.limit : 1;
  if (utilisation >= 1.25 || s.queueDelayMs >= 100) return 2;
  if (utilisation >= 0.9 || s.isStandingQueue) return 1;
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
 * CoDel's detector: a standing queue exists once the queueing delay has stayed above `targetMs`
 * for a whole `intervalMs`; it ends as soon as one sample drops below target.
 */
export class CoDel {
  private firstAboveAt = 0;
  private standing = false;
  private last = 0;

  constructor(
    private readonly targetMs = 5,
    private readonly intervalMs = 100,
  ) {}

  /** Feeds one queueing-delay sample taken at `nowMs`. */
  sample(delayMs: number, nowMs: number): void {
    this.last = delayMs;
    if (delayMs < this.targetMs) {
      this.firstAboveAt = 0;
      this.standing = false;
    } else if (this.firstAboveAt === 0) {
      this.firstAboveAt = nowMs + this.intervalMs;
    } else if (nowMs >= this.firstAboveAt) {
      this.standing = true;
    }
  }

  /** True while a standing queue exists. */
  isStanding(): boolean {
    return this.standing;
  }

  /** The latest sample. */
  lastDelayMs(): number {
    return this.last;
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
      this.codel.sample(Math.max(0, t - expected), t);
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
  return request.routeOptions.config.criticality ?? 'normal';
}

/** The deadline budget (ms) of a request's route. */
export function deadlineBudgetOf(request: FastifyRequest): number {
  const config = request.routeOptions.config;
  return config.deadlineMs ?? DEFAULT_DEADLINES_MS[config.criticality ?? 'normal'];
}
