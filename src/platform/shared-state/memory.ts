/**
 * In-process SharedState: the embedded default, and the per-node fallback when Redis is down.
 * Behaves like the Redis implementation (same TTL rules, same GCRA arithmetic, asynchronous
 * pub/sub delivery) so that code tested against one works against the other.
 */
import { SharedStateUnavailableError } from './errors.ts';
import { planGcra, stepGcra } from './gcra.ts';
import type { GcraDecision, GcraLimit, SharedState, Unsubscribe } from './shared-state.ts';
import { assertIntegerIncrement, deliverToAll, toOptionalTtlMs, toTtlMs } from './validation.ts';

/** How often expired keys are swept when nobody reads them. */
const DEFAULT_SWEEP_INTERVAL_MS = 1_000;

type Entry =
  | { kind: 'string'; value: string; expiresAt: number | null }
  | { kind: 'hash'; fields: Map<string, number>; expiresAt: number | null }
  | { kind: 'tat'; tatMs: number; expiresAt: number };

type MessageHandler = (message: string) => void;

/** Options for tests and tuning; the defaults suit production. */
export interface MemoryStateOptions {
  /** Period of the background sweep of expired keys (default 1 s). */
  sweepIntervalMs?: number;
}

/** The in-process state, plus its size for metrics. */
export interface MemoryState extends SharedState {
  /** Number of stored keys, including expired ones not yet swept (memory footprint). */
  storedKeyCount(): number;
}

/**
 * Creates an in-process SharedState (kind 'memory'). TTLs are checked on read and by a periodic
 * sweep whose timer never keeps the process alive; close() stops it.
 */
