/**
 * The leader's arithmetic, with no I/O: given the arrivals histogram, the entries counted by the
 * nodes and their health, move each lane's frontier so that entries stay within the budget, and
 * build the room document. Pure enough to be driven by a manual clock in tests.
 *
 * Budget (entries per second, platform-wide) follows the cluster's health: it shrinks when a node
 * is overloaded or utilisation is above target while there is load, grows (at most ×1.5 per tick)
 * while people wait and utilisation is below target, and never exceeds the operator's cap. The
 * controller's own (uncapped) rate is kept apart from the cap: it does not grow while the cap holds
 * it back (nothing was measured above the cap), still shrinks when health says so, and is where the
 * budget jumps back when the cap is lifted. With no demand and no load it holds: idle is not
 * unhealthy. The frontier passes as
 * many arrivals as there is credit (budget × Δt, minus direct entries), so entries can never
 * outrun the budget. No-shows free their capacity explicitly: passes not matched by an entry
 * within one polling delay (the time a waiting page needs to notice and come in) are refunded,
 * so abandoned tickets cost one polling delay, not a slot. Entries that come back after being
 * written off are charged as debt. (A first version scaled passes by an estimated show ratio; a
 * simulation showed it overshoots 4× when a cohort that looked absent returns at once.)
 */
import { AttackTrigger, DEFAULT_ATTACK_TRIGGER } from './attack-mode.ts';
import { ArrivalHistogram, BUCKET_MS } from './histogram.ts';
import { clamp } from './controller.ts';
import { noScriptRefreshMs, type LaneState, type RoomState } from './room-state.ts';

/** Tuning of the planner. */
export interface PlannerOptions {
  /** Lane → share of the budget (normalised here). */
  shares: Readonly<Record<string, number>>;
  /** Arrivals younger than this may not be flushed yet: the frontier waits for them. */
  sealLagMs: number;
  initialRate: number;
  minRate: number;
  maxRate: number;
  /** Utilisation (in flight ÷ limit) the budget aims at. */
  targetUtilisation: number;
  /** Auto attack mode: platform-wide arrivals per second (and ×100 the budget) considered a flood. */
  floodArrivalsPerSecond: number;
  /** Auto attack mode: platform-wide invalid tokens per second considered an attack. */
  floodInvalidPerSecond: number;
  /**
   * Lanes whose arrivals may be a flood (anyone can mint a ticket there); undefined: all. Arrivals
   * in the lanes of people who proved something signed (a remembered session, a lesson about to
   * start) are not: at 9:00 a whole region comes back with its sessions, far above the budget.
   */
  floodLanes?: readonly string[];
}

/** Aggregated health reported by the nodes for one second. */
interface Health {
  nodes: number;
  limitSum: number;
  inflightSum: number;
  overloaded: number;
  /** Sum over nodes of busy time ×1000 (see NodeHealth.busy). */
  busySum: number;
}

/** Busy time (0–1) from which a node counts as saturated: work is queueing where nobody measures it. */
export const SATURATED_BUSY = 0.97;

interface LanePlan {
  frontier: number;
  credit: number;
  showRatio: number;
  paceMean: number;
  paceVar: number;
  paceSamples: number;
  open: boolean;
  newEntries: number;
  newDirect: number;
  directRate: number;
  /** Passes not yet matched by an entry, oldest first (one record per tick). */
  pending: Array<{ t: number; left: number }>;
}

/** Less than this fraction of a person left after the frontier: nobody waits. */
const WAITING_EPSILON = 0.01;

/** The budget grows only while entries actually use this share of it (see nextRate). */
const GROWTH_NEEDS_USE = 0.8;

/**
 * Splits `total` between lanes by share, each lane taking at most its demand; what a lane does
 * not use flows to the others in proportion to their shares (water-filling).
 */
export function allocateShares(total: number, lanes: ReadonlyArray<{ name: string; share: number; demand: number }>): Map<string, number> {
  const out = new Map<string, number>();
  let remaining = total;
  let active = lanes.filter((l) => l.share > 0);
  for (const l of lanes) out.set(l.name, 0);
  while (active.length > 0 && remaining > 1e-12) {
    const shareSum = active.reduce((s, l) => s + l.share, 0);
    const satisfied = active.filter((l) => l.demand <= (remaining * l.share) / shareSum);
    if (satisfied.length === 0) {
      for (const l of active) out.set(l.name, (remaining * l.share) / shareSum);
      return out;
    }
    for (const l of satisfied) {
      out.set(l.name, l.demand);
      remaining -= l.demand;
    }
    active = active.filter((l) => !satisfied.includes(l));
  }
  return out;
}

