/**
 * The waiting room on one node. A ticket is admitted iff its position (arrival time at 100 ms
 * resolution, see positionOf) is at or before its lane's frontier; the frontiers come from the room document that one node at a time (the lease
 * holder) computes and publishes. Everything a request touches here is in memory and synchronous;
 * the shared store is only touched by `pump()`, on a schedule that does not depend on the crowd:
 *
 *   flush  every 350 ms  1 hIncrMany  (arrivals per lane and 100 ms bucket, entries, health)
 *   lease  every 1 s     1 setIfAbsent / renewIfHolder
 *   lead   every 1 s     2 hGetAll + 1 set + 1 publish       (lease holder only;
 *                        + 1 del every 10 s for the epoch hash nobody needs any more)
 *   read   every 5 s     1 get (the document also arrives by subscription)
 *
 * so at most 9 operations per second per node whatever the number of people.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { SharedState, Unsubscribe } from '../platform/shared-state/shared-state.ts';
import type { Clock } from '../shared/time.ts';
import { TokenBucket } from './controller.ts';
import { bucketOf } from './histogram.ts';
import { RoomPlanner, SATURATED_BUSY, type PlannerOptions } from './planner.ts';
import { aheadOf, parseRoomState, toPublic, waitBand, type RoomState, type WaitBand } from './room-state.ts';

/** Attack mode switch: forced on, forced off, or automatic. */
export type AttackMode = 'on' | 'off' | 'auto';

/** Cluster-wide operator settings (stored and published like the room document). */
export interface RoomControl {
  /** Operator cap on admissions, people per minute; null: the controller alone decides. */
  capPerMinute: number | null;
  attackMode: AttackMode;
}

/** What the node's concurrency limiter says, reported to the leader once a second. */
export interface NodeHealth {
  limit: number;
  inflight: number;
  overloaded: boolean;
  /**
   * How busy the node's core(s) were over the last second, 0–1: the larger of event-loop
   * utilisation and the process's CPU share. On one saturated core requests queue in the kernel
   * before Node reads them, where neither the in-flight count nor latency measured inside the
   * process can see them; busy time sees it. Optional (older nodes, tests): counted as 0.
   */
  busy?: number;
}

/** Tuning of the node; see DEFAULT_ADMISSION_OPTIONS. */
export interface AdmissionOptions {
  nodeId: string;
  shares: Readonly<Record<string, number>>;
  keyPrefix: string;
  flushIntervalMs: number;
  tickMs: number;
  leaseMs: number;
  readIntervalMs: number;
  epochMs: number;
  planner: Omit<PlannerOptions, 'shares'>;
  /** Lets nobody in directly while the node's core is saturated (default true; see `saturated`). */
  directOnlyWhenNotSaturated?: boolean;
}

export const DEFAULT_ADMISSION_OPTIONS: Omit<AdmissionOptions, 'nodeId' | 'shares'> = {
  keyPrefix: 'fd',
  flushIntervalMs: 350,
  tickMs: 1_000,
  leaseMs: 3_000,
  readIntervalMs: 5_000,
  epochMs: 10_000,
  planner: {
    sealLagMs: 500,
    initialRate: 50,
    minRate: 1,
    maxRate: 100_000,
    targetUtilisation: 0.8,
    floodArrivalsPerSecond: 5_000,
    floodInvalidPerSecond: 200,
  },
};

interface Deps {
  state: SharedState;
  clock: Clock;
  log: FastifyBaseLogger;
}

