/**
 * Keeps a node working while the shared store (Redis) is down, by routing calls to a per-node
 * fallback (memory). Degraded-mode policy, on purpose:
 * - rate limits (gcra) and counters become per-node: each node admits its own share, so the
 *   cluster-wide rate can be up to N× the limit with N nodes until Redis is back;
 * - leases (setIfAbsent/renewIfHolder/deleteIfHolder) become local: two nodes may both hold
 *   one; when Redis returns, a local lease is unknown there, so renewIfHolder says false and
 *   the holder must re-acquire;
 * - publish is dropped (cross-node messages are lost, not delayed);
 * - subscriptions that could not be attached are re-attached to the primary when it comes back
 *   (those attached before the outage are resubscribed by the Redis client itself).
 * A call whose connection dies mid-flight may have been applied by the primary and is then
 * applied again to the fallback: counters are approximate across an outage.
 * Only SharedStateUnavailableError (or an unhealthy primary) triggers the fallback; any other
 * error is a bug and is rethrown.
 */
import { isUnavailableError } from './errors.ts';
import type { SharedState, Unsubscribe } from './shared-state.ts';

const DEFAULT_HEALTH_CHECK_INTERVAL_MS = 1_000;

/** Options of withFallback. */
export interface FallbackOptions {
  /** How often the primary's health is polled to switch back and re-attach (default 1 s). */
  healthCheckIntervalMs?: number;
}

/** A SharedState that can tell whether it currently runs on its fallback. */
export interface FallbackState extends SharedState {
  /** True while calls go to the fallback (primary down): the node is in degraded mode. */
  isUsingFallback(): boolean;
}

type MessageHandler = (message: string) => void;

interface TrackedSubscription {
  readonly channel: string;
  readonly onMessage: MessageHandler;
  /** Unsubscribes from the primary; null while not attached. */
  detach: Unsubscribe | null;
  isAttaching: boolean;
  isActive: boolean;
}

/**
 * Wraps `primary` so that while it is unhealthy, or a call fails with a connection error, calls
 * go to `fallback` instead (see the policy above). `onSwitch(true)` is called when calls start
 * going to the fallback, `onSwitch(false)` when they return to the primary. close() closes both.
 */
export function withFallback(
  primary: SharedState,
  fallback: SharedState,
  onSwitch?: (usingFallback: boolean) => void,
  options: FallbackOptions = {},
): FallbackState {
  let usingFallback = false;
  const subscriptions = new Set<TrackedSubscription>();

  function setUsingFallback(value: boolean): void {
    if (value === usingFallback) return;
    usingFallback = value;
    onSwitch?.(value);
    if (!value) reattachPending();
  }

  function isPrimaryDown(error: unknown): boolean {
    return isUnavailableError(error) || !primary.isHealthy();
  }

  /** Calls the primary, or the fallback when the primary is down. */
  async function route<T>(call: (state: SharedState) => Promise<T>): Promise<T> {
    if (!primary.isHealthy()) {
      setUsingFallback(true);
      return call(fallback);
    }
    try {
      const result = await call(primary);
      setUsingFallback(false);
      return result;
    } catch (error) {
      if (!isPrimaryDown(error)) throw error;
      setUsingFallback(true);
      return call(fallback);
    }
  }

  async function publish(channel: string, message: string): Promise<void> {
    if (!primary.isHealthy()) {
      setUsingFallback(true);
      return;
    }
    try {
      await primary.publish(channel, message);
    } catch (error) {
      if (!isPrimaryDown(error)) throw error;
      setUsingFallback(true);
    }
  }

  /** Tries to attach to the primary; stays pending (retried later) if the primary is down. */
  async function attach(subscription: TrackedSubscription): Promise<void> {
    if (subscription.detach || subscription.isAttaching || !primary.isHealthy()) return;
    subscription.isAttaching = true;
    try {
      const detach = await primary.subscribe(subscription.channel, subscription.onMessage);
      if (subscription.isActive) subscription.detach = detach;
      else await detach();
    } catch (error) {
      if (!isPrimaryDown(error)) throw error;
    } finally {
      subscription.isAttaching = false;
    }
  }

  function reattachPending(): void {
    for (const subscription of subscriptions) {
      if (!subscription.detach) attach(subscription).catch(() => undefined);
    }
  }

  async function subscribe(channel: string, onMessage: MessageHandler): Promise<Unsubscribe> {
    const subscription: TrackedSubscription = { channel, onMessage, detach: null, isAttaching: false, isActive: true };
    subscriptions.add(subscription);
    try {
      await attach(subscription);
    } catch (error) {
      subscriptions.delete(subscription);
      throw error;
    }
    return async () => {
      subscription.isActive = false;
      subscriptions.delete(subscription);
      const detach = subscription.detach;
      subscription.detach = null;
      await detach?.();
    };
  }

  const healthTimer = setInterval(() => {
    setUsingFallback(!primary.isHealthy());
    if (primary.isHealthy()) reattachPending();
  }, options.healthCheckIntervalMs ?? DEFAULT_HEALTH_CHECK_INTERVAL_MS);
  healthTimer.unref();

  return {
    kind: primary.kind,
    get: (key) => route((state) => state.get(key)),
    set: (key, value, ttlMs) => route((state) => state.set(key, value, ttlMs)),
    setIfAbsent: (key, value, ttlMs) => route((state) => state.setIfAbsent(key, value, ttlMs)),
    renewIfHolder: (key, value, ttlMs) => route((state) => state.renewIfHolder(key, value, ttlMs)),
    deleteIfHolder: (key, value) => route((state) => state.deleteIfHolder(key, value)),
    del: (key) => route((state) => state.del(key)),
    incrBy: (key, by, ttlMs) => route((state) => state.incrBy(key, by, ttlMs)),
    hIncrMany: (key, increments, ttlMs) => route((state) => state.hIncrMany(key, increments, ttlMs)),
    hGetAll: (key) => route((state) => state.hGetAll(key)),
    gcra: (key, limit, nowMs, cost) => route((state) => state.gcra(key, limit, nowMs, cost)),
    publish,
    subscribe,
    isHealthy: () => primary.isHealthy() || fallback.isHealthy(),
    isUsingFallback: () => usingFallback,
    close: async () => {
      clearInterval(healthTimer);
      subscriptions.clear();
      await Promise.all([primary.close(), fallback.close()]);
    },
  };
}
