/**
 * The front door, in front of every route: an onRequest gate (pass → active session → ticket →
 * remembered session in the returning lane → newcomer, no I/O), an onResponse hook feeding the adaptive limiter, load shedding by criticality with request
 * deadlines, the waiting-room routes (/file-attente, /file-attente/etat.json, /file-attente/jeton)
 * and a control object for the admin UI, the CLI and /metrics.
 *
 * Register it on the root instance, before the modules' routes, so its hooks apply to all of them.
 */
import { availableParallelism, hostname } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { Signer } from '../platform/crypto.ts';
import type { SharedState } from '../platform/shared-state/shared-state.ts';
import type { Clock } from '../shared/time.ts';
import { Admission, DEFAULT_ADMISSION_OPTIONS, type AttackMode, type RoomControl } from './admission.ts';
import { AttackDetector, DEFAULT_POW_BITS, ProofOfWork, ReplayFilter } from './attack-mode.ts';
import { BusyMeter, ConcurrencyLimiter, type LimiterOptions } from './controller.ts';
import { FrontDoorHttp } from './front-door-http.ts';
import { Gate } from './gate.ts';
import { LocalGcra, RATE_LIMITS } from './rate-limits.ts';
import { pathOf } from './responses.ts';
import { CoDel, LagSampler } from './shedding.ts';
import { buildStatus, type FrontDoorStatus } from './status.ts';
import { PassCodec, TicketCodec, isValidLaneName } from './tickets.ts';
import { REDEEM_PATH, STATE_PATH, safeNext } from './waiting-page.ts';

export type { AttackMode } from './admission.ts';
export type { FrontDoorStatus } from './status.ts';

/** Options of the front door. Only the injected checks are required. */
export interface FrontDoorOptions {
  /** Cheap, no I/O: the request carries a valid active session (the identity pass of the last minutes): never queues. */
  hasActiveSession(request: FastifyRequest): boolean;
  /**
   * Cheap, no I/O: the request carries a valid remembered session (long-lived cookie). Without an
   * active one, it goes straight in when there is room, else waits in the returning lane (no puzzle,
   * no per-address mint limit).
   */
  hasRememberedSession(request: FastifyRequest): boolean;
  /** Cheap, no I/O: the request proves a priority claim with a signed credential (never a plain header). */
  priorityCredential(request: FastifyRequest): boolean;
  /** Paths never gated (default /health, /ready, /metrics, /file-attente, /assets/). */
  exemptPrefixes?: readonly string[];
  /** Lane → share of the admission budget (default priority 0.2, returning 0.5, general 0.3; unused share flows to the others). */
  lanes?: Readonly<Record<string, number>>;
  /** Lane of ordinary newcomers (default `general`). */
  defaultLane?: string;
  /** Lane of proven priority claims (default `priority`). */
  priorityLane?: string;
  /** Lane of remembered sessions without an active one (default `returning`). */
  returningLane?: string;
  /** Operator cap on admissions, people per minute; when given, applied cluster-wide at start. */
  capPerMinute?: number | null;
  /** Attack mode; when given, applied cluster-wide at start (default: keep the stored one, or `auto`). */
  attackMode?: AttackMode;
  /**
   * Shed admitted requests by criticality under overload and drop those queued past their deadline
   * (default true). Route tests of other modules turn it off so that a busy test machine never sheds.
   */
  shedding?: boolean;
  /**
   * Lets nobody in directly while this node's core is saturated (default: as `shedding`). Measured
   * on the real process: tests that drive a manual clock on a machine busy with setting them up
   * turn it off.
   */
  saturationGate?: boolean;
  /** Proof-of-work difficulty in leading zero bits (default 16). */
  powBits?: number;
  /** This node's id in the cluster (default host-pid-random). */
  nodeId?: string;
  /** Run the background loop on timers (default true; tests drive `step()` with a manual clock). */
  timers?: boolean;
  /** Initial admission budget, entries per second (default 50). */
  initialRatePerSecond?: number;
  /**
   * Lowest admission rate the planner may choose, people per second (default 1). Only
   * LOAD_PROTECTION=false raises it: on a shared test machine, health signals must not make
   * newcomers queue (an operator's cap still applies).
   */
  minRatePerSecond?: number;
  limiter?: Partial<LimiterOptions>;
  ticketTtlMs?: number;
  passTtlMs?: number;
  /** Prefix of the front door's keys in the shared store (default `fd`). */
  keyPrefix?: string;
}

/** What the lead exposes in the admin UI, the CLI and /metrics. */
export interface FrontDoorControl {
  getStatus(): FrontDoorStatus;
  /** The waiting room's public document (what GET /file-attente/etat.json sends): a cached string. */
  publicStateJson(): string;
  /** Sets (or removes, with null) the cluster-wide cap, in people admitted per minute. */
  setCap(perMinute: number | null): Promise<void>;
  setAttackMode(mode: AttackMode): Promise<void>;
  /** Runs the due background work now (flush, lease, leader tick, read): tests and the CLI. */
  step(): Promise<void>;
  /** Stops timers and hands the lease over (also done on app close). */
  stop(): Promise<void>;
}

