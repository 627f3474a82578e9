/**
 * Everything the rehearsal counts, by second of the run: arrivals, people admitted (their
 * dashboard loaded), people waiting, answers (all, and useful ones: the goodput), errors by kind,
 * and every latency, so that the report can plot percentiles over time and each phase can be
 * summed up on its own window.
 */

export type ErrorKind = 'timeout' | 'server_5xx' | 'connection' | 'other_4xx';
export const ERROR_KINDS: readonly ErrorKind[] = ['timeout', 'server_5xx', 'connection', 'other_4xx'];

export interface Phase {
  name: string;
  startMs: number;
  endMs: number;
  /** Arrival rate asked for (overload phases). */
  rate?: number;
}

interface Second {
  arrivals: number;
  admitted: number;
  answers: number;
  useful: number;
  waitingMax: number;
  errors: Record<ErrorKind, number>;
  latencies: number[];
  dashboards: number[];
  /**
   * How busy the rehearsal's own event loop was in this second (0–1): near 1, the load generator
   * is what limits, and latencies measured in that second include its own delay.
   */
  clientBusy: number | null;
}

const newSecond = (): Second => ({
  arrivals: 0,
  admitted: 0,
  answers: 0,
  useful: 0,
  waitingMax: 0,
  errors: { timeout: 0, server_5xx: 0, connection: 0, other_4xx: 0 },
  latencies: [],
  dashboards: [],
  clientBusy: null,
});

export class Recorder {
  readonly t0 = Date.now();
  private readonly seconds: Second[] = [];
  readonly phases: Phase[] = [];
  /** Status codes of the errors, for the details. */
  readonly errorStatuses = new Map<string, number>();
  waitingNow = 0;
  inFlightPeople = 0;
  private loop = performance.eventLoopUtilization();

  private at(ms = Date.now()): Second {
    const s = Math.max(0, Math.floor((ms - this.t0) / 1000));
    while (this.seconds.length <= s) this.seconds.push(newSecond());
    return this.seconds[s]!;
  }

  arrival(): void {
    this.at().arrivals++;
    this.inFlightPeople++;
  }

  left(): void {
    this.inFlightPeople--;
  }

  admitted(dashboardMs: number): void {
    const s = this.at();
    s.admitted++;
    s.dashboards.push(dashboardMs);
  }

  /** An answer (or a failure): `useful` for 2xx/3xx of real work (not the waiting room's). */
  answer(ms: number, useful: boolean): void {
    const s = this.at();
    s.answers++;
    if (useful) s.useful++;
    s.latencies.push(ms);
  }

  error(kind: ErrorKind, detail: string): void {
    this.at().errors[kind]++;
    this.errorStatuses.set(detail, (this.errorStatuses.get(detail) ?? 0) + 1);
  }

  startWaiting(): void {
    this.waitingNow++;
    const s = this.at();
    s.waitingMax = Math.max(s.waitingMax, this.waitingNow);
  }

  stopWaiting(): void {
    this.waitingNow--;
  }

  /** Marks the current second's gauge (called once a second). */
  sample(): void {
    const s = this.at();
    s.waitingMax = Math.max(s.waitingMax, this.waitingNow);
    const loop = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(loop, this.loop).utilization;
    this.loop = loop;
    s.clientBusy = Math.round(Math.max(s.clientBusy ?? 0, busy) * 100) / 100;
  }

  elapsedMs(): number {
    return Date.now() - this.t0;
  }

  /** Seconds [fromMs, toMs) of the run (relative to t0). */
  window(fromMs = 0, toMs = Number.POSITIVE_INFINITY): Second[] {
    const from = Math.max(0, Math.floor(fromMs / 1000));
    const to = Math.min(this.seconds.length, Math.ceil(toMs / 1000));
    return this.seconds.slice(from, Math.max(from, to));
  }

  all(): readonly Second[] {
    return this.seconds;
  }
}

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Totals over some seconds. */
export function totals(seconds: readonly Second[]) {
  const errors: Record<ErrorKind, number> = { timeout: 0, server_5xx: 0, connection: 0, other_4xx: 0 };
  let arrivals = 0;
  let admitted = 0;
  let answers = 0;
  let useful = 0;
  let maxWaiting = 0;
  const dashboards: number[] = [];
  for (const s of seconds) {
    arrivals += s.arrivals;
    admitted += s.admitted;
    answers += s.answers;
    useful += s.useful;
    maxWaiting = Math.max(maxWaiting, s.waitingMax);
    for (const k of ERROR_KINDS) errors[k] += s.errors[k];
    for (const d of s.dashboards) dashboards.push(d);
  }
  dashboards.sort((a, b) => a - b);
  return { arrivals, admitted, answers, useful, maxWaiting, errors, dashboards, seconds: seconds.length };
}
