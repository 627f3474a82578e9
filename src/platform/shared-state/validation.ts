/**
 * Argument checks shared by both implementations, so that a bad call fails the same way (with a
 * RangeError, before any I/O) whether the store is in memory or in Redis.
 */

/** Validates a TTL and rounds it up to whole milliseconds (Redis PX takes integers). */
export function toTtlMs(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`shared-state: ttlMs must be a finite number > 0, got ${ttlMs}`);
  }
  return Math.ceil(ttlMs);
}

/** Validates an optional TTL; undefined stays undefined (keep the current expiry). */
export function toOptionalTtlMs(ttlMs: number | undefined): number | undefined {
  return ttlMs === undefined ? undefined : toTtlMs(ttlMs);
}

/** Counters are integers, as in Redis INCRBY/HINCRBY. */
export function assertIntegerIncrement(by: number): void {
  if (!Number.isSafeInteger(by)) {
    throw new RangeError(`shared-state: increments must be safe integers, got ${by}`);
  }
}

/**
 * Calls each subscriber; one throwing handler neither stops the others nor crashes the process
 * (it is reported as a process warning).
 */
export function deliverToAll(handlers: Iterable<(message: string) => void>, message: string): void {
  for (const handler of handlers) {
    try {
      handler(message);
    } catch (error) {
      process.emitWarning(error instanceof Error ? error : String(error), 'SharedStateSubscriberError');
    }
  }
}
