/**
 * Public entry point of the shared-state layer: pick the implementation from config.
 */
import { createMemoryState } from './memory.ts';
import { createRedisState } from './redis.ts';
import { withFallback } from './resilient.ts';
import type { SharedState } from './shared-state.ts';

export type { GcraDecision, GcraLimit, SharedState, Unsubscribe } from './shared-state.ts';
export { SharedStateUnavailableError, isUnavailableError } from './errors.ts';
export { createMemoryState, type MemoryState, type MemoryStateOptions } from './memory.ts';
export { createRedisState, redactUrl, type RedisStateOptions } from './redis.ts';
export { withFallback, type FallbackOptions, type FallbackState } from './resilient.ts';

/** Options of createSharedState. */
export interface SharedStateOptions {
  /** null: embedded mode, in-process state. A URL: Redis, shared by every node. */
  redisUrl: string | null;
  /** Prefix of every Redis key and channel (ignored in memory mode). */
  keyPrefix?: string;
  /**
   * With Redis, fall back to per-node memory while Redis is down (default true). Set to false to
   * get the bare Redis state, whose calls then reject with SharedStateUnavailableError.
   */
  fallbackToMemory?: boolean;
  /** Told when calls switch to (true) or back from (false) the memory fallback; for logs/metrics. */
  onFallbackSwitch?: (usingFallback: boolean) => void;
}

/**
 * Creates the node's SharedState: memory when `redisUrl` is null, otherwise Redis (by default
 * wrapped with a memory fallback, see resilient.ts).
 * @throws SharedStateUnavailableError when Redis is configured but unreachable at boot: a wrong
 *   URL should stop the deployment rather than silently run every node alone.
 */
export async function createSharedState(opts: SharedStateOptions): Promise<SharedState> {
  if (opts.redisUrl === null) return createMemoryState();
  const redis = await createRedisState({ url: opts.redisUrl, keyPrefix: opts.keyPrefix });
  if (opts.fallbackToMemory === false) return redis;
  return withFallback(redis, createMemoryState(), opts.onFallbackSwitch);
}