/** Per-node waiting-room state and its background loop. */
export class Admission {
  private room: RoomState | null = null;
  private publicJson: string | null = null;
  private readonly floors = new Map<string, number>();
  private readonly newestLocal = new Map<string, number>();
  private readonly buckets = new Map<string, TokenBucket>();
  /**
   * Direct entries of all lanes together: while nobody queues, each lane's own bucket runs at the
   * whole budget (any lane may use it), so without this one a step in every lane at once let the
   * budget in once per lane, within 50 ms. Its burst stays one second of budget: a class that
   * arrives together on a quiet platform must not see the waiting room (half a second was tried:
   * 20 people at once on a budget of 35 a second queued).
   */
  private readonly allLanes: TokenBucket;
  /**
   * The node's core was saturated over the last second (busy ≥ SATURATED_BUSY): it lets nobody in
   * directly until it is not (newcomers get their place in line at once instead). The leader cuts
   * the budget too, but a cut takes a reaction delay to show; at a surge's first seconds the node
   * kept letting the calm's budget in directly and answered in seconds for as long.
   */
  private saturated = false;
  private pending: Record<string, number> = {};
  private planner: RoomPlanner | null = null;
  private snapshots = new Map<number, Record<string, number>>();
  private control: RoomControl = { capPerMinute: null, attackMode: 'auto' };
  /** Nodes in the last room document read from the shared store (not from this node's own fallback). */
  private clusterNodes = 1;
  private wasPerNode = false;
  private readonly due = { flush: 0, tick: 0, read: 0 };
  private healthSecond = 0;
  private isPumping = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly unsubscribes: Unsubscribe[] = [];
  private readonly keys: { lease: string; room: string; control: string };

  constructor(
    private readonly deps: Deps,
    private readonly o: AdmissionOptions,
    private readonly health: (nowMs: number) => NodeHealth,
  ) {
    const p = o.keyPrefix;
    this.keys = { lease: `${p}:leader`, room: `${p}:room`, control: `${p}:control` };
    const now = deps.clock.now();
    const rate = o.planner.initialRate;
    for (const lane of Object.keys(o.shares)) this.buckets.set(lane, new TokenBucket(rate, Math.max(1, rate), now));
    this.allLanes = new TokenBucket(rate, burstOf(rate), now);
  }

  /** Subscribes to the room and control channels, loads both, and starts the loop (unless `timers` is false). */
  async start(timers = true): Promise<void> {
    const { state } = this.deps;
    this.unsubscribes.push(await state.subscribe(this.keys.room, (m) => this.adopt(parseRoomState(m))));
    this.unsubscribes.push(await state.subscribe(this.keys.control, (m) => this.applyControl(parseControl(m))));
    this.applyControl(parseControl(await state.get(this.keys.control).catch(() => null)));
    this.adopt(parseRoomState(await state.get(this.keys.room).catch(() => null)));
    if (timers) {
      this.timer = setInterval(() => void this.pump(), 50);
      this.timer.unref();
    }
  }

  /** Stops the loop, unsubscribes and hands the lease over. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled(this.unsubscribes.splice(0).map((u) => u()));
    if (this.planner) await this.deps.state.deleteIfHolder(this.keys.lease, this.o.nodeId).catch(() => false);
    this.planner = null;
  }

  // ---- hot path: synchronous, in memory ------------------------------------------------------

  /** The lane's frontier as this node knows it (never moves back). */
  frontier(lane: string): number {
    return this.floors.get(lane) ?? Number.NEGATIVE_INFINITY;
  }

  /** True when nobody waits in the lane (per the room document and this node's own tickets). */
  isOpen(lane: string): boolean {
    const state = this.room?.lanes[lane];
    if (this.room && !state?.open) return false;
    return (this.newestLocal.get(lane) ?? Number.NEGATIVE_INFINITY) <= this.frontier(lane);
  }

  /** Lets a newcomer straight in when the lane is open and the node's share of the budget allows. */
  tryEnterDirect(lane: string, nowMs: number): boolean {
    const bucket = this.buckets.get(lane);
    if (this.saturated || !bucket || !this.isOpen(lane) || !this.allLanes.has(nowMs) || !bucket.take(nowMs)) return false;
    return this.allLanes.take(nowMs);
  }

  /** Counts a newly minted ticket (one arrival in its 100 ms bucket); `position` is its place in line. */
  recordArrival(lane: string, tArr: number, position: number, counted = true): void {
    if (position > (this.newestLocal.get(lane) ?? Number.NEGATIVE_INFINITY)) this.newestLocal.set(lane, position);
    if (counted) this.count(`a:${lane}:${bucketOf(tArr)}`);
  }

