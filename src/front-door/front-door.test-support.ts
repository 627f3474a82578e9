/**
 * Test helpers (not a test file): a front-door node without Fastify (Admission + Gate on a shared
 * state and a manual clock), a counting proxy for shared-store operations, and a signer.
 */
import type { FastifyBaseLogger } from 'fastify';
import { Signer } from '../platform/crypto.ts';
import type { SharedState } from '../platform/shared-state/shared-state.ts';
import type { Clock } from '../shared/time.ts';
import { Admission, DEFAULT_ADMISSION_OPTIONS, type NodeHealth } from './admission.ts';
import { AttackDetector, ProofOfWork, ReplayFilter } from './attack-mode.ts';
import { PASS_COOKIE, TICKET_COOKIE } from './cookies.ts';
import { Gate, type GateRequest } from './gate.ts';
import { LocalGcra } from './rate-limits.ts';
import { PassCodec, TicketCodec } from './tickets.ts';

export const testSigner = (): Signer => new Signer([{ id: 'k1', secret: Buffer.from('s'.repeat(48)) }]);

/** A logger that discards everything. */
export const silentLog = {
  level: 'silent',
  fatal: () => {},
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  trace: () => {},
  silent: () => {},
  child: () => silentLog,
} as unknown as FastifyBaseLogger;

/** Options of a test node. */
export interface TestNodeOptions {
  state: SharedState;
  clock: Clock;
  nodeId?: string;
  shares?: Record<string, number>;
  initialRate?: number;
  health?: (nowMs: number) => NodeHealth;
  hasRoom?: () => boolean;
  attack?: () => boolean;
  powBits?: number;
  /** Per-address mint limit (default: none in practice). */
  mintLimit?: { count: number; periodMs: number; burst: number };
}

/** One front-door node without HTTP: the same Admission and Gate the plugin wires. */
export function createTestNode(o: TestNodeOptions) {
  const shares = o.shares ?? { priority: 0.3, general: 0.7 };
  const lanes = Object.keys(shares);
  const signer = testSigner();
  const admission = new Admission(
    { state: o.state, clock: o.clock, log: silentLog },
    {
      ...DEFAULT_ADMISSION_OPTIONS,
      nodeId: o.nodeId ?? 'node-a',
      shares,
      planner: { ...DEFAULT_ADMISSION_OPTIONS.planner, initialRate: o.initialRate ?? 50 },
    },
    o.health ?? (() => ({ limit: 100, inflight: 0, overloaded: false })),
  );
  const tickets = new TicketCodec(signer, { ttlMs: 600_000, lanes });
  const passes = new PassCodec(signer, { ttlMs: 120_000, lanes });
  const pow = new ProofOfWork(signer, { bits: o.powBits ?? 8, ttlMs: 120_000 });
  const gate = new Gate({
    tickets,
    passes,
    admission,
    pow,
    replays: new ReplayFilter(120_000, o.clock.now()),
    detector: new AttackDetector({ invalidPerSecond: 1e9, arrivalsPerSecond: 1e9 }),
    mintLimiter: new LocalGcra(),
    mintLimit: o.mintLimit ?? { count: 1e9, periodMs: 1000, burst: 1e9 },
    hasRoom: o.hasRoom ?? (() => true),
    isAttackMode: () => o.attack?.() ?? false,
    defaultLane: 'general',
    priorityLane: 'priority',
    // Tests written for two lanes queue remembered sessions with the newcomers.
    returningLane: 'returning' in shares ? 'returning' : 'general',
  });
  return { admission, gate, tickets, passes, pow, signer };
}

/**
 * A request as the gate sees it, from a client's cookies: `session` is an active session (identity
 * pass), `remembered` a remembered session only.
 */
export function gateRequest(client: {
  ip: string;
  ua?: string;
  ticket?: string;
  pass?: string;
  priority?: boolean;
  session?: boolean;
  remembered?: boolean;
}): GateRequest {
  const cookies = [client.pass ? `${PASS_COOKIE}=${client.pass}` : '', client.ticket ? `${TICKET_COOKIE}=${client.ticket}` : '']
    .filter(Boolean)
    .join('; ');
  return {
    cookieHeader: cookies || undefined,
    userAgent: client.ua ?? 'Mozilla/5.0 test',
    ip: client.ip,
    hasActiveSession: () => client.session ?? false,
    hasRememberedSession: () => (client.remembered ?? false) || (client.session ?? false),
    hasPriority: () => client.priority ?? false,
  };
}

/** Distinct IPv4 addresses for simulated people. */
export const ipOf = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** Wraps a SharedState to count operations per second of `clock` (subscriptions' deliveries are free). */
export function countingState(inner: SharedState, clock: Clock): { state: SharedState; perSecond: Map<number, number>; total(): number } {
  const perSecond = new Map<number, number>();
  const free = new Set(['kind', 'isHealthy', 'close']);
  const state = new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || free.has(String(prop))) return value;
      return (...args: unknown[]) => {
        const sec = Math.floor(clock.now() / 1000);
        perSecond.set(sec, (perSecond.get(sec) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { state, perSecond, total: () => [...perSecond.values()].reduce((a, b) => a + b, 0) };
}

/** Deterministic pseudo-random numbers (LCG), so that a failing property can be replayed from its seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
