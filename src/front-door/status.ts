/**
 * The front door's figures for operators: queue length per lane, admission pace, frontier lag,
 * wait band, caps, attack mode, the node's limiter. One plain object, so that the admin UI, the
 * CLI and the Prometheus exporter all read the same thing.
 */
import type { Clock } from '../shared/time.ts';
import type { Admission, AttackMode } from './admission.ts';
import type { ConcurrencyLimiter, LimiterSnapshot } from './controller.ts';
import type { WaitBand } from './room-state.ts';
import type { CoDel } from './shedding.ts';

/** One lane, as an operator sees it. */
export interface LaneStatus {
  /** Tickets that arrived at or before this time (ms) are admitted. */
  frontier: number;
  /** How far behind now the frontier is (ms): roughly the current wait at the back of the line. */
  frontierLagMs: number;
  /** People waiting (abandoned tickets included until the frontier passes them). */
  waiting: number;
  /** Nobody waits: newcomers enter at once. */
  open: boolean;
  /** Arrivals passed by the frontier per second (EWMA) and its standard deviation. */
  pacePerSecond: number;
  paceSd: number;
  /** Share of admitted tickets that actually come in. */
  showRatio: number;
  /** The wait band shown to the last person in line. */
  waitForLast: WaitBand;
}

/** Everything the control object reports. */
export interface FrontDoorStatus {
  isLeader: boolean;
  /** Admission budget, entries per second, platform-wide (from the last room document). */
  budgetPerSecond: number;
  capPerMinute: number | null;
  attackMode: AttackMode;
  attackActive: boolean;
  nodes: number;
  /** Age of the room document this node follows (null before the first one). */
  roomAgeMs: number | null;
  sharedStateHealthy: boolean;
  limiter: LimiterSnapshot;
  standingQueue: boolean;
  queueDelayMs: number;
  /** Memory the waiting room holds on this node (independent of the number of people). */
  footprint: { histogramBuckets: number; pendingFields: number };
  lanes: Record<string, LaneStatus>;
}

/** Inputs of buildStatus. */
export interface StatusSources {
  admission: Admission;
  limiter: ConcurrencyLimiter;
  codel: CoDel;
  clock: Clock;
  isAttackMode(nowMs: number): boolean;
  stateHealthy: boolean;
}

/** Collects the status from the node's components (no I/O). */
export function buildStatus(s: StatusSources): FrontDoorStatus {
  const nowMs = s.clock.now();
  const room = s.admission.getRoom();
  const control = s.admission.getControl();
  const lanes: Record<string, LaneStatus> = {};
  for (const [name, lane] of Object.entries(room?.lanes ?? {})) {
    const frontier = s.admission.frontier(name);
    lanes[name] = {
      frontier,
      frontierLagMs: Math.max(0, nowMs - frontier),
      waiting: Math.round(lane.waiting),
      open: lane.open,
      pacePerSecond: lane.r,
      paceSd: lane.sd,
      showRatio: lane.s,
      waitForLast: s.admission.wait(name, Math.round(lane.waiting)),
    };
  }
  return {
    isLeader: s.admission.isLeader(),
    budgetPerSecond: room?.rate ?? 0,
    capPerMinute: control.capPerMinute,
    attackMode: control.attackMode,
    attackActive: s.isAttackMode(nowMs),
    nodes: room?.nodes ?? 1,
    roomAgeMs: room ? nowMs - room.t : null,
    sharedStateHealthy: s.stateHealthy,
    limiter: s.limiter.snapshot(),
    standingQueue: s.codel.isStanding(),
    queueDelayMs: s.codel.lastDelayMs(),
    footprint: s.admission.footprint(),
    lanes,
  };
}
