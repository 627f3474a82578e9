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

export class RoomObserver {
  readonly samples: RoomSample[] = [];
  private timer: NodeJS.Timeout | null = null;

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
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
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