  /** Counts an entry: a ticket turned into a pass, or a direct admission. */
  recordEntry(lane: string, nowMs: number, isDirect: boolean): void {
    const sec = Math.floor(nowMs / 1000);
    this.count(`e:${lane}:${sec}`);
    if (isDirect) this.count(`d:${lane}:${sec}`);
  }

  /** Counts a forged, edited, expired or transplanted token (attack detection). */
  recordInvalid(nowMs: number): void {
    this.count(`x:${Math.floor(nowMs / 1000)}`);
  }

  private count(field: string, by = 1): void {
    this.pending[field] = (this.pending[field] ?? 0) + by;
  }

  /**
   * People ahead of a ticket at `position` (see positionOf). The room document counts arrivals up
   * to about its own time; a ticket minted since then also has behind-the-document arrivals ahead
   * of it (in a 9:00 step, a second of them is a crowd), estimated from the document's recent
   * arrival rate. Waiting pages poll later documents, which have counted them.
   */
  ahead(lane: string, position: number): number {
    const room = this.room;
    const state = room?.lanes[lane];
    if (!room || !state) return 0;
    const known = { f: this.frontier(lane), h: state.h };
    const counted = aheadOf(known, position);
    const horizon = room.t - this.o.flushIntervalMs;
    if (position <= horizon) return counted;
    const from = Math.max(known.f, horizon - 2_000);
    const rate = horizon > from ? (aheadOf(known, horizon) - aheadOf(known, from)) / ((horizon - from) / 1000) : 0;
    return counted + Math.floor((rate * (position - horizon)) / 1000);
  }

  /** The honest wait for `ahead` people in a lane. */
  wait(lane: string, ahead: number): WaitBand {
    const state = this.room?.lanes[lane];
    const pace = state && state.r > 0 ? state.r : this.o.planner.initialRate;
    return waitBand(ahead, pace, state?.sd ?? pace * 0.3, this.pollMs(), state?.p ?? pace);
  }

  /** The polling interval the leader asks for. */
  pollMs(): number {
    return this.room?.pollMs ?? 3_000;
  }

  /** True when the leader flags an attack. */
  isAttackFlagged(): boolean {
    return this.room?.attack ?? false;
  }

  /** The operator settings in force. */
  getControl(): RoomControl {
    return { ...this.control };
  }

  /** The current room document (null before the first one). */
  getRoom(): RoomState | null {
    return this.room;
  }

  /** What this node holds in memory: it depends on time and lanes, never on the crowd. */
  footprint(): { histogramBuckets: number; pendingFields: number } {
    return { histogramBuckets: this.planner?.histogram.size() ?? 0, pendingFields: Object.keys(this.pending).length };
  }

  /** True while this node holds the lease. */
  isLeader(): boolean {
    return this.planner !== null;
  }

  /** The public state document as JSON (cached until the next document). */
  publicStateJson(): string {
    if (this.publicJson === null) {
      const nowMs = this.deps.clock.now();
      const lanes = Object.fromEntries(
        Object.keys(this.o.shares).map((l) => [l, { f: nowMs, open: true, waiting: 0, r: 0, sd: 0, h: [] }]),
      );
      this.publicJson = JSON.stringify(this.room ? toPublic(this.room) : { t: nowMs, pollMs: 3_000, attack: false, lanes });
    }
    return this.publicJson;
  }

  // ---- control ------------------------------------------------------------------------------

  /** Changes the operator settings cluster-wide (stored, published, applied here at once). */
  async setControl(change: Partial<RoomControl>): Promise<void> {
    const next = { ...this.control, ...change };
    this.applyControl(next);
    const text = JSON.stringify(next);
    await this.deps.state.set(this.keys.control, text);
    await this.deps.state.publish(this.keys.control, text);
  }

  private applyControl(control: RoomControl | null): void {
    if (!control) return;
    this.control = control;
    this.planner?.setCap(this.capShare());
    this.configureBuckets();
  }

