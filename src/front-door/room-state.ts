/**
 * The room state document: what the leader publishes about the waiting room once a second, what
 * every node reads to decide admissions, and (its public part) what waiting pages poll as
 * /file-attente/etat.json. It is one small document for everybody, so a CDN or the browser cache
 * can serve it; each page works out its own position from it (`aheadOf`) and shows an honest wait
 * range (`waitBand`). The inline page script mirrors these two functions exactly (tested).
 */
import type { SummaryPoint } from './histogram.ts';

/** One lane of the room. */
export interface LaneState {
  /** Frontier (ms): a ticket with tArr ≤ f is admitted. */
  f: number;
  /** True when nobody waits in this lane: newcomers may enter at once. */
  open: boolean;
  /** People waiting (arrivals after the frontier, abandoned tickets included). */
  waiting: number;
  /** Pace of the frontier: arrivals passed per second (EWMA)… */
  r: number;
  /** …and the standard deviation of that pace over one second. */
  sd: number;
  /**
   * Potential pace (arrivals passed per second) if the lane had the whole budget the other lanes'
   * waiting people do not hold: at 9:00 the returning lane's crowd takes a share, drains first,
   * and the lane then moves faster than `r`. The wait shown starts from it (its low end). Absent
   * in a document from an older leader (a rolling upgrade): read as `r`.
   */
  p: number;
  /** Cumulative arrivals after the frontier (equal-count points). */
  h: SummaryPoint[];
  /** Platform-wide budget of direct entries per second while the lane is open. */
  d: number;
  /** Estimated share of passed tickets that actually come in (no-shows lower it). */
  s: number;
}

/** The full document (shared state only; the public part is `PublicRoomState`). */
export interface RoomState {
  v: 1;
  /** When the leader built it (ms). */
  t: number;
  seq: number;
  leader: string;
  /** Admission budget: entries per second, platform-wide. */
  rate: number;
  /** The controller's rate before the operator's cap (where the budget goes back when it is lifted). */
  u?: number;
  /** Nodes that reported in the last seconds. */
  nodes: number;
  /** The leader's view of attack mode (auto detection or operator switch). */
  attack: boolean;
  /** Base polling interval the leader asks waiting pages to use. */
  pollMs: number;
  lanes: Record<string, LaneState>;
}

/** What waiting pages see: no node counts, no budgets. */
export interface PublicRoomState {
  t: number;
  pollMs: number;
  attack: boolean;
  lanes: Record<string, Pick<LaneState, 'f' | 'open' | 'waiting' | 'r' | 'sd' | 'p' | 'h'>>;
}

/** An honest wait: a range, never a single figure. */
export interface WaitBand {
  lowSeconds: number;
  highSeconds: number;
}

/** z-score of the 90th percentile: the band is a p10–p90 range. */
const Z90 = 1.2816;
/** The pace itself may drift (the budget follows the platform's health): at least ±15 %. */
const PACE_DRIFT = 0.15;
/**
 * Some of the people ahead will have left: the frontier passes them, and their budget comes back
 * one polling delay later, so the line then moves faster than the pace measured so far. The fast
 * end of the range assumes up to this share of them are gone (a simulation with 40 % no-shows
 * otherwise showed waits too long at the start of a surge).
 */
const NO_SHOW_ALLOWANCE = 0.35;

/** Number of people ahead of a ticket at `position` (positionOf), from a lane's summary. */
export function aheadOf(lane: Pick<LaneState, 'f' | 'h'>, position: number): number {
  if (position <= lane.f) return 0;
  const x = position - lane.f;
  let prevDt = 0;
  let prevCum = 0;
  for (const [dt, cum] of lane.h) {
    if (x <= dt) {
      const span = dt - prevDt || 1;
      // floor: the interpolation counts a fraction of the person's own bucket, themselves included.
      return Math.max(0, Math.floor(prevCum + ((cum - prevCum) * (x - prevDt)) / span));
    }
    prevDt = dt;
    prevCum = cum;
  }
  return prevCum;
}

