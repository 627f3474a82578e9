/**
 * The node's closed loop: an adaptive concurrency limit in the style of Netflix's Gradient2 (as in
 * Envoy's adaptive concurrency filter), fed by the measured latency of admitted requests, their
 * error rate and the event-loop delay (the Node.js sign of a saturated process). It says whether
 * the node is full (in flight ≥ limit) and reports its health to the leader, which turns the
 * cluster's health into an admission budget (planner.ts).
 */

/** Tuning of the limiter; the defaults suit a Fastify node. */
export interface LimiterOptions {
  initialLimit: number;
  minLimit: number;
  maxLimit: number;
  /** Latency may grow this much over the long-term average before the limit shrinks. */
  tolerance: number;
  /** Weight of a new limit against the old one (0–1). */
  smoothing: number;
  /** Length of a measurement window. */
  windowMs: number;
  /** Event-loop delay (p99, ms) above which the node counts as overloaded. */
  eventLoopLimitMs: number;
  /** Share of 5xx responses above which the node counts as overloaded. */
  errorRateLimit: number;
  /**
   * Latencies a window needs before it counts: with fewer, the window stays open. A quiet node's
   * one-off slow request is noise, not a latency trend (idle is not unhealthy).
   */
  minSamples: number;
}

export const DEFAULT_LIMITER_OPTIONS: LimiterOptions = {
  initialLimit: 200,
  minLimit: 8,
  maxLimit: 5000,
  tolerance: 1.5,
  smoothing: 0.2,
  windowMs: 200,
  eventLoopLimitMs: 100,
  errorRateLimit: 0.2,
  minSamples: 10,
};

/** What the limiter knows, for the leader, metrics and the admin screen. */
export interface LimiterSnapshot {
  limit: number;
  inflight: number;
  shortRttMs: number;
  longRttMs: number;
  gradient: number;
  errorRate: number;
  eventLoopDelayMs: number;
  /** Busy time over the last second, 0–1 (see BusyMeter). */
  busy: number;
  overloaded: boolean;
}

/** Number of windows the long-term latency average spans (~20 s with 200 ms windows). */
const LONG_WINDOWS = 100;

/** Adaptive concurrency limit (Gradient2-like) with event-loop and error-rate guards. */
export class ConcurrencyLimiter {
  private readonly o: LimiterOptions;
  private limitValue: number;
  private inflightNow = 0;
  private windowStart = 0;
  private rttSum = 0;
  private rttCount = 0;
  private errorCount = 0;
  private maxInflight = 0;
  private shortRtt = 0;
  private longRtt = 0;
  private gradientValue = 1;
  private errorRateValue = 0;
  private eventLoopDelay = 0;
  private busyValue = 0;
  private inflightArea = 0;
  private areaSince = 0;
  private lastChange = 0;

  constructor(options: Partial<LimiterOptions> = {}) {
    this.o = { ...DEFAULT_LIMITER_OPTIONS, ...options };
    this.limitValue = this.o.initialLimit;
  }

  /** The current limit (whole requests). */
  get limit(): number {
    return Math.floor(this.limitValue);
  }

  /** Requests in flight now. */
  get inflight(): number {
    return this.inflightNow;
  }

  /** True when one more request fits under the limit. */
  hasRoom(): boolean {
    return this.inflightNow < this.limit;
  }

  /** Counts a request that starts (`nowMs` from a monotonic clock). */
  acquire(nowMs: number): void {
    this.accumulate(nowMs);
    this.inflightNow++;
    if (this.inflightNow > this.maxInflight) this.maxInflight = this.inflightNow;
  }

  /** Counts a request that ended, with its latency and whether it failed (5xx). */
  release(nowMs: number, rttMs: number, isError: boolean): void {
    this.accumulate(nowMs);
    this.inflightNow = Math.max(0, this.inflightNow - 1);
    this.rttSum += rttMs;
    this.rttCount++;
    if (isError) this.errorCount++;
    if (nowMs - this.windowStart >= this.o.windowMs && this.rttCount >= this.o.minSamples) this.update(nowMs);
  }

  /** Feeds the latest event-loop delay (p99 over the last second, ms). */
  setEventLoopDelay(ms: number): void {
    this.eventLoopDelay = ms;
  }

  /** Feeds the latest busy time (0–1, see BusyMeter): reported, and used by the leader's planner. */
  setBusy(busy: number): void {
    this.busyValue = busy;
  }

  /** Average number in flight since the previous call (time-weighted), for the health report. */
  takeAverageInflight(nowMs: number): number {
    this.accumulate(nowMs);
    const span = nowMs - this.areaSince;
    const avg = span > 0 ? this.inflightArea / span : this.inflightNow;
    this.inflightArea = 0;
    this.areaSince = nowMs;
    return avg;
  }

  /**
   * True when the node should take no new people: full, slow loop, failing, or latency rising
   * under load (the latency gradient is left over from the last busy window: with nothing in
   * flight, it says nothing about now).
   */
  isOverloaded(): boolean {
    return (
      this.inflightNow >= this.limit ||
      this.eventLoopDelay > this.o.eventLoopLimitMs ||
      this.errorRateValue > this.o.errorRateLimit ||
      (this.gradientValue < 0.9 && this.inflightNow > 0)
    );
  }

