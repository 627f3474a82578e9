/**
 * Redis SharedState, for several nodes. Built to fail fast rather than queue: no offline queue,
 * one retry per request, a command timeout, so that when Redis is down every call rejects quickly
 * with SharedStateUnavailableError and the caller (see resilient.ts) can fall back. The client
 * reconnects by itself with capped, jittered backoff.
 *
 * Two connections: one for commands, one (duplicated) in subscriber mode shared by every
 * subscription, with fan-out by channel in JS. `keyPrefix` is applied to every key and channel.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { SharedStateUnavailableError } from './errors.ts';
import { planGcra } from './gcra.ts';
import {
  DELETE_IF_HOLDER_SCRIPT,
  GCRA_SCRIPT,
  RENEW_IF_HOLDER_SCRIPT,
  runScript,
} from './redis-scripts.ts';
import type { GcraDecision, GcraLimit, SharedState, Unsubscribe } from './shared-state.ts';
import { assertIntegerIncrement, deliverToAll, toOptionalTtlMs, toTtlMs } from './validation.ts';

const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
const DEFAULT_COMMAND_TIMEOUT_MS = 1_000;
const RECONNECT_BASE_MS = 100;
const RECONNECT_CAP_MS = 2_000;

/** Redis replies that mean "not serving right now" rather than "your call was wrong". */
const UNAVAILABLE_REPLY_PREFIXES = ['LOADING', 'BUSY', 'MASTERDOWN', 'READONLY', 'TRYAGAIN', 'CLUSTERDOWN', 'OOM'];

/** Options of createRedisState. */
export interface RedisStateOptions {
  /** redis:// or rediss:// URL; its password never appears in error messages. */
  url: string;
  /** Prepended to every key and channel, e.g. 'preau:' (default ''). */
  keyPrefix?: string;
  /** Deadline to become ready at creation, and per-attempt TCP connect timeout (default 2 s). */
  connectTimeoutMs?: number;
  /** A command without a reply by then rejects as unavailable (default 1 s). */
  commandTimeoutMs?: number;
  /** Told about connection errors (for logs); they are otherwise swallowed while reconnecting. */
  onConnectionError?: (error: Error) => void;
}

type MessageHandler = (message: string) => void;

interface ChannelEntry {
  readonly handlers: Set<MessageHandler>;
  /** Settles when Redis has confirmed the SUBSCRIBE. */
  readonly attached: Promise<unknown>;
}

/** Everything the methods of one Redis state share. */
interface RedisContext {
  readonly client: Redis;
  readonly subscriber: Redis;
  readonly prefix: string;
  readonly safeUrl: string;
  readonly channels: Map<string, ChannelEntry>;
  isClosed: boolean;
}

/**
 * Connects to Redis and returns a SharedState (kind 'redis') once both connections are ready.
 * @throws SharedStateUnavailableError naming the URL (password redacted) when Redis is not ready
 *   within connectTimeoutMs; both connections are then closed.
 */
export async function createRedisState(opts: RedisStateOptions): Promise<SharedState> {
  const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const safeUrl = redactUrl(opts.url);
  const client = new Redis(opts.url, clientOptions(connectTimeoutMs, opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS));
  const subscriber = client.duplicate();
  for (const connection of [client, subscriber]) {
    connection.on('error', (error: Error) => opts.onConnectionError?.(error));
  }
  try {
    await Promise.all([
      waitUntilReady(client, connectTimeoutMs, safeUrl),
      waitUntilReady(subscriber, connectTimeoutMs, safeUrl),
    ]);
  } catch (error) {
    client.disconnect();
    subscriber.disconnect();
    throw error;
  }
  const context: RedisContext = { client, subscriber, prefix: opts.keyPrefix ?? '', safeUrl, channels: new Map(), isClosed: false };
  subscriber.on('message', (channel: string, message: string) => dispatchMessage(context, channel, message));
  return buildRedisState(context);
}

function clientOptions(connectTimeoutMs: number, commandTimeoutMs: number): RedisOptions {
  return {
    connectTimeout: connectTimeoutMs,
    commandTimeout: commandTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    autoResubscribe: true,
    retryStrategy: reconnectDelayMs,
  };
}

/** Exponential backoff capped at RECONNECT_CAP_MS, with jitter so nodes do not reconnect in step. */
function reconnectDelayMs(attempt: number): number {
  const base = Math.min(RECONNECT_BASE_MS * 2 ** Math.max(0, attempt - 1), RECONNECT_CAP_MS);
  return Math.round(base * (0.8 + Math.random() * 0.2));
}

