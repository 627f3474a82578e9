/**
 * State that every node must agree on: waiting-room counters, rate-limit buckets, leases, and
 * pub/sub. One interface, two implementations: in-process (memory.ts, the embedded default) and
 * Redis (redis.ts, for many nodes). The contract suite (shared-state.contract.ts) runs against both.
 * Nothing here is per waiting person: keys are per lane, per time bucket, per rate-limited key.
 */
export interface GcraLimit {
  /** Sustained rate: this many requests… */
  count: number;
  /** …per this many milliseconds. */
  periodMs: number;
  /** Extra requests allowed at once on top of the steady rate (≥ 0). */
  burst: number;
}

export interface GcraDecision {
  allowed: boolean;
  /** When refused: milliseconds until one request would be allowed. 0 when allowed. */
  retryAfterMs: number;
  /** Requests still allowed right now after this one (≥ 0). */
  remaining: number;
}

export type Unsubscribe = () => Promise<void>;

export interface SharedState {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<string | null>;
  /** Sets a value, with an optional time to live. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets only when absent (a lease or a lock); true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Extends a lease only if `value` still holds it; true when extended. */
  renewIfHolder(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes only if `value` still holds it (releasing a lease); true when deleted. */
  deleteIfHolder(key: string, value: string): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Atomic increment; sets the TTL when given. Returns the new value. */
  incrBy(key: string, by: number, ttlMs?: number): Promise<number>;
  /** Adds many counters to a hash in one round trip (batched flush of local counts). */
  hIncrMany(key: string, increments: Readonly<Record<string, number>>, ttlMs?: number): Promise<void>;
  hGetAll(key: string): Promise<Record<string, number>>;
  /**
   * Generic Cell Rate Algorithm: one stored timestamp (the theoretical arrival time) per key,
   * updated atomically. `nowMs` comes from the caller's clock so tests can drive time.
   */
  gcra(key: string, limit: GcraLimit, nowMs: number, cost?: number): Promise<GcraDecision>;
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, onMessage: (message: string) => void): Promise<Unsubscribe>;
  /** True while the store answers; the Redis implementation tracks its connection. */
  isHealthy(): boolean;
  close(): Promise<void>;
}