export function createMemoryState(options: MemoryStateOptions = {}): MemoryState {
  const entries = new Map<string, Entry>();
  const channels = new Map<string, Set<MessageHandler>>();
  let closed = false;
  const sweepTimer = setInterval(() => sweepExpired(entries), options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
  sweepTimer.unref();

  /** Runs `fn` unless closed (then rejects like an unreachable Redis); throws become rejections. */
  function run<T>(fn: () => T): Promise<T> {
    try {
      if (closed) throw new SharedStateUnavailableError('shared-state (memory): store is closed');
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  function live(key: string): Entry | undefined {
    return readLive(entries, key);
  }

  return {
    kind: 'memory',
    get: (key) => run(() => readString(live(key), key)),
    set: (key, value, ttlMs) =>
      run(() => {
        entries.set(key, { kind: 'string', value, expiresAt: expiryFrom(toOptionalTtlMs(ttlMs)) });
      }),
    setIfAbsent: (key, value, ttlMs) =>
      run(() => {
        const expiresAt = Date.now() + toTtlMs(ttlMs);
        if (live(key)) return false;
        entries.set(key, { kind: 'string', value, expiresAt });
        return true;
      }),
    renewIfHolder: (key, value, ttlMs) =>
      run(() => {
        const expiresAt = Date.now() + toTtlMs(ttlMs);
        const entry = live(key);
        if (entry?.kind !== 'string' || entry.value !== value) return false;
        entry.expiresAt = expiresAt;
        return true;
      }),
    deleteIfHolder: (key, value) =>
      run(() => {
        const entry = live(key);
        if (entry?.kind !== 'string' || entry.value !== value) return false;
        entries.delete(key);
        return true;
      }),
    del: (key) =>
      run(() => {
        entries.delete(key);
      }),
    incrBy: (key, by, ttlMs) => run(() => incrementString(entries, key, by, toOptionalTtlMs(ttlMs))),
    hIncrMany: (key, increments, ttlMs) => run(() => incrementHash(entries, key, increments, toOptionalTtlMs(ttlMs))),
    hGetAll: (key) => run(() => readHash(live(key), key)),
    gcra: (key, limit, nowMs, cost) => run(() => applyGcra(entries, key, limit, nowMs, cost)),
    publish: (channel, message) => run(() => publishLocally(channels, channel, message)),
    subscribe: (channel, onMessage) => run(() => subscribeLocally(channels, channel, onMessage)),
    isHealthy: () => !closed,
    storedKeyCount: () => entries.size,
    close: () => {
      closed = true;
      clearInterval(sweepTimer);
      entries.clear();
      channels.clear();
      return Promise.resolve();
    },
  };
}

function expiryFrom(ttlMs: number | undefined): number | null {
  return ttlMs === undefined ? null : Date.now() + ttlMs;
}

function isExpired(entry: Entry, nowMs: number): boolean {
  return entry.expiresAt !== null && entry.expiresAt <= nowMs;
}

/** The entry if present and not expired; an expired entry is deleted on the way (lazy expiry). */
function readLive(entries: Map<string, Entry>, key: string): Entry | undefined {
  const entry = entries.get(key);
  if (entry && isExpired(entry, Date.now())) {
    entries.delete(key);
    return undefined;
  }
  return entry;
}

function sweepExpired(entries: Map<string, Entry>): void {
  const nowMs = Date.now();
  for (const [key, entry] of entries) {
    if (isExpired(entry, nowMs)) entries.delete(key);
  }
}

function wrongType(key: string, expected: string): Error {
  return new TypeError(`shared-state (memory): key "${key}" does not hold a ${expected}`);
}

function readString(entry: Entry | undefined, key: string): string | null {
  if (!entry) return null;
  if (entry.kind === 'string') return entry.value;
  if (entry.kind === 'tat') return String(entry.tatMs);
  throw wrongType(key, 'string');
}

function readHash(entry: Entry | undefined, key: string): Record<string, number> {
  if (!entry) return {};
  if (entry.kind !== 'hash') throw wrongType(key, 'hash');
  return Object.fromEntries(entry.fields);
}

function incrementString(entries: Map<string, Entry>, key: string, by: number, ttlMs: number | undefined): number {
  assertIntegerIncrement(by);
  const entry = readLive(entries, key);
  if (entry && entry.kind !== 'string') throw wrongType(key, 'string');
  const current = entry ? parseInteger(entry.value, key) : 0;
  const next = current + by;
  if (!Number.isSafeInteger(next)) throw new RangeError(`shared-state (memory): "${key}" would overflow`);
  const expiresAt = ttlMs === undefined ? (entry?.expiresAt ?? null) : Date.now() + ttlMs;
  entries.set(key, { kind: 'string', value: String(next), expiresAt });
  return next;
}

function parseInteger(value: string, key: string): number {
  if (!/^-?\d+$/.test(value)) throw new TypeError(`shared-state (memory): "${key}" does not hold an integer`);
  return Number(value);
}

function incrementHash(
  entries: Map<string, Entry>,
  key: string,
  increments: Readonly<Record<string, number>>,
  ttlMs: number | undefined,
): void {
  const pairs = Object.entries(increments);
  if (pairs.length === 0) return;
  for (const [, by] of pairs) assertIntegerIncrement(by);
  const entry = readLive(entries, key);
  if (entry && entry.kind !== 'hash') throw wrongType(key, 'hash');
  const fields = entry?.fields ?? new Map<string, number>();
  for (const [field, by] of pairs) fields.set(field, (fields.get(field) ?? 0) + by);
  const expiresAt = ttlMs === undefined ? (entry?.expiresAt ?? null) : Date.now() + ttlMs;
  entries.set(key, { kind: 'hash', fields, expiresAt });
}

function applyGcra(
  entries: Map<string, Entry>,
  key: string,
  limit: GcraLimit,
  nowMs: number,
  cost: number | undefined,
): GcraDecision {
  const plan = planGcra(limit, cost);
  const entry = readLive(entries, key);
  if (entry && entry.kind !== 'tat') throw wrongType(key, 'GCRA timestamp');
  const step = stepGcra(entry?.tatMs ?? null, plan, nowMs);
  if (step.newTatMs !== null) {
    entries.set(key, { kind: 'tat', tatMs: step.newTatMs, expiresAt: Date.now() + step.idleInMs });
  }
  return step.decision;
}

/** Queues delivery in a microtask, like a message arriving from Redis after publish returns. */
function publishLocally(channels: Map<string, Set<MessageHandler>>, channel: string, message: string): void {
  const handlers = channels.get(channel);
  if (!handlers || handlers.size === 0) return;
  const snapshot = [...handlers];
  queueMicrotask(() => {
    // A handler unsubscribed between publish and delivery no longer receives the message.
    deliverToAll(
      snapshot.filter((handler) => handlers.has(handler)),
      message,
    );
  });
}

function subscribeLocally(
  channels: Map<string, Set<MessageHandler>>,
  channel: string,
  onMessage: MessageHandler,
): Unsubscribe {
  // Wrap so that subscribing the same function twice yields two independent subscriptions.
  const handler: MessageHandler = (message) => onMessage(message);
  const handlers = channels.get(channel) ?? new Set<MessageHandler>();
  handlers.add(handler);
  channels.set(channel, handlers);
  return () => {
    handlers.delete(handler);
    if (handlers.size === 0 && channels.get(channel) === handlers) channels.delete(channel);
    return Promise.resolve();
  };
}
