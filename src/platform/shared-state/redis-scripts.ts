/**
 * The Lua scripts behind the operations that must be atomic in Redis, each run with EVALSHA in
 * one round trip (EVAL once if the server's script cache was flushed, e.g. after a restart).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Lua script and its SHA1, as Redis caches it. */
export interface LuaScript {
  readonly source: string;
  readonly sha1: string;
}

function defineScript(source: string): LuaScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

/**
 * GCRA step; mirrors stepGcra() in gcra.ts operation for operation, so both implementations
 * round identically. KEYS[1] = key; ARGV = nowMs, emissionIntervalMs, incrementMs, toleranceMs.
 * Stores the new TAT with %.17g (exact double round trip) and PX = time until the key is idle.
 * Returns { allowed (0|1), retryAfterMs, remaining }.
 */
export const GCRA_SCRIPT = defineScript(`
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local increment = tonumber(ARGV[3])
local tolerance = tonumber(ARGV[4])
local tat = now
local stored = redis.call('GET', KEYS[1])
if stored then
  local storedTat = tonumber(stored)
  if storedTat and storedTat > now then tat = storedTat end
end
local newTat = tat + increment
local allowAt = newTat - tolerance
local diff = now - allowAt
if diff < 0 then
  return { 0, math.ceil(-diff), 0 }
end
local remaining = math.floor(diff / interval + 1e-9)
redis.call('SET', KEYS[1], string.format('%.17g', newTat), 'PX', string.format('%d', math.ceil(newTat - now)))
return { 1, 0, remaining }
`);

/** KEYS[1] = key; ARGV = holder, ttlMs. Returns 1 when the holder's lease was extended. */
export const RENEW_IF_HOLDER_SCRIPT = defineScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`);

/** KEYS[1] = key; ARGV = holder. Returns 1 when the holder's lease was deleted. */
export const DELETE_IF_HOLDER_SCRIPT = defineScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

function isNoScriptError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/** Runs a script on one key: EVALSHA, falling back to EVAL when the script is not cached. */
export async function runScript(
  redis: Redis,
  script: LuaScript,
  key: string,
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha1, 1, key, ...args);
  } catch (error) {
    if (!isNoScriptError(error)) throw error;
    return redis.eval(script.source, 1, key, ...args);
  }
}