/** Dependencies, as built once in app.ts. */
export interface FrontDoorDeps {
  state: SharedState;
  clock: Clock;
  signer: Signer;
  log: FastifyBaseLogger;
}

const DEFAULT_EXEMPT = ['/health', '/ready', '/metrics', '/file-attente', '/assets/'] as const;

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A long-lived stream (GET /api/live): gated like any request (pass, session or ticket: a
     * newcomer still waits), but never counted in flight nor given a deadline, since it lasts
     * for hours and would pin the adaptive limit; its route caps streams per node itself.
     */
    longLived?: boolean;
  }
}

/**
 * Default lanes and their shares of the admission budget: a teacher before a lesson first, then
 * the people coming back with a remembered session (most of them at 9:00), then newcomers.
 */
export const DEFAULT_LANES: Readonly<Record<string, number>> = { priority: 0.2, returning: 0.5, general: 0.3 };

/** How long a proof-of-work challenge may be redeemed: a slow phone needs seconds, not minutes. */
const POW_TTL_MS = 2 * 60_000;

/** The node's components, built once from the options. */
function buildComponents(deps: FrontDoorDeps, options: FrontDoorOptions) {
  const lanes = options.lanes ?? DEFAULT_LANES;
  const defaultLane = options.defaultLane ?? 'general';
  const priorityLane = options.priorityLane ?? 'priority';
  const returningLane = options.returningLane ?? 'returning';
  validateLanes(lanes, [defaultLane, priorityLane, returningLane]);
  const { clock } = deps;
  const limiter = new ConcurrencyLimiter(options.limiter);
  const eventLoop = monitorEventLoopDelay({ resolution: 10 });
  const codel = new CoDel(5, 100);
  const busy = new BusyMeter({
    eventLoop: () => performance.eventLoopUtilization(),
    cpuMicros: () => {
      const u = process.cpuUsage();
      return u.user + u.system;
    },
    now: () => performance.now(),
    cores: availableParallelism(),
  });
  const health = () => {
    limiter.setEventLoopDelay(eventLoop.percentile(99) / 1e6);
    eventLoop.reset();
    limiter.setBusy(busy.read());
    const { limit, busy: busyNow } = limiter.snapshot();
    return { limit, inflight: limiter.takeAverageInflight(performance.now()), overloaded: limiter.isOverloaded(), busy: busyNow };
  };
  const { planner } = DEFAULT_ADMISSION_OPTIONS;
  const admission = new Admission(
    { state: deps.state, clock, log: deps.log },
    {
      ...DEFAULT_ADMISSION_OPTIONS,
      nodeId: options.nodeId ?? `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`,
      shares: lanes,
      keyPrefix: options.keyPrefix ?? DEFAULT_ADMISSION_OPTIONS.keyPrefix,
      planner: {
        ...planner,
        initialRate: options.initialRatePerSecond ?? planner.initialRate,
        minRate: options.minRatePerSecond ?? planner.minRate,
        // Only newcomers' arrivals can be a flood: the other lanes take a signed proof.
        floodLanes: [defaultLane],
      },
      // Like shedding: a busy test machine must not send route tests' people to the waiting room.
      directOnlyWhenNotSaturated: options.saturationGate ?? options.shedding ?? true,
    },
    health,
  );
  const laneNames = Object.keys(lanes);
  const tickets = new TicketCodec(deps.signer, { ttlMs: options.ticketTtlMs ?? 10 * 60_000, lanes: laneNames });
  const passes = new PassCodec(deps.signer, { ttlMs: options.passTtlMs ?? 2 * 60_000, lanes: laneNames });
  // This node's own evidence: its share of the platform-wide thresholds and of the budget.
  const detector = new AttackDetector({ invalidPerSecond: 50, arrivalsPerSecond: 2_000 }, () => {
    const room = admission.getRoom();
    return room ? room.rate / Math.max(1, room.nodes) : planner.initialRate;
  });
  const isAttackMode = (nowMs: number): boolean => {
    const mode = admission.getControl().attackMode;
    return mode === 'on' || (mode === 'auto' && (admission.isAttackFlagged() || detector.isSuspicious(nowMs)));
  };
  const gate = new Gate({
    tickets,
    passes,
    admission,
    pow: new ProofOfWork(deps.signer, { bits: options.powBits ?? DEFAULT_POW_BITS, ttlMs: POW_TTL_MS }),
    replays: new ReplayFilter(POW_TTL_MS, clock.now()),
    detector,
    mintLimiter: new LocalGcra(50_000),
    mintLimit: RATE_LIMITS['ticket-mint:address'],
    hasRoom: () => limiter.hasRoom(),
    isAttackMode,
    defaultLane,
    priorityLane,
    returningLane,
  });
  const http = new FrontDoorHttp({
    ...{ admission, gate, tickets, passes, limiter, codel, clock },
    shedding: options.shedding ?? true,
    hasActiveSession: (request) => options.hasActiveSession(request),
    hasRememberedSession: (request) => options.hasRememberedSession(request),
    priorityCredential: (request) => options.priorityCredential(request),
  });
  return { admission, gate, http, limiter, codel, eventLoop, isAttackMode };
}