  /**
   * True while the shared store is down and this node runs on its own in-process fallback: it
   * then leads a room of its own, which knows nothing of the other nodes.
   */
  private isPerNode(): boolean {
    return (this.deps.state as { isUsingFallback?: () => boolean }).isUsingFallback?.() === true;
  }

  /**
   * The operator's cap (entries per second) this node's room applies: all of it normally; while
   * each node runs its own room (shared store down), its share of the cluster it last saw, so the
   * platform as a whole still admits no more than the cap (not N times it). The controller's own
   * rate needs no split: each node's room then follows that node's own health.
   */
  private capShare(): number | null {
    const cap = capPerSecond(this.control);
    return cap === null || !this.isPerNode() ? cap : cap / Math.max(1, this.clusterNodes);
  }

  private adopt(doc: RoomState | null): void {
    if (!doc) return;
    if (!this.isPerNode()) this.clusterNodes = Math.max(1, doc.nodes);
    const current = this.room;
    if (current && (doc.t < current.t || (doc.t === current.t && doc.seq <= current.seq))) return;
    this.room = doc;
    this.publicJson = null;
    for (const [lane, state] of Object.entries(doc.lanes)) {
      this.floors.set(lane, Math.max(this.frontier(lane), Math.floor(state.f)));
    }
    this.configureBuckets();
  }

  private configureBuckets(): void {
    const cap = this.capShare() ?? Number.POSITIVE_INFINITY;
    const nodes = Math.max(1, this.room?.nodes ?? 1);
    for (const [lane, bucket] of this.buckets) {
      const budget = this.room?.lanes[lane]?.d ?? this.room?.rate ?? this.o.planner.initialRate;
      const rate = Math.min(budget, cap) / nodes;
      bucket.configure(rate, Math.max(1, rate));
    }
    const total = Math.min(this.room?.rate ?? this.o.planner.initialRate, cap) / nodes;
    this.allLanes.configure(total, burstOf(total));
  }

  // ---- background loop ----------------------------------------------------------------------

  /** Runs whatever is due at the clock's current time: flush, lease and leader tick, read. */
  async pump(): Promise<void> {
    if (this.isPumping) return;
    this.isPumping = true;
    try {
      const nowMs = this.deps.clock.now();
      const isPerNode = this.isPerNode();
      if (isPerNode !== this.wasPerNode) {
        // The store went down or came back: the cap's share changes.
        this.wasPerNode = isPerNode;
        this.applyControl(this.control);
      }
      if (nowMs >= this.due.flush) {
        this.due.flush = nowMs + this.o.flushIntervalMs;
        await this.flush(nowMs);
      }
      if (nowMs >= this.due.tick) {
        this.due.tick = nowMs + this.o.tickMs;
        await this.leadOrFollow(nowMs);
      }
      if (nowMs >= this.due.read && !this.planner) {
        this.due.read = nowMs + this.o.readIntervalMs;
        this.adopt(parseRoomState(await this.deps.state.get(this.keys.room)));
      }
    } catch (error) {
      this.deps.log.warn({ err: error }, 'front door: shared state unavailable, keeping the last room state');
    } finally {
      this.isPumping = false;
    }
  }

  private async flush(nowMs: number): Promise<void> {
    const sec = Math.floor(nowMs / 1000);
    if (sec > this.healthSecond) {
      this.healthSecond = sec;
      const h = this.health(nowMs);
      this.saturated = this.o.directOnlyWhenNotSaturated !== false && (h.busy ?? 0) >= SATURATED_BUSY;
      const s = sec - 1;
      Object.assign(this.pending, {
        [`hn:${s}`]: 1,
        [`hl:${s}`]: Math.round(h.limit),
        [`hi:${s}`]: Math.round(h.inflight),
        [`ho:${s}`]: h.overloaded ? 1 : 0,
        [`hb:${s}`]: Math.round(1000 * Math.min(1, Math.max(0, h.busy ?? 0))),
      });
    }
    const batch = this.pending;
    if (Object.keys(batch).length === 0) return;
    this.pending = {};
    try {
      await this.deps.state.hIncrMany(this.epochKey(Math.floor(nowMs / this.o.epochMs)), batch, this.o.epochMs * 6);
    } catch (error) {
      for (const [field, n] of Object.entries(batch)) this.count(field, n);
      throw error;
    }
  }