  /** A copy of the limiter's figures. */
  snapshot(): LimiterSnapshot {
    return {
      limit: this.limit,
      inflight: this.inflightNow,
      shortRttMs: this.shortRtt,
      longRttMs: this.longRtt,
      gradient: this.gradientValue,
      errorRate: this.errorRateValue,
      eventLoopDelayMs: this.eventLoopDelay,
      busy: this.busyValue,
      overloaded: this.isOverloaded(),
    };
  }

  /** Closes a measurement window and recomputes the limit. */
  update(nowMs: number): void {
    if (this.rttCount > 0) {
      this.shortRtt = this.rttSum / this.rttCount;
      this.errorRateValue += (this.errorCount / this.rttCount - this.errorRateValue) * 0.3;
      this.longRtt = this.longRtt === 0 ? this.shortRtt : this.longRtt + (this.shortRtt - this.longRtt) * (2 / (LONG_WINDOWS + 1));
      if (this.longRtt / this.shortRtt > 2) this.longRtt *= 0.95;
      this.gradientValue = clamp((this.o.tolerance * this.longRtt) / this.shortRtt, 0.5, 1);
      this.limitValue = this.nextLimit();
    }
    this.windowStart = nowMs;
    this.rttSum = 0;
    this.rttCount = 0;
    this.errorCount = 0;
    this.maxInflight = this.inflightNow;
  }

  private nextLimit(): number {
    let gradient = this.gradientValue;
    if (this.eventLoopDelay > this.o.eventLoopLimitMs) gradient = Math.min(gradient, 0.8);
    if (this.errorRateValue > this.o.errorRateLimit) gradient = Math.min(gradient, 0.9);
    // Gradient2: while the node is app-limited (less than half the limit used), the window says
    // nothing about the limit, whichever way latency went: hold it.
    const isAppLimited = this.maxInflight < this.limitValue / 2;
    if (isAppLimited) return this.limitValue;
    const queueSize = Math.max(4, Math.sqrt(this.limitValue));
    const target = this.limitValue * gradient + queueSize;
    const next = this.limitValue * (1 - this.o.smoothing) + target * this.o.smoothing;
    return clamp(next, this.o.minLimit, this.o.maxLimit);
  }

  private accumulate(nowMs: number): void {
    if (this.areaSince === 0) this.areaSince = nowMs;
    if (this.lastChange > 0) this.inflightArea += this.inflightNow * (nowMs - this.lastChange);
    this.lastChange = nowMs;
  }
}

/** What a BusyMeter reads: cumulative event-loop times and process CPU time, and the cores it may use. */
export interface BusySources {
  /** Cumulative event-loop idle and active time (ms), as performance.eventLoopUtilization() gives them. */
  eventLoop(): { idle: number; active: number };
  /** Cumulative CPU time of the process (µs, user + system), as process.cpuUsage() gives it. */
  cpuMicros(): number;
  /** Monotonic clock (ms). */
  now(): number;
  /** Cores the process may run on (os.availableParallelism() follows taskset and cgroups' cpusets). */
  cores: number;
}

/**
 * How busy the node was since the previous reading, 0–1: the larger of event-loop utilisation (the
 * JavaScript thread) and the CPU share of the process (password hashing runs on libuv's threads,
 * not on the loop). Two subtractions per reading; nothing per request.
 */
export class BusyMeter {
  private loop: { idle: number; active: number };
  private cpu: number;
  private at: number;

  constructor(private readonly s: BusySources) {
    this.loop = s.eventLoop();
    this.cpu = s.cpuMicros();
    this.at = s.now();
  }

  read(): number {
    const loop = this.s.eventLoop();
    const cpu = this.s.cpuMicros();
    const at = this.s.now();
    const idle = loop.idle - this.loop.idle;
    const active = loop.active - this.loop.active;
    const elu = idle + active > 0 ? active / (idle + active) : 0;
    const wallMs = at - this.at;
    const share = wallMs > 0 ? (cpu - this.cpu) / 1000 / wallMs / Math.max(1, this.s.cores) : 0;
    this.loop = loop;
    this.cpu = cpu;
    this.at = at;
    return clamp(Math.max(elu, share), 0, 1);
  }
}

/** A token bucket (direct entries of one node while a lane is open). */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private ratePerSecond: number,
    private capacity: number,
    nowMs: number,
  ) {
    this.tokens = capacity;
    this.last = nowMs;
  }

  /** Changes rate and capacity; tokens above the new capacity are dropped. */
  configure(ratePerSecond: number, capacity: number): void {
    this.ratePerSecond = ratePerSecond;
    this.capacity = capacity;
    if (this.tokens > capacity) this.tokens = capacity;
  }

  /** True when a token is available now (refills; takes nothing). */
  has(nowMs: number): boolean {
    const elapsed = Math.max(0, nowMs - this.last);
    this.last = nowMs;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed / 1000) * this.ratePerSecond);
    return this.tokens >= 1;
  }

  /** Takes one token if available. */
  take(nowMs: number): boolean {
    if (!this.has(nowMs)) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Clamps `x` into [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
