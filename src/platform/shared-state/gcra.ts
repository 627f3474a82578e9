/**
 * Generic Cell Rate Algorithm, as pure functions. memory.ts calls them directly and the Lua script
 * in redis-scripts.ts performs the very same arithmetic, in the same order, so both
 * implementations give bit-identical decisions for the same inputs.
 *
 * One number is stored per key: the theoretical arrival time (TAT). A request of `cost` units is
 * allowed when, after adding `cost` emission intervals to max(TAT, now), the TAT is no further
 * than `burst + 1` intervals ahead of now. A refused request does not move the TAT.
 */
import type { GcraDecision, GcraLimit } from './shared-state.ts';

/** Guards the `remaining` division against 1.9999999 style rounding. */
const REMAINING_EPSILON = 1e-9;

/** The derived quantities of a limit and cost, validated once. */
export interface GcraPlan {
  /** Time between two requests at the sustained rate. */
  readonly emissionIntervalMs: number;
  /** How far this request pushes the TAT (cost × interval). */
  readonly incrementMs: number;
  /** How far ahead of now the TAT may be after an allowed request ((burst + 1) × interval). */
  readonly toleranceMs: number;
}

/** The outcome of one step: the decision, and the TAT to store (null: leave the key alone). */
export interface GcraStep {
  readonly decision: GcraDecision;
  readonly newTatMs: number | null;
  /** Milliseconds until the key is idle again (the TAT is in the past); the key's TTL. */
  readonly idleInMs: number;
}

/**
 * Validates a limit and a cost and derives the plan.
 * @throws RangeError on a non-positive count/period/cost, a negative burst, or a cost that could
 *   never be allowed (cost > burst + 1).
 */
export function planGcra(limit: GcraLimit, cost = 1): GcraPlan {
  assertPositive('count', limit.count);
  assertPositive('periodMs', limit.periodMs);
  assertPositive('cost', cost);
  if (!Number.isFinite(limit.burst) || limit.burst < 0) {
    throw new RangeError(`gcra: burst must be a finite number >= 0, got ${limit.burst}`);
  }
  if (cost > limit.burst + 1) {
    throw new RangeError(`gcra: cost ${cost} exceeds burst + 1 (${limit.burst + 1}); it could never be allowed`);
  }
  const emissionIntervalMs = limit.periodMs / limit.count;
  return {
    emissionIntervalMs,
    incrementMs: emissionIntervalMs * cost,
    toleranceMs: emissionIntervalMs * (limit.burst + 1),
  };
}

/** One GCRA decision from the stored TAT (null when the key is absent or expired). */
export function stepGcra(storedTatMs: number | null, plan: GcraPlan, nowMs: number): GcraStep {
  if (!Number.isFinite(nowMs)) throw new RangeError(`gcra: nowMs must be finite, got ${nowMs}`);
  const tat = storedTatMs !== null && storedTatMs > nowMs ? storedTatMs : nowMs;
  const newTat = tat + plan.incrementMs;
  const allowAt = newTat - plan.toleranceMs;
  const diff = nowMs - allowAt;
  if (diff < 0) {
    return { decision: { allowed: false, retryAfterMs: Math.ceil(-diff), remaining: 0 }, newTatMs: null, idleInMs: 0 };
  }
  const remaining = Math.floor(diff / plan.emissionIntervalMs + REMAINING_EPSILON);
  return {
    decision: { allowed: true, retryAfterMs: 0, remaining },
    newTatMs: newTat,
    idleInMs: Math.ceil(newTat - nowMs),
  };
}

function assertPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`gcra: ${name} must be a finite number > 0, got ${value}`);
  }
}