/**
 * Registers the front door on `app` (the root instance, before the routes) and returns its control
 * object. Its background loop starts at once unless `options.timers` is false.
 */
export async function registerFrontDoor(app: FastifyInstance, deps: FrontDoorDeps, options: FrontDoorOptions): Promise<FrontDoorControl> {
  const c = buildComponents(deps, options);
  const exempt = options.exemptPrefixes ?? DEFAULT_EXEMPT;
  app.addHook('onRequest', async (request, reply) => {
    const path = pathOf(request.url);
    if (exempt.some((prefix) => path.startsWith(prefix))) return;
    const decided = c.http.answer(request, reply, c.http.decide(request), safeNext(request.url), 503);
    // Admitted long-lived streams are not tracked: no in-flight count, no shedding, no deadline (preHandler skips untracked).
    const answered = decided ?? (request.routeOptions.config.longLived === true ? null : c.http.admit(request, reply));
    if (answered) return answered;
  });
  app.addHook('preHandler', async (request, reply) => {
    const dropped = c.http.checkDeadline(request, reply);
    if (dropped) return dropped;
  });
  app.addHook('onResponse', async (request, reply) => c.http.release(request, reply.statusCode));
  app.addHook('onRequestAbort', async (request) => c.http.release(request, 499));
  registerRoutes(app, { admission: c.admission, gate: c.gate, http: c.http, clock: deps.clock });

  const lagSampler = new LagSampler(c.codel, () => performance.now());
  lagSampler.start();
  c.eventLoop.enable();
  await c.admission.start(options.timers ?? true);
  const initial: Partial<RoomControl> = {};
  if (options.capPerMinute !== undefined) initial.capPerMinute = options.capPerMinute;
  if (options.attackMode !== undefined) initial.attackMode = options.attackMode;
  if (Object.keys(initial).length > 0) await c.admission.setControl(initial);
  let isStopped = false;
  const control: FrontDoorControl = {
    getStatus: () => buildStatus({ ...c, clock: deps.clock, stateHealthy: deps.state.isHealthy() }),
    publicStateJson: () => c.admission.publicStateJson(),
    setCap: (perMinute) => c.admission.setControl({ capPerMinute: perMinute }),
    setAttackMode: (mode) => c.admission.setControl({ attackMode: mode }),
    step: () => c.admission.pump(),
    stop: async () => {
      if (isStopped) return;
      isStopped = true;
      lagSampler.stop();
      c.eventLoop.disable();
      await c.admission.stop();
    },
  };
  app.addHook('onClose', async () => control.stop());
  return control;
}

interface RouteDeps {
  admission: Admission;
  gate: Gate;
  http: FrontDoorHttp;
  clock: Clock;
}

function registerRoutes(app: FastifyInstance, d: RouteDeps): void {
  app.get(STATE_PATH, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=1').type('application/json; charset=utf-8').send(d.admission.publicStateJson()),
  );

  app.get('/file-attente', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const next = safeNext(typeof query['vers'] === 'string' ? query['vers'] : undefined);
    const answered = d.http.answer(request, reply, d.http.decide(request), next, 200);
    return answered ?? reply.code(303).header('location', next).header('cache-control', 'no-store').send();
  });

  app.post(REDEEM_PATH, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const challenge = typeof body['challenge'] === 'string' ? body['challenge'] : '';
    const counter = typeof body['counter'] === 'string' ? body['counter'] : '';
    const next = safeNext(typeof body['next'] === 'string' ? body['next'] : undefined);
    const decision = d.gate.redeem(challenge, counter, d.http.gateRequest(request), d.clock.now());
    if (decision.kind !== 'wait' && decision.kind !== 'enter') return d.http.answer(request, reply, decision, next, 200);
    d.http.applyCookies(reply, decision);
    return reply.header('cache-control', 'no-store').send({ next });
  });
}

function validateLanes(lanes: Readonly<Record<string, number>>, required: readonly string[]): void {
  for (const [name, share] of Object.entries(lanes)) {
    if (!isValidLaneName(name)) throw new Error(`front door: invalid lane name "${name}" (a-z, 0-9, -; 16 characters at most)`);
    if (!(share > 0)) throw new Error(`front door: lane "${name}" needs a share > 0, got ${share}`);
  }
  for (const name of required) {
    if (!(name in lanes)) throw new Error(`front door: lane "${name}" is not among the configured lanes`);
  }
}