/** The URL with its password replaced by '***', safe for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable Redis URL)';
  }
}

/** Resolves on 'ready'; rejects at the deadline with the last connection error in the message. */
function waitUntilReady(connection: Redis, timeoutMs: number, safeUrl: string): Promise<void> {
  if (connection.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    let lastError: Error | undefined;
    const onError = (error: Error): void => {
      lastError = error;
    };
    const onReady = (): void => {
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      const reason = lastError ? `: ${lastError.message}` : '';
      reject(new SharedStateUnavailableError(`Redis at ${safeUrl} not ready within ${timeoutMs} ms${reason}`, { cause: lastError }));
    }, timeoutMs);
    function cleanup(): void {
      clearTimeout(timer);
      connection.off('ready', onReady);
      connection.off('error', onError);
    }
    connection.on('ready', onReady);
    connection.on('error', onError);
  });
}

function isUnavailableReply(error: Error): boolean {
  return UNAVAILABLE_REPLY_PREFIXES.some((prefix) => error.message.startsWith(prefix));
}

/** Redis reply errors (WRONGTYPE, a Lua error…) are bugs and pass through; the rest is "unavailable". */
function toStoreError(error: unknown, context: RedisContext): unknown {
  if (error instanceof Error && error.name === 'ReplyError' && !isUnavailableReply(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new SharedStateUnavailableError(`Redis at ${context.safeUrl} unavailable: ${detail}`, { cause: error });
}

/** Runs one Redis call, translating connection failures into SharedStateUnavailableError. */
async function guarded<T>(context: RedisContext, call: () => Promise<T>): Promise<T> {
  if (context.isClosed) throw new SharedStateUnavailableError(`Redis state for ${context.safeUrl} is closed`);
  try {
    return await call();
  } catch (error) {
    throw toStoreError(error, context);
  }
}

function buildRedisState(context: RedisContext): SharedState {
  const { client, prefix } = context;
  const run = <T>(call: () => Promise<T>): Promise<T> => guarded(context, call);
  return {
    kind: 'redis',
    get: (key) => run(() => client.get(prefix + key)),
    set: async (key, value, ttlMs) => {
      const ttl = toOptionalTtlMs(ttlMs);
      await run(() => (ttl === undefined ? client.set(prefix + key, value) : client.set(prefix + key, value, 'PX', ttl)));
    },
    setIfAbsent: async (key, value, ttlMs) => {
      const ttl = toTtlMs(ttlMs);
      return (await run(() => client.set(prefix + key, value, 'PX', ttl, 'NX'))) === 'OK';
    },
    renewIfHolder: async (key, value, ttlMs) => {
      const ttl = toTtlMs(ttlMs);
      return (await run(() => runScript(client, RENEW_IF_HOLDER_SCRIPT, prefix + key, [value, ttl]))) === 1;
    },
    deleteIfHolder: async (key, value) =>
      (await run(() => runScript(client, DELETE_IF_HOLDER_SCRIPT, prefix + key, [value]))) === 1,
    del: async (key) => {
      await run(() => client.del(prefix + key));
    },
    incrBy: (key, by, ttlMs) => incrementCounter(context, key, by, ttlMs),
    hIncrMany: (key, increments, ttlMs) => incrementHash(context, key, increments, ttlMs),
    hGetAll: async (key) => toNumberRecord(await run(() => client.hgetall(prefix + key))),
    gcra: (key, limit, nowMs, cost) => applyGcra(context, key, limit, nowMs, cost),
    publish: async (channel, message) => {
      await run(() => client.publish(prefix + channel, message));
    },
    subscribe: (channel, onMessage) => subscribe(context, prefix + channel, onMessage),
    isHealthy: () => !context.isClosed && client.status === 'ready',
    close: () => close(context),
  };
}

/** Unwraps EXEC results, rethrowing the first per-command error. */
function execResults(results: [Error | null, unknown][] | null): unknown[] {
  if (results === null) throw new Error('shared-state (redis): transaction aborted');
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

/** INCRBY (+ PEXPIRE when ttlMs is given) in one MULTI round trip. */
async function incrementCounter(context: RedisContext, key: string, by: number, ttlMs: number | undefined): Promise<number> {
  assertIntegerIncrement(by);
  const ttl = toOptionalTtlMs(ttlMs);
  const fullKey = context.prefix + key;
  const results = await guarded(context, async () => {
    const transaction = context.client.multi().incrby(fullKey, by);
    if (ttl !== undefined) transaction.pexpire(fullKey, ttl);
    return execResults(await transaction.exec());
  });
  return Number(results[0]);
}

/** One HINCRBY per field (+ PEXPIRE) in one MULTI round trip. */
async function incrementHash(
  context: RedisContext,
  key: string,
  increments: Readonly<Record<string, number>>,
  ttlMs: number | undefined,
): Promise<void> {
  const pairs = Object.entries(increments);
  for (const [, by] of pairs) assertIntegerIncrement(by);
  const ttl = toOptionalTtlMs(ttlMs);
  if (pairs.length === 0) return;
  const fullKey = context.prefix + key;
  await guarded(context, async () => {
    const transaction = context.client.multi();
    for (const [field, by] of pairs) transaction.hincrby(fullKey, field, by);
    if (ttl !== undefined) transaction.pexpire(fullKey, ttl);
    return execResults(await transaction.exec());
  });
}

function toNumberRecord(hash: Record<string, string>): Record<string, number> {
  return Object.fromEntries(Object.entries(hash).map(([field, value]) => [field, Number(value)]));
}

async function applyGcra(
  context: RedisContext,
  key: string,
  limit: GcraLimit,
  nowMs: number,
  cost: number | undefined,
): Promise<GcraDecision> {
  const plan = planGcra(limit, cost);
  if (!Number.isFinite(nowMs)) throw new RangeError(`gcra: nowMs must be finite, got ${nowMs}`);
  const args = [nowMs, plan.emissionIntervalMs, plan.incrementMs, plan.toleranceMs].map(String);
  const reply = await guarded(context, () => runScript(context.client, GCRA_SCRIPT, context.prefix + key, args));
  return parseGcraReply(reply);
}

function parseGcraReply(reply: unknown): GcraDecision {
  if (!Array.isArray(reply) || reply.length !== 3 || !reply.every((item) => typeof item === 'number')) {
    throw new Error(`shared-state (redis): unexpected GCRA reply ${JSON.stringify(reply)}`);
  }
  const [allowed, retryAfterMs, remaining] = reply as [number, number, number];
  return { allowed: allowed === 1, retryAfterMs, remaining };
}

function dispatchMessage(context: RedisContext, channel: string, message: string): void {
  const entry = context.channels.get(channel);
  if (entry) deliverToAll([...entry.handlers], message);
}

/** Adds a handler; the first handler of a channel sends SUBSCRIBE on the shared connection. */
async function subscribe(context: RedisContext, channel: string, onMessage: MessageHandler): Promise<Unsubscribe> {
  // Wrap so that subscribing the same function twice yields two independent subscriptions.
  const handler: MessageHandler = (message) => onMessage(message);
  let entry = context.channels.get(channel);
  if (!entry) {
    entry = { handlers: new Set(), attached: guarded(context, () => context.subscriber.subscribe(channel)) };
    context.channels.set(channel, entry);
  }
  entry.handlers.add(handler);
  try {
    await entry.attached;
  } catch (error) {
    removeHandler(context, channel, entry, handler);
    throw error;
  }
  return async () => {
    if (!removeHandler(context, channel, entry, handler)) return;
    // Local delivery has stopped already; if Redis is unreachable the server-side subscription
    // lingers harmlessly (messages for it find no handler).
    await context.subscriber.unsubscribe(channel).catch(() => undefined);
  };
}

/** Removes a handler; true when it was the channel's last one (the entry is then dropped). */
function removeHandler(context: RedisContext, channel: string, entry: ChannelEntry, handler: MessageHandler): boolean {
  if (!entry.handlers.delete(handler) || entry.handlers.size > 0) return false;
  if (context.channels.get(channel) !== entry) return false;
  context.channels.delete(channel);
  return true;
}

async function close(context: RedisContext): Promise<void> {
  if (context.isClosed) return;
  context.isClosed = true;
  context.channels.clear();
  await Promise.all([quitOrDisconnect(context.client), quitOrDisconnect(context.subscriber)]);
}

/** QUIT politely when connected; otherwise just stop reconnecting. */
async function quitOrDisconnect(connection: Redis): Promise<void> {
  if (connection.status !== 'ready') {
    connection.disconnect();
    return;
  }
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  }
}
