/**
 * The HTTP side of a simulated browser, on undici (the client Node's fetch is built on, used here
 * directly for its pooled keep-alive connections and per-request timeouts). Every call carries the
 * jar's cookies, the person's user agent and, when the server trusts a proxy, their address as
 * X-Forwarded-For; Set-Cookie goes back into the jar. Failures are classified, never thrown.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Agent, request } from 'undici';
import type { CookieJar } from './cookies.ts';

export type FailureKind = 'timeout' | 'connection' | 'http';

export interface Reply {
  status: number;
  /** 0 when no answer came (timeout or connection error). */
  ok: boolean;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  ms: number;
  failure: FailureKind | null;
  /** Error code for failures without an answer (UND_ERR_HEADERS_TIMEOUT, ECONNRESET…). */
  errorCode: string | null;
}

export interface Identity {
  jar: CookieJar;
  userAgent: string;
  /** Sent as X-Forwarded-For (only meaningful when the server runs with TRUST_PROXY). */
  ip: string | null;
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  json?: unknown;
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export function createAgent(connections: number): Agent {
  return new Agent({ connections, pipelining: 1, keepAliveTimeout: 30_000, connect: { timeout: 10_000 } });
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ABORT_ERR', 'UND_ERR_ABORTED']);

export async function call(agent: Agent, base: string, who: Identity, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { 'user-agent': who.userAgent, accept: 'application/json, text/html;q=0.9', 'accept-encoding': 'gzip, br', ...options.headers };
  const cookie = who.jar.header();
  if (cookie) headers['cookie'] = cookie;
  if (who.ip) headers['x-forwarded-for'] = who.ip;
  let body: string | Buffer | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  } else if (options.contentType) {
    headers['content-type'] = options.contentType;
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const start = performance.now();
  try {
    const res = await request(base + path, {
      dispatcher: agent,
      method: options.method ?? 'GET',
      headers,
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = decode(Buffer.from(await res.body.arrayBuffer()), res.headers['content-encoding']);
    who.jar.absorb(res.headers['set-cookie']);
    const status = res.statusCode;
    return { status, ok: status < 400, headers: res.headers, text, ms: performance.now() - start, failure: status >= 400 ? 'http' : null, errorCode: null };
  } catch (error) {
    const code = errorCodeOf(error);
    const failure: FailureKind = TIMEOUT_CODES.has(code) || code === 'TimeoutError' ? 'timeout' : 'connection';
    return { status: 0, ok: false, headers: {}, text: '', ms: performance.now() - start, failure, errorCode: code };
  }
}

/** The body as text, decompressed as a browser does (the dashboard answers compressed). */
function decode(bytes: Buffer, encoding: string | string[] | undefined): string {
  if (encoding === 'br') return brotliDecompressSync(bytes).toString();
  if (encoding === 'gzip') return gunzipSync(bytes).toString();
  return bytes.toString();
}

function errorCodeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'UNKNOWN';
  const e = error as { code?: unknown; name?: unknown; cause?: unknown };
  if (typeof e.code === 'string') return e.code;
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'TimeoutError';
  if (e.cause) return errorCodeOf(e.cause);
  return typeof e.name === 'string' ? e.name : 'UNKNOWN';
}

/** Parses a JSON body into `unknown` (null when it is not JSON). */
export function jsonOf(reply: Reply): unknown {
  try {
    return JSON.parse(reply.text) as unknown;
  } catch {
    return null;
  }
}

/** A property of an unknown JSON value, as unknown. */
export function field(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export const stringField = (value: unknown, ...keys: string[]): string | null => {
  const v = field(value, ...keys);
  return typeof v === 'string' ? v : null;
};

export const numberField = (value: unknown, ...keys: string[]): number | null => {
  const v = field(value, ...keys);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/** The error code of a Préau error body (`{ error: { code } }`). */
export const errorCodeOfBody = (reply: Reply): string | null => stringField(jsonOf(reply), 'error', 'code');