/** The leader's planner: one per node, active only on the lease holder. */
export class RoomPlanner {
  readonly histogram = new ArrivalHistogram();
  private readonly lanes = new Map<string, LanePlan>();
  private readonly shares: ReadonlyMap<string, number>;
  private readonly health = new Map<number, Health>();
  private readonly arrivalsBySecond = new Map<number, number>();
  private readonly invalidBySecond = new Map<number, number>();
  private rate: number;
  /** The controller's rate, before the operator's cap (see the header). */
  private uncapped: number;
  private nodes = 1;
  private seq = 0;
  private lastTick: number | null = null;
  private readonly attack: AttackTrigger;
  private cap: number | null = null;
  private pollMs = 3_000;
  /** Entries per second actually counted (EWMA over ticks), all lanes. */
  private entryRate = 0;
  /** When the controller's rate was last cut (ms). */
  private lastCutAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly o: PlannerOptions,
    private readonly nodeId: string,
    nowMs: number,
  ) {
    const total = Object.values(o.shares).reduce((s, x) => s + x, 0) || 1;
    this.shares = new Map(Object.entries(o.shares).map(([k, v]) => [k, v / total]));
    for (const name of this.shares.keys()) this.lanes.set(name, newLane(nowMs - o.sealLagMs));
    this.rate = o.initialRate;
    this.uncapped = o.initialRate;
    this.attack = new AttackTrigger({
      ...DEFAULT_ATTACK_TRIGGER,
      invalidPerSecond: o.floodInvalidPerSecond,
      arrivalsPerSecond: o.floodArrivalsPerSecond,
    });
  }

  /** Takes over from a previous leader's document (frontiers, paces, and the crowd it summarised). */
  seed(doc: RoomState, cutoffMs: number): void {
    this.seq = doc.seq;
    this.rate = doc.rate;
    this.uncapped = doc.u ?? doc.rate;
    this.nodes = doc.nodes;
    for (const [name, l] of Object.entries(doc.lanes)) {
      const lane = this.lanes.get(name);
      if (!lane) continue;
      Object.assign(lane, { frontier: l.f, showRatio: l.s, paceMean: l.r, paceVar: l.sd * l.sd, paceSamples: 1, open: l.open });
      this.seedHistogram(name, l, cutoffMs);
    }
  }

  private seedHistogram(lane: string, l: LaneState, cutoffMs: number): void {
    let prevDt = 0;
    let prevCum = 0;
    for (const [dt, cum] of l.h) {
      const from = l.f + prevDt;
      const to = Math.min(l.f + dt, cutoffMs);
      const perMs = (cum - prevCum) / Math.max(1, dt - prevDt);
      let t = from;
      while (t < to) {
        const b = Math.floor(t / BUCKET_MS);
        const end = Math.min((b + 1) * BUCKET_MS, to);
        this.histogram.add(lane, b, perMs * (end - t));
        t = end;
      }
      prevDt = dt;
      prevCum = cum;
    }
  }

  /** Applies the change of one counter field flushed by the nodes (see admission.ts). */
  applyField(field: string, delta: number): void {
    const [kind, a = '', b = ''] = field.split(':');
    if (kind === 'a') {
      const bucket = Number(b);
      this.histogram.add(a, bucket, delta);
      if (!this.o.floodLanes || this.o.floodLanes.includes(a)) addTo(this.arrivalsBySecond, Math.floor((bucket * BUCKET_MS) / 1000), delta);
    } else if (kind === 'e' || kind === 'd') {
      const lane = this.lanes.get(a);
      if (lane && kind === 'e') lane.newEntries += delta;
      if (lane && kind === 'd') lane.newDirect += delta;
    } else if (kind === 'x') {
      addTo(this.invalidBySecond, Number(a), delta);
    } else if (kind === 'hn' || kind === 'hl' || kind === 'hi' || kind === 'ho' || kind === 'hb') {
      this.applyHealth(kind, Number(a), delta);
    }
  }

  private applyHealth(kind: 'hn' | 'hl' | 'hi' | 'ho' | 'hb', sec: number, delta: number): void {
    const h = this.health.get(sec) ?? { nodes: 0, limitSum: 0, inflightSum: 0, overloaded: 0, busySum: 0 };
    if (kind === 'hn') h.nodes += delta;
    else if (kind === 'hl') h.limitSum += delta;
    else if (kind === 'hi') h.inflightSum += delta;
    else if (kind === 'hb') h.busySum += delta;
    else h.overloaded += delta;
    this.health.set(sec, h);
  }

  /**
   * Sets the operator cap (entries per second, null for none), at once: the budget becomes the
   * controller's own rate under the new cap, so lifting a low cap gives it back in one step.
   */
  setCap(perSecond: number | null): void {
    this.cap = perSecond;
    this.rate = clamp(this.uncapped, Math.min(this.o.minRate, this.maxRate()), this.maxRate());
  }

  private maxRate(): number {
    return Math.min(this.o.maxRate, this.cap ?? Number.POSITIVE_INFINITY);
  }

  /** One leader step: budget, allocation, frontiers, and the document to publish. */
  tick(nowMs: number, operatorAttack: boolean): RoomState {
    const dt = this.lastTick === null ? 1 : clamp((nowMs - this.lastTick) / 1000, 0.05, 5);
    this.lastTick = nowMs;
    const limit = nowMs - this.o.sealLagMs;
    const health = this.latestHealth(nowMs);
    if (health) this.nodes = Math.max(1, health.nodes);
    const waitingKnown = new Map([...this.lanes].map(([n, l]) => [n, this.histogram.between(n, l.frontier, limit)]));
    const isQueueing = [...waitingKnown.values()].some((w) => w > WAITING_EPSILON);
    const entries = [...this.lanes.values()].reduce((s, l) => s + l.newEntries, 0);
    this.entryRate += (entries / dt - this.entryRate) * 0.3;
    this.rate = this.nextRate(health, isQueueing, nowMs);
    const alloc = this.allocate(waitingKnown, null);
    const lanes: Record<string, LaneState> = {};
    for (const [name, lane] of this.lanes) {
      const potential = this.allocate(waitingKnown, name).get(name) ?? 0;
      const alone = this.allocate(new Map(), name).get(name) ?? 0;
      lanes[name] = this.advanceLane(name, lane, { alloc: alloc.get(name) ?? 0, potential, alone, isQueueing, dt }, nowMs, limit);
    }
    this.prune(nowMs);
    const waiting = Object.values(lanes).reduce((s, l) => s + l.waiting, 0);
    this.pollMs = waiting < 1_000 ? 3_000 : waiting < 20_000 ? 5_000 : waiting < 100_000 ? 10_000 : 20_000;
    return {
      v: 1,
      t: nowMs,
      seq: ++this.seq,
      leader: this.nodeId,
      rate: this.rate,
      u: this.uncapped,
      nodes: this.nodes,
      attack: operatorAttack || this.detectAttack(nowMs),
      pollMs: this.pollMs,
      lanes,
    };
  }

  private latestHealth(nowMs: number): Health | null {
    const sec = Math.floor(nowMs / 1000);
    for (let s = sec - 1; s >= sec - 3; s--) {
      const h = this.health.get(s);
      if (h && h.nodes > 0) return h;
    }
    return null;
  }

  /**
   * The controller's step. Admissions act on health with a delay: a ticket passed by the frontier
   * comes in at its browser's next poll (3–20 s), then loads its pages. Reacting every second to
   * health that does not show the last seconds' admissions yet made the rate swing (the rehearsal
   * saw ×1.5 a second for 5 s, then ×0.7 a second: budgets from 5 to 260 a second and bursts of
   * entries at 10× overload). So: a cut waits for the previous cut to show (one reaction delay,
   * see reactionMs), and the rate grows only while entries use most of it (people who were let in
   * have come in, so health already includes them; TCP validates its congestion window the same
   * way, RFC 7661).
   */
  private nextRate(health: Health | null, isQueueing: boolean, nowMs: number): number {
    const max = this.maxRate();
    const min = Math.min(this.o.minRate, max);
    let factor = health ? this.healthFactor(health, isQueueing) : 1;
    if (factor < 1) {
      if (nowMs - this.lastCutAt < this.reactionMs()) factor = 1;
      else this.lastCutAt = nowMs;
    } else if (factor > 1 && this.entryRate < GROWTH_NEEDS_USE * this.uncapped) {
      factor = 1;
    }
    const isCapHolding = this.cap !== null && this.cap <= this.uncapped;
    if (factor < 1 || !isCapHolding) this.uncapped = clamp(this.uncapped * factor, this.o.minRate, this.o.maxRate);
    return clamp(this.uncapped, min, max);
  }

  /**
   * How long a cut takes to show: passes already given come in at their browsers' next poll, plus
   * a flush and a tick. Capped at 5 s + 1 s: with a crowd, pages poll every 10–20 s, and a real
   * overload cannot wait that long for a second cut (the limiter and shedding hold meanwhile).
   */
  private reactionMs(): number {
    return Math.min(this.pollMs, 5_000) + 1_000;
  }

  /**
   * ×0.7…×1.5: how the cluster's health moves the controller's rate this tick. Utilisation is the
   * larger of in flight ÷ limit and busy time: on a saturated core, requests wait in the kernel
   * before the process sees them, so in flight stays low while people wait seconds; busy time
   * (event-loop utilisation, CPU share) is what shows it. A saturated cluster is cut like an
   * overloaded one: the queue it hides grows as long as entries outrun it.
   */
  private healthFactor(health: Health, isQueueing: boolean): number {
    const target = this.o.targetUtilisation;
    const nodes = Math.max(1, health.nodes);
    const busy = health.busySum / 1000 / nodes;
    const util = Math.max(health.limitSum > 0 ? health.inflightSum / health.limitSum : 0, busy);
    // Idle is not unhealthy: with nobody waiting and almost nothing in flight, a slow event loop
    // (a GC, a neighbour on the machine) is not caused by admissions, and cutting them helps nobody.
    const hasLoad = isQueueing || util >= 0.1;
    const overloaded = Math.max(health.overloaded, busy >= SATURATED_BUSY ? nodes : 0);
    if (overloaded > 0) return hasLoad ? 1 - 0.3 * Math.min(1, (2 * overloaded) / nodes) : 1;
    if (util > target) return Math.max(0.85, target / util);
    if (isQueueing) return Math.min(1.5, 1 + (0.5 * (target - util)) / target);
    return 1;
  }

  /**
   * Allocation of the budget; `unbounded` names a lane whose demand is taken as infinite (its
   * potential). With no lane known to be waiting, the others keep only their direct entries: what
   * the lane gets once their crowds have drained.
   */
  private allocate(waitingKnown: ReadonlyMap<string, number>, unbounded: string | null): Map<string, number> {
    const demands = [...this.lanes].map(([name, lane]) => {
      const isWaiting = (waitingKnown.get(name) ?? 0) > WAITING_EPSILON || name === unbounded;
      const demand = isWaiting ? Number.POSITIVE_INFINITY : lane.directRate * 1.5 + 0.02 * this.rate;
      return { name, share: this.shares.get(name) ?? 0, demand: Math.min(demand, this.rate) };
    });
    return allocateShares(this.rate, demands);
  }

  /** Time after which a pass nobody used counts as a no-show: one polling (or no-JS refresh) delay. */
  private noShowAfterMs(): number {
    return 1.3 * Math.max(this.pollMs, noScriptRefreshMs(this.pollMs)) + 2_000;
  }

  private advanceLane(
    name: string,
    lane: LanePlan,
    a: { alloc: number; potential: number; alone: number; isQueueing: boolean; dt: number },
    nowMs: number,
    limit: number,
  ): LaneState {
    const { alloc, dt } = a;
    lane.directRate += (lane.newDirect / dt - lane.directRate) * 0.3;
    const { refund, late } = this.settlePasses(lane, nowMs);
    lane.credit = Math.min(Math.max(1, alloc * dt), lane.credit + alloc * dt) + refund - late - lane.newDirect;
    lane.credit = Math.max(lane.credit, -2 * Math.max(1, alloc));
    lane.newEntries = 0;
    lane.newDirect = 0;
    const step = this.histogram.advance(name, lane.frontier, Math.max(0, lane.credit), limit);
    lane.frontier = Math.max(lane.frontier, step.to);
    lane.credit -= step.passed;
    if (step.passed > 0) lane.pending.push({ t: nowMs, left: step.passed });
    if (step.drained) lane.credit = Math.min(lane.credit, 0);
    lane.open = step.drained;
    this.updatePace(lane, step.drained ? null : step.passed / dt, a.potential);
    const waiting = this.histogram.between(name, lane.frontier, Number.MAX_SAFE_INTEGER);
    return {
      f: lane.frontier,
      open: lane.open,
      waiting,
      r: lane.paceMean,
      sd: Math.sqrt(lane.paceVar),
      // Entries the lane gets once the other lanes' crowds have drained, in passes: no-shows are
      // refunded, so the frontier passes 1/s tickets per entry (s floored: a cohort that looked
      // absent may come back).
      p: Math.max(lane.paceMean, a.alone / clamp(lane.showRatio, 0.5, 1)),
      h: this.histogram.summary(name, lane.frontier, Number.MAX_SAFE_INTEGER),
      d: lane.open && !a.isQueueing ? this.rate : alloc,
      s: lane.showRatio,
    };
  }

  /**
   * Matches this tick's ticket entries with earlier passes (oldest first), refunds passes left
   * unmatched for longer than the no-show delay, and reports entries that matched nothing.
   */
  private settlePasses(lane: LanePlan, nowMs: number): { refund: number; late: number } {
    let toMatch = Math.max(0, lane.newEntries - lane.newDirect);
    let matched = 0;
    while (toMatch > 0 && lane.pending.length > 0) {
      const oldest = lane.pending[0]!;
      const take = Math.min(oldest.left, toMatch);
      oldest.left -= take;
      toMatch -= take;
      matched += take;
      if (oldest.left <= 1e-9) lane.pending.shift();
    }
    let refund = 0;
    const expiry = nowMs - this.noShowAfterMs();
    while (lane.pending.length > 0 && lane.pending[0]!.t < expiry) refund += lane.pending.shift()!.left;
    if (matched + refund >= 5) lane.showRatio += 0.2 * (matched / (matched + refund) - lane.showRatio);
    return { refund, late: toMatch };
  }

  private updatePace(lane: LanePlan, sample: number | null, potential: number): void {
    if (sample === null) {
      // Nobody waits: the pace a newcomer would see is what the lane would get if people queued.
      lane.paceMean = potential;
      lane.paceVar = (lane.paceMean * 0.3) ** 2;
      lane.paceSamples = 0;
      return;
    }
    const alpha = lane.paceSamples < 5 ? 0.5 : 0.3;
    const diff = sample - lane.paceMean;
    lane.paceMean += alpha * diff;
    lane.paceVar = (1 - alpha) * (lane.paceVar + alpha * diff * diff);
    lane.paceSamples++;
  }

  /**
   * Automatic attack mode (attack-mode.ts's AttackTrigger: sustained spikes of invalid tokens, or
   * of arrivals far above the budget; hysteresis). The second before last is complete: the nodes
   * flush every 350 ms. A show ratio that drops (passes not used) is no longer a trigger on its
   * own: fresh browsers that open several tabs, or close the waiting page, look just like that.
   */
  private detectAttack(nowMs: number): boolean {
    const second = Math.floor(nowMs / 1000) - 2;
    return this.attack.observe(second, {
      invalid: this.invalidBySecond.get(second) ?? 0,
      arrivals: this.arrivalsBySecond.get(second) ?? 0,
      capacity: this.rate,
    });
  }

  private prune(nowMs: number): void {
    const oldest = Math.min(...[...this.lanes.values()].map((l) => l.frontier));
    this.histogram.prune(Math.min(oldest, nowMs) - 1_000);
    const sec = Math.floor(nowMs / 1000);
    for (const map of [this.health, this.arrivalsBySecond, this.invalidBySecond]) {
      for (const s of map.keys()) if (s < sec - 60) map.delete(s);
    }
  }
}

function newLane(frontier: number): LanePlan {
  return {
    frontier,
    credit: 0,
    showRatio: 1,
    paceMean: 0,
    paceVar: 0,
    paceSamples: 0,
    open: true,
    newEntries: 0,
    newDirect: 0,
    directRate: 0,
    pending: [],
  };
}

function addTo(map: Map<number, number>, key: number, delta: number): void {
  map.set(key, (map.get(key) ?? 0) + delta);
}