  private epochKey(epoch: number): string {
    return `${this.o.keyPrefix}:h:${epoch}`;
  }

  private async leadOrFollow(nowMs: number): Promise<void> {
    const { state } = this.deps;
    if (this.planner && !(await state.renewIfHolder(this.keys.lease, this.o.nodeId, this.o.leaseMs))) {
      this.planner = null;
    }
    if (!this.planner && (await state.setIfAbsent(this.keys.lease, this.o.nodeId, this.o.leaseMs))) {
      await this.takeOver(nowMs);
      return;
    }
    if (this.planner) await this.lead(nowMs);
  }

  private async takeOver(nowMs: number): Promise<void> {
    const planner = new RoomPlanner({ ...this.o.planner, shares: this.o.shares }, this.o.nodeId, nowMs);
    planner.setCap(this.capShare());
    const epoch = Math.floor(nowMs / this.o.epochMs);
    const cutoff = (epoch - 1) * this.o.epochMs;
    const previous = parseRoomState(await this.deps.state.get(this.keys.room)) ?? this.room;
    if (previous) planner.seed(previous, cutoff);
    this.snapshots = new Map();
    this.planner = planner;
    this.deps.log.info({ nodeId: this.o.nodeId }, 'front door: this node now leads the waiting room');
    await this.readEpochs(epoch, cutoff);
    await this.publish(planner.tick(nowMs, this.control.attackMode === 'on'));
  }

  private async lead(nowMs: number): Promise<void> {
    const planner = this.planner;
    if (!planner) return;
    await this.readEpochs(Math.floor(nowMs / this.o.epochMs), Number.NEGATIVE_INFINITY);
    await this.publish(planner.tick(nowMs, this.control.attackMode === 'on'));
  }

  /** Reads the current and previous epochs and feeds the planner what changed since last read. */
  private async readEpochs(epoch: number, cutoffMs: number): Promise<void> {
    const cutoffBucket = bucketOf(cutoffMs);
    for (const e of [epoch - 1, epoch]) {
      const fields = await this.deps.state.hGetAll(this.epochKey(e));
      const before = this.snapshots.get(e) ?? {};
      for (const [field, value] of Object.entries(fields)) {
        const delta = value - (before[field] ?? 0);
        if (delta !== 0 && !isBefore(field, cutoffBucket)) this.planner?.applyField(field, delta);
      }
      this.snapshots.set(e, fields);
    }
    for (const e of this.snapshots.keys()) {
      if (e >= epoch - 1) continue;
      this.snapshots.delete(e);
      await this.deps.state.del(this.epochKey(e));
    }
  }

  private async publish(doc: RoomState): Promise<void> {
    const text = JSON.stringify(doc);
    this.adopt(doc);
    await this.deps.state.set(this.keys.room, text, 600_000);
    await this.deps.state.publish(this.keys.room, text);
  }
}

/** True for an arrivals field whose bucket is older than the cutoff (already in the seed). */
function isBefore(field: string, cutoffBucket: number): boolean {
  if (!field.startsWith('a:')) return false;
  return Number(field.slice(field.lastIndexOf(':') + 1)) < cutoffBucket;
}

function capPerSecond(control: RoomControl): number | null {
  return control.capPerMinute === null ? null : control.capPerMinute / 60;
}

function parseControl(text: string | null): RoomControl | null {
  if (text === null) return null;
  try {
    const raw = JSON.parse(text) as Partial<RoomControl>;
    const cap = raw.capPerMinute;
    const mode = raw.attackMode;
    if (!(cap === null || (typeof cap === 'number' && cap > 0))) return null;
    if (mode !== 'on' && mode !== 'off' && mode !== 'auto') return null;
    return { capPerMinute: cap, attackMode: mode };
  } catch {
    return null;
  }
}

/** Burst of the node's direct entries: one second of its budget (at least one person). */
function burstOf(ratePerSecond: number): number {
  return Math.max(1, ratePerSecond);
}
