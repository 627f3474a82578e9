/**
 * The catalogue of rate limits, declared in one place, all GCRA (one timestamp per key, via
 * SharedState.gcra). Limits per address are generous because a whole school sits behind one
 * address at 9:00; what stops credential stuffing is the per-account limit plus a per-address
 * limit on FAILED sign-ins, which a school never reaches and a stuffing run reaches at once.
 */
import type { GcraDecision, GcraLimit, SharedState } from '../platform/shared-state/shared-state.ts';
import { planGcra, stepGcra } from '../platform/shared-state/gcra.ts';
import { AppError } from '../shared/errors.ts';
import { HOUR, MINUTE, type Clock } from '../shared/time.ts';

/** Every rate limit of the platform. Keys are `rl:<name>:<key>` in the shared store. */
export const RATE_LIMITS = {
  /** Sign-in attempts per account: a person mistyping is fine, a guesser is not. */
  'sign-in:account': { count: 10, periodMs: 15 * MINUTE, burst: 5 },
  /** Sign-in attempts per address: a whole school behind one NAT signs in at 9:00. */
  'sign-in:address': { count: 600, periodMs: MINUTE, burst: 300 },
  /** FAILED sign-ins per address, across all accounts (credential stuffing). */
  'sign-in-failure:address': { count: 100, periodMs: 15 * MINUTE, burst: 50 },
  /** Activation codes tried per address (codes are 60 bits, but letters get mistyped). */
  'activation:address': { count: 60, periodMs: HOUR, burst: 30 },
  /** Waiting-room tickets minted per address (node-local, see createLocalGcra). */
  'ticket-mint:address': { count: 1200, periodMs: MINUTE, burst: 600 },
  /** File uploads per account. */
  'upload:account': { count: 120, periodMs: HOUR, burst: 30 },
  /** Messages sent per account. */
  'message-send:account': { count: 60, periodMs: HOUR, burst: 20 },
} as const satisfies Record<string, GcraLimit>;

/** The name of a limit in the catalogue. */
export type LimitName = keyof typeof RATE_LIMITS;

/** Anything that can apply a GCRA limit: the shared store, or a node-local table. */
export type GcraStore = Pick<SharedState, 'gcra'>;

/** « Trop de tentatives. Réessayez dans N secondes. », with an honest N. */
export function rateLimitedError(retryAfterMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const unit = seconds === 1 ? 'seconde' : 'secondes';
  return new AppError('RATE_LIMITED', {
    message: `Trop de tentatives. Réessayez dans ${seconds} ${unit}.`,
    retryAfterSeconds: seconds,
    details: { retryAfterSeconds: seconds },
  });
}

/** Applies limit `name` to `key` without throwing (cost defaults to 1). */
export function consumeLimit(state: GcraStore, clock: Clock, name: LimitName, key: string, cost = 1): Promise<GcraDecision> {
  return state.gcra(`rl:${name}:${key}`, RATE_LIMITS[name], clock.now(), cost);
}

/**
 * Applies limit `name` to `key`.
 * @throws AppError RATE_LIMITED with the French message and retryAfterSeconds when refused.
 */
export async function checkLimit(state: GcraStore, clock: Clock, name: LimitName, key: string, cost = 1): Promise<GcraDecision> {
  const decision = await consumeLimit(state, clock, name, key, cost);
  if (!decision.allowed) throw rateLimitedError(decision.retryAfterMs);
  return decision;
}