/**
 * The p10–p90 wait for `ahead` people at pace `r` ± `sd` per second. Passes over a wait W are
 * modelled as a random walk, N(W) ~ Normal(r·W, sd²·W), so the band is where r·W ∓ 1.28·sd·√W
 * meets `ahead`; it is then widened for a drifting pace (±15 %), for people ahead who have left
 * (the fast end), for the leader's tick (1 s) and for the page's polling delay. The fast end
 * starts from the lane's potential pace `p` when it is higher (other lanes' crowds drain first).
 */
export function waitBand(ahead: number, r: number, sd: number, pollMs: number, p = r): WaitBand {
  const pace = Math.max(r, 0.01);
  const quick = Math.max(pace, p);
  const spread = Z90 * Math.max(sd, 0);
  const root = Math.sqrt(spread * spread + 4 * pace * ahead);
  const quickRoot = Math.sqrt(spread * spread + 4 * quick * ahead);
  const fast = ((quickRoot - spread) / (2 * quick)) ** 2;
  const slow = ((root + spread) / (2 * pace)) ** 2;
  const low = Math.min(fast, (ahead * (1 - NO_SHOW_ALLOWANCE)) / (quick * (1 + PACE_DRIFT)));
  const high = Math.max(slow, (ahead + 1) / (pace * (1 - PACE_DRIFT))) + 1 + pollMs / 1000;
  return { lowSeconds: Math.max(0, Math.floor(low)), highSeconds: Math.ceil(high) };
}

/** Base delay of the no-JavaScript page's meta refresh for a polling interval (jittered ±30 % when served). */
export function noScriptRefreshMs(pollMs: number): number {
  return Math.min(20_000, Math.max(5_000, 2 * pollMs));
}

/** The public part of a room document, for /file-attente/etat.json. */
export function toPublic(room: RoomState): PublicRoomState {
  const lanes: PublicRoomState['lanes'] = {};
  for (const [name, l] of Object.entries(room.lanes)) {
    lanes[name] = { f: Math.floor(l.f), open: l.open, waiting: Math.round(l.waiting), r: round3(l.r), sd: round3(l.sd), p: round3(l.p), h: l.h };
  }
  return { t: room.t, pollMs: room.pollMs, attack: room.attack, lanes };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function parseLane(raw: unknown): LaneState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const l = raw as Record<string, unknown>;
  const h = l['h'];
  const pointsOk =
    Array.isArray(h) && h.every((p: unknown) => Array.isArray(p) && p.length === 2 && isNum(p[0]) && isNum(p[1]));
  if (!isNum(l['f']) || typeof l['open'] !== 'boolean' || !isNum(l['waiting']) || !pointsOk) return null;
  if (!isNum(l['r']) || !isNum(l['sd']) || !isNum(l['d']) || !isNum(l['s'])) return null;
  return {
    f: l['f'],
    open: l['open'],
    waiting: l['waiting'],
    r: l['r'],
    sd: l['sd'],
    p: isNum(l['p']) ? l['p'] : l['r'],
    h: (h as Array<[number, number]>).map(([dt, cum]) => [dt, cum] as const),
    d: l['d'],
    s: l['s'],
  };
}

/** Parses and validates a room document from the shared store; null when unusable. */
export function parseRoomState(text: string | null): RoomState | null {
  if (text === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (r['v'] !== 1 || !isNum(r['t']) || !isNum(r['seq']) || typeof r['leader'] !== 'string') return null;
  if (!isNum(r['rate']) || !isNum(r['nodes']) || typeof r['attack'] !== 'boolean' || !isNum(r['pollMs'])) return null;
  if (typeof r['lanes'] !== 'object' || r['lanes'] === null) return null;
  const lanes: Record<string, LaneState> = {};
  for (const [name, value] of Object.entries(r['lanes'] as Record<string, unknown>)) {
    const lane = parseLane(value);
    if (!lane) return null;
    lanes[name] = lane;
  }
  const doc: RoomState = { v: 1, t: r['t'], seq: r['seq'], leader: r['leader'], rate: r['rate'], nodes: r['nodes'], attack: r['attack'], pollMs: r['pollMs'], lanes };
  if (isNum(r['u'])) doc.u = r['u'];
  return doc;
}
