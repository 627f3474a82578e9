/**
 * Watches the room document (/file-attente/etat.json) every 250 ms during the run: the frontier of
 * each lane over time (to tell when the server let a ticket in, independently of when the
 * browser next polled), the waiting count and the admission pace the server publishes.
 */
import { call, jsonOf, type Identity } from '../lib/http.ts';
import { CookieJar } from '../lib/cookies.ts';
import type { Agent } from 'undici';

export interface RoomSample {
  atMs: number;
  lanes: Record<string, { f: number; waiting: number; r: number }>;
}

/** The server's own view, read from /metrics once a second (figures of the node that answered). */
export interface ServerSample {
  atMs: number;
  /** Admission budget, entries per second. */
  budget: number;
  /** Busy time over the last second, 0–1. */
  busy: number;
  inflight: number;
}

/** Means and maxima of the server's view over a phase (null when /metrics could not be read). */
export interface ServerFigures {
  budget_per_s_mean: number;
  budget_per_s_min: number;
  busy_mean: number;
  busy_max: number;
  inflight_max: number;
}

const gauge = (text: string, name: string): number | null => {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([-0-9.eE+]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : null;
};

export class RoomObserver {
  readonly samples: RoomSample[] = [];
  readonly server: ServerSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private metricsTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly agent: Agent,
    private readonly base: string,
  ) {}

  start(): void {
    const who: Identity = { jar: new CookieJar(), userAgent: 'preau-rehearsal-observer', ip: null };
    this.timer = setInterval(() => {
      void call(this.agent, this.base, who, '/file-attente/etat.json', { timeoutMs: 2_000 }).then((r) => {
        const doc = r.ok ? jsonOf(r) : null;
        const lanes = (doc as { lanes?: Record<string, { f?: number; waiting?: number; r?: number }> } | null)?.lanes;
        if (!lanes) return;
        const out: RoomSample['lanes'] = {};
        for (const [name, l] of Object.entries(lanes)) out[name] = { f: l.f ?? 0, waiting: l.waiting ?? 0, r: l.r ?? 0 };
        this.samples.push({ atMs: Date.now(), lanes: out });
      });
    }, 250);
    this.metricsTimer = setInterval(() => {
      void call(this.agent, this.base, who, '/metrics', { timeoutMs: 2_000, headers: { accept: 'text/plain' } }).then((r) => {
        const text = r.ok ? r.text : '';
        const budget = gauge(text, 'preau_admission_budget_per_second');
        const busy = gauge(text, 'preau_node_busy_ratio');
        if (budget === null || busy === null) return;
        this.server.push({ atMs: Date.now(), budget, busy, inflight: gauge(text, 'preau_limiter_inflight') ?? 0 });
      });
    }, 1_000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.metricsTimer) clearInterval(this.metricsTimer);
  }

  /** The server's view between two instants (ms since the epoch). */
  serverDuring(fromMs: number, toMs: number): ServerFigures | null {
    const s = this.server.filter((x) => x.atMs >= fromMs && x.atMs <= toMs);
    if (s.length === 0) return null;
    const mean = (f: (x: ServerSample) => number) => Math.round((s.reduce((sum, x) => sum + f(x), 0) / s.length) * 100) / 100;
    return {
      budget_per_s_mean: mean((x) => x.budget),
      budget_per_s_min: Math.round(Math.min(...s.map((x) => x.budget)) * 100) / 100,
      busy_mean: mean((x) => x.busy),
      busy_max: Math.max(...s.map((x) => x.busy)),
      inflight_max: Math.max(...s.map((x) => x.inflight)),
    };
  }

  /** When the observer first saw the lane's frontier at or past `position` (null: never seen). */
  eligibleAt(lane: string, position: number, notBeforeMs: number): number | null {
    for (const s of this.samples) {
      if (s.atMs < notBeforeMs) continue;
      const l = s.lanes[lane];
      if (l && l.f >= position) return s.atMs;
    }
    return null;
  }

  /** Waiting people the server reports, summed over lanes, per second of the run. */
  waitingBySecond(t0: number): number[] {
    const out: number[] = [];
    for (const s of this.samples) {
      const sec = Math.floor((s.atMs - t0) / 1000);
      if (sec < 0) continue;
      const w = Object.values(s.lanes).reduce((sum, l) => sum + l.waiting, 0);
      while (out.length <= sec) out.push(0);
      out[sec] = Math.max(out[sec]!, w);
    }
    return out;
  }
}