/** The rate-limit key of an address: IPv4 as is, IPv6 by /64 (what one subscriber controls). */
export function addressKey(ip: string): string {
  if (ip.includes('.') || !ip.includes(':')) return ip.slice(ip.lastIndexOf(':') + 1);
  const [head = '', tail] = ip.split('%')[0]!.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...h, ...Array<string>(tail === undefined ? 0 : Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${groups.slice(0, 4).map((g) => (Number.parseInt(g, 16) || 0).toString(16)).join(':')}::/64`;
}

/** The account key of a login: case and surrounding spaces do not make a new account. */
const accountKey = (login: string): string => login.trim().toLowerCase();

/** The sign-in and activation limits, shaped as the identity routes expect them. */
export interface AuthLimits {
  /** Before an attempt: per account, per address, and refused while the address is blocked for failures. */
  signIn(login: string, ip: string): Promise<void>;
  /** After a failed attempt: charges the per-address failure budget; blocks the address when spent. */
  signInFailed(login: string, ip: string): Promise<void>;
  /** Before an activation-code check. */
  activation(ip: string): Promise<void>;
}

/**
 * Builds the identity routes' limits. A spent failure budget sets a short-lived block marker
 * (GCRA has no read-only probe), so blocked addresses are refused before any password is hashed.
 */
export function createAuthLimits(state: SharedState, clock: Clock): AuthLimits {
  const blockKey = (address: string): string => `rl:block:sign-in-failure:${address}`;
  return {
    async signIn(login, ip) {
      const address = addressKey(ip);
      const blockedUntil = Number(await state.get(blockKey(address)));
      if (blockedUntil > clock.now()) throw rateLimitedError(blockedUntil - clock.now());
      await checkLimit(state, clock, 'sign-in:address', address);
      await checkLimit(state, clock, 'sign-in:account', accountKey(login));
    },
    async signInFailed(_login, ip) {
      const address = addressKey(ip);
      const decision = await consumeLimit(state, clock, 'sign-in-failure:address', address);
      if (!decision.allowed) await state.set(blockKey(address), String(clock.now() + decision.retryAfterMs), decision.retryAfterMs);
    },
    async activation(ip) {
      await checkLimit(state, clock, 'activation:address', addressKey(ip));
    },
  };
}

/**
 * A node-local GCRA table with a bounded number of keys (least recently used evicted), for limits
 * on the gate's hot path where a store round trip per request would break the "few operations per
 * second per node" rule. With N nodes the cluster-wide limit is up to N× the figure: it is a flood
 * brake, not a security boundary.
 */
export class LocalGcra implements GcraStore {
  private readonly tats = new Map<string, number>();

  constructor(private readonly maxKeys = 50_000) {}

  /** Synchronous decision (the gate's path). */
  take(key: string, limit: GcraLimit, nowMs: number, cost = 1): GcraDecision {
    const stored = this.tats.get(key);
    const step = stepGcra(stored !== undefined && stored > nowMs ? stored : null, planGcra(limit, cost), nowMs);
    if (step.newTatMs !== null) {
      this.tats.delete(key);
      this.tats.set(key, step.newTatMs);
      if (this.tats.size > this.maxKeys) this.tats.delete(this.tats.keys().next().value as string);
    }
    return step.decision;
  }

  /** The SharedState-shaped version, so the catalogue helpers work on it too. */
  gcra(key: string, limit: GcraLimit, nowMs: number, cost?: number): Promise<GcraDecision> {
    return Promise.resolve(this.take(key, limit, nowMs, cost));
  }

  /** Keys held (bounded by maxKeys). */
  size(): number {
    return this.tats.size;
  }
}

/**
 * The same store with every GCRA limit multiplied by `factor` (counts and bursts). For test
 * environments only (RATE_LIMIT_FACTOR): end-to-end journeys sign the same demo people in many
 * times from one address. 1 returns the store unchanged.
 */
export function withLimitFactor<S extends GcraStore>(state: S, factor: number): S {
  if (factor === 1) return state;
  return new Proxy(state, {
    get(target, property, receiver) {
      if (property === 'gcra') {
        return (key: string, limit: GcraLimit, nowMs: number, cost?: number) =>
          target.gcra(key, { ...limit, count: limit.count * factor, burst: Math.ceil(limit.burst * factor) }, nowMs, cost);
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
