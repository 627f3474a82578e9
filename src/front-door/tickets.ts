/**
 * Signed waiting-room tickets and admitted passes. The ticket IS the person's place in line: the
 * server stores nothing per waiting person. Both are `body.kid.mac` tokens from the Signer
 * (synchronous HMAC-SHA256, constant-time compare, every live key accepted during a rotation),
 * each under its own derived key so that a ticket can never pass as a pass or vice versa.
 *
 *   ticket: v1|lane|tArr|exp|bind|id      (tArr and exp in epoch milliseconds)
 *   pass:   a1|lane|iat|exp|bind
 *
 * `bind` is a soft binding: a short hash of the user agent and the client's network (/24 in IPv4,
 * /48 in IPv6), so a stolen cookie does not work from elsewhere, while a phone that changes
 * address inside its operator's block keeps its place.
 */
import { createHash } from 'node:crypto';
import type { Signer } from '../platform/crypto.ts';

/** Why a token was refused (for metrics and attack detection). */
export type RefusalReason = 'malformed' | 'forged' | 'expired' | 'transplanted';

/** A verified (or about to be signed) ticket. */
export interface Ticket {
  readonly lane: string;
  /** Arrival time (ms): the person's place in line. */
  readonly tArr: number;
  /** Expiry (ms); renewed while the person keeps polling. */
  readonly exp: number;
  readonly bind: string;
  /** Opaque identifier (node counter, or derived from a proof-of-work challenge). */
  readonly id: string;
}

/** A verified admitted pass. */
export interface Pass {
  readonly lane: string;
  /** When the person first entered (ms). */
  readonly iat: number;
  readonly exp: number;
  readonly bind: string;
}

/** The outcome of verifying a token. */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: RefusalReason };

const LANE_PATTERN = /^[a-z][a-z0-9-]{0,15}$/;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,24}$/;
const BIND_PATTERN = /^[A-Za-z0-9_-]{11}$/;

/** True when `name` can be used as a lane name (it travels inside tokens and field names). */
export function isValidLaneName(name: string): boolean {
  return LANE_PATTERN.test(name);
}

/**
 * The client's network for the soft binding: the /24 of an IPv4 address (IPv4-mapped IPv6
 * included), the /48 of an IPv6 address. Unparseable input is returned as is.
 */
export function networkOf(ip: string): string {
  const lastColon = ip.lastIndexOf(':');
  if (ip.includes('.')) {
    const v4 = lastColon >= 0 ? ip.slice(lastColon + 1) : ip;
    const lastDot = v4.lastIndexOf('.');
    return lastDot > 0 ? v4.slice(0, lastDot) : v4;
  }
  if (lastColon < 0) return ip;
  return ipv6Prefix48(ip);
}

function ipv6Prefix48(ip: string): string {
  const bare = ip.split('%')[0] ?? ip;
  const [head = '', tail] = bare.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : Math.max(0, 8 - headGroups.length - tailGroups.length);
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups];
  return groups
    .slice(0, 3)
    .map((g) => (Number.parseInt(g, 16) || 0).toString(16))
    .join(':');
}

/** The soft binding of a client: 11 base64url characters (66 bits) of SHA-256(ua, network). */
export function bindOf(userAgent: string, ip: string): string {
  return createHash('sha256').update(`${userAgent}\n${networkOf(ip)}`).digest('base64url').slice(0, 11);
}

function parseTime(raw: string | undefined): number | null {
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}

/**
 * A ticket's place in line (ms, fractional): its 100 ms arrival bucket, plus a tie-break spread
 * uniformly over the bucket by a hash of its id. Order is promised at 100 ms resolution; inside a
 * bucket the hash makes positions uniform by construction, which is what the histogram's
 * interpolation assumes (a burst of tickets minted in the same millisecond is spread, not admitted
 * as one block).
 */
export function positionOf(ticket: Pick<Ticket, 'tArr' | 'id'>): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < ticket.id.length; i++) h = Math.imul(h ^ ticket.id.charCodeAt(i), 0x01000193);
  // FNV-1a ends with a multiply, so ids minted in sequence would land close together: the
  // murmur3 finaliser spreads them over the whole bucket.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return Math.floor(ticket.tArr / 100) * 100 + ((h >>> 0) / 4294967296) * 100;
}

/** Options shared by both codecs. */
export interface CodecOptions {
  /** Lifetime of a freshly issued or renewed token. */
  ttlMs: number;
  /** Lanes that exist; a token naming another lane is refused. */
  lanes: readonly string[];
}

/** Issues and verifies waiting-room tickets (key purpose `ticket`). */
export class TicketCodec {
  private readonly signer: Signer;
  private readonly lanes: ReadonlySet<string>;

  constructor(
    root: Signer,
    private readonly options: CodecOptions,
  ) {
    this.signer = root.derive('ticket');
    this.lanes = new Set(options.lanes);
  }

  /** Lifetime of a ticket that is not renewed. */
  get ttlMs(): number {
    return this.options.ttlMs;
  }

  /** Signs a ticket. Deterministic: the same fields under the same key give the same token. */
  issue(ticket: Ticket): string {
    return this.signer.sign(`v1|${ticket.lane}|${ticket.tArr}|${ticket.exp}|${ticket.bind}|${ticket.id}`);
  }

  /** Verifies signature, shape, lane, expiry and binding, in that order. */
  verify(token: string, bind: string, nowMs: number): Checked<Ticket> {
    const body = this.signer.verify(token);
    if (body === null) return { ok: false, reason: 'forged' };
    const [version, lane = '', tArrRaw, expRaw, tokenBind = '', id = '', extra] = body.split('|');
    const tArr = parseTime(tArrRaw);
    const exp = parseTime(expRaw);
    const wellFormed =
      version === 'v1' && extra === undefined && this.lanes.has(lane) && tArr !== null && exp !== null && ID_PATTERN.test(id);
    if (!wellFormed || tArr === null || exp === null) return { ok: false, reason: 'malformed' };
    if (exp <= nowMs) return { ok: false, reason: 'expired' };
    if (tokenBind !== bind) return { ok: false, reason: 'transplanted' };
    return { ok: true, value: { lane, tArr, exp, bind: tokenBind, id } };
  }

  /** The same place with a later expiry, when less than half the lifetime remains; else null. */
  renewIfDue(ticket: Ticket, nowMs: number): { ticket: Ticket; token: string } | null {
    if (ticket.exp - nowMs > this.options.ttlMs / 2) return null;
    const renewed = { ...ticket, exp: nowMs + this.options.ttlMs };
    return { ticket: renewed, token: this.issue(renewed) };
  }
}

/** Issues and verifies admitted passes (key purpose `admission`). Checked with no I/O. */
export class PassCodec {
  private readonly signer: Signer;
  private readonly lanes: ReadonlySet<string>;

  constructor(
    root: Signer,
    private readonly options: CodecOptions,
  ) {
    this.signer = root.derive('admission');
    this.lanes = new Set(options.lanes);
  }

  /** Lifetime of a pass that is not renewed. */
  get ttlMs(): number {
    return this.options.ttlMs;
  }

  /** Signs a new pass valid for `ttlMs` from `nowMs`. */
  issue(lane: string, bind: string, nowMs: number, iat = nowMs): string {
    return this.signer.sign(`a1|${lane}|${iat}|${nowMs + this.options.ttlMs}|${bind}`);
  }

  /** Verifies signature, shape, lane, expiry and binding. */
  verify(token: string, bind: string, nowMs: number): Checked<Pass> {
    const body = this.signer.verify(token);
    if (body === null) return { ok: false, reason: 'forged' };
    const [version, lane = '', iatRaw, expRaw, tokenBind = '', extra] = body.split('|');
    const iat = parseTime(iatRaw);
    const exp = parseTime(expRaw);
    if (version !== 'a1' || extra !== undefined || !this.lanes.has(lane) || iat === null || exp === null) {
      return { ok: false, reason: 'malformed' };
    }
    if (exp <= nowMs) return { ok: false, reason: 'expired' };
    if (tokenBind !== bind || !BIND_PATTERN.test(tokenBind)) return { ok: false, reason: 'transplanted' };
    return { ok: true, value: { lane, iat, exp, bind: tokenBind } };
  }

  /** A renewed pass when less than half its lifetime remains (activity keeps it alive), else null. */
  renewIfDue(pass: Pass, nowMs: number): string | null {
    if (pass.exp - nowMs > this.options.ttlMs / 2) return null;
    return this.issue(pass.lane, pass.bind, nowMs, pass.iat);
  }
}
