/**
 * Attack mode: before minting a ticket, a newcomer must solve a stateless, signed proof-of-work
 * challenge. Nothing is stored per challenge on the server (one HMAC and one SHA-256 verify it).
 *
 *   challenge: c1|iat|bits|bind|lane|seed  signed with Signer.derive('pow')  →  body.kid.mac
 *   solution:  a decimal counter such that SHA-256(challenge ‖ counter) has `bits` leading zero bits
 *
 * The signed issue time becomes the ticket's arrival time, so a slow phone loses no place while it
 * solves; the ticket is a pure function of the challenge, so replaying a solution yields the same
 * ticket (the same place), never a new one. PoW does not stop bots (native code hashes 10⁴× faster
 * than a phone); it prices floods. Ticket, pass and session holders never see it.
 *
 * Difficulty: we assume a slow phone hashes 50 000 SHA-256/s in the inline Web Worker (pure JS on
 * an entry-level Cortex-A53; desktops do 1–5 M/s). At 16 bits the number of tries is geometric
 * with mean 65 536: median ln2·2¹⁶ ≈ 45 400 tries ≈ 0.9 s, p95 ≈ 196 000 ≈ 3.9 s.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Signer } from '../platform/crypto.ts';
import type { Checked, Ticket } from './tickets.ts';

/** Default difficulty: median ≈ 0.9 s at 50 kH/s (see above). */
export const DEFAULT_POW_BITS = 16;

/** A verified challenge. */
export interface SolvedChallenge {
  lane: string;
  /** Signed issue time: the arrival time of the ticket it yields. */
  iat: number;
  bits: number;
  bind: string;
  /** The challenge's MAC: identifies it (replay filter, ticket id). */
  mac: string;
}

/** Options of the proof-of-work codec. */
export interface PowOptions {
  bits: number;
  /** How long a challenge may be redeemed after its issue (a slow phone needs seconds, not minutes). */
  ttlMs: number;
}

/** Leading zero bits of a digest. */
export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

const COUNTER_PATTERN = /^\d{1,15}$/;

/** Issues and verifies stateless proof-of-work challenges. */
export class ProofOfWork {
  private readonly signer: Signer;

  constructor(
    root: Signer,
    private readonly options: PowOptions,
  ) {
    this.signer = root.derive('pow');
  }

  /** Difficulty of new challenges. */
  get bits(): number {
    return this.options.bits;
  }

  /** A new challenge for a client (bound like tickets) in a lane. */
  issue(lane: string, bind: string, nowMs: number, bits = this.options.bits): string {
    return this.signer.sign(`c1|${nowMs}|${bits}|${bind}|${lane}|${randomBytes(6).toString('base64url')}`);
  }

  /** Verifies a solution: signature, freshness, binding, then one SHA-256. */
  verify(challenge: string, counter: string, bind: string, nowMs: number): Checked<SolvedChallenge> {
    const body = this.signer.verify(challenge);
    if (body === null) return { ok: false, reason: 'forged' };
    const [version, iatRaw = '', bitsRaw = '', challengeBind, lane = '', seed, extra] = body.split('|');
    const iat = Number(iatRaw);
    const bits = Number(bitsRaw);
    if (version !== 'c1' || seed === undefined || extra !== undefined || !/^\d{1,15}$/.test(iatRaw) || !/^\d{1,2}$/.test(bitsRaw)) {
      return { ok: false, reason: 'malformed' };
    }
    if (!COUNTER_PATTERN.test(counter)) return { ok: false, reason: 'malformed' };
    if (iat + this.options.ttlMs <= nowMs || iat > nowMs + 5_000) return { ok: false, reason: 'expired' };
    if (challengeBind !== bind) return { ok: false, reason: 'transplanted' };
    const digest = createHash('sha256').update(challenge).update(counter).digest();
    if (leadingZeroBits(digest) < bits) return { ok: false, reason: 'forged' };
    return { ok: true, value: { lane, iat, bits, bind, mac: challenge.slice(challenge.lastIndexOf('.') + 1) } };
  }
}

/** The ticket a solved challenge yields: a pure function of the challenge (replay → same ticket). */
export function ticketFromChallenge(solved: SolvedChallenge, ticketTtlMs: number): Ticket {
  return { lane: solved.lane, tArr: solved.iat, exp: solved.iat + ticketTtlMs, bind: solved.bind, id: `p${solved.mac.slice(0, 12)}` };
}

/** Finds a solution with node:crypto (tests, benchmarks, API clients' reference). */
export function solveChallenge(challenge: string, bits: number, maxTries = 1 << 26): string | null {
  const prefix = createHash('sha256').update(challenge);
  for (let n = 0; n < maxTries; n++) {
    const counter = String(n);
    if (leadingZeroBits(prefix.copy().update(counter).digest()) >= bits) return counter;
  }
  return null;
}

/**
 * Remembers recently redeemed challenges in a fixed-size two-generation Bloom filter, so that a
 * replayed solution still gets its (same) ticket but is not counted again as an arrival: replays
 * must not inflate the crowd the frontier has to pass. Fixed memory (2 × 128 KiB), no per-person
 * growth; a false positive only skips one count in the histogram.
 */
export class ReplayFilter {
  private current = new Uint8Array(1 << 17);
  private previous = new Uint8Array(1 << 17);
  private rotatedAt: number;

  constructor(
    private readonly generationMs: number,
    nowMs: number,
  ) {
    this.rotatedAt = nowMs;
  }

  /** True when `id` (a base64url MAC) was seen in the last one or two generations; records it. */
  seen(id: string, nowMs: number): boolean {
    if (nowMs - this.rotatedAt >= this.generationMs) {
      this.previous = this.current;
      this.current = new Uint8Array(1 << 17);
      this.rotatedAt = nowMs;
    }
    const bytes = Buffer.from(id.slice(0, 16), 'base64url');
    const positions = [0, 4, 8].map((o) => (bytes.length >= o + 4 ? bytes.readUInt32BE(o) : 0) & ((1 << 20) - 1));
    const isIn = (set: Uint8Array): boolean => positions.every((p) => ((set[p >> 3] ?? 0) & (1 << (p & 7))) !== 0);
    const wasSeen = isIn(this.current) || isIn(this.previous);
    for (const p of positions) this.current[p >> 3]! |= 1 << (p & 7);
    return wasSeen;
  }
}

/**
 * When automatic attack mode switches on and off, from one sample per second. A second is
 * *spiky* when invalid tokens (forged, edited, transplanted: expired ones are ordinary) reach
 * `invalidPerSecond`, or when arrivals exceed both `arrivalsPerSecond` and `arrivalsOverCapacity`
 * times the measured capacity (the admission budget): the 9:00 step of a whole region is an
 * ordinary 10–100× surge and must not ask every phone for a puzzle. Hysteresis, so that it is not
 * twitchy: on once `enterShare` of the seconds of the last `enterAfterMs` were spiky (a sustained
 * flood, not a burst); off only after `leaveAfterMs` without a spiky second and at least `minOnMs`
 * after it went on.
 */
export interface AttackTriggerOptions {
  invalidPerSecond: number;
  arrivalsPerSecond: number;
  arrivalsOverCapacity: number;
  enterAfterMs: number;
  enterShare: number;
  leaveAfterMs: number;
  minOnMs: number;
}

export const DEFAULT_ATTACK_TRIGGER: AttackTriggerOptions = {
  invalidPerSecond: 50,
  arrivalsPerSecond: 2_000,
  arrivalsOverCapacity: 100,
  enterAfterMs: 10_000,
  enterShare: 0.7,
  leaveAfterMs: 60_000,
  minOnMs: 180_000,
};

/** One second of evidence. */
export interface AttackSample {
  invalid: number;
  arrivals: number;
  /** Entries per second the platform can take now (the admission budget). */
  capacity: number;
}

/** The hysteresis state machine (pure; driven once per second, by the leader or a node). */
export class AttackTrigger {
  private readonly spiky = new Map<number, boolean>();
  private onSince: number | null = null;
  private lastSpikyAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly o: AttackTriggerOptions = DEFAULT_ATTACK_TRIGGER) {}

  /** Is this second spiky? */
  isSpike(s: AttackSample): boolean {
    const floodLevel = Math.max(this.o.arrivalsPerSecond, this.o.arrivalsOverCapacity * Math.max(0, s.capacity));
    return s.invalid >= this.o.invalidPerSecond || s.arrivals > floodLevel;
  }

  /** Records the sample of the second `second` (epoch seconds; a second seen again is replaced) and returns the state. */
  observe(second: number, sample: AttackSample): boolean {
    const isSpiky = this.isSpike(sample);
    this.spiky.set(second, isSpiky);
    const nowMs = (second + 1) * 1000;
    if (isSpiky) this.lastSpikyAt = Math.max(this.lastSpikyAt, nowMs);
    const windowSeconds = Math.max(1, Math.round(this.o.enterAfterMs / 1000));
    for (const s of this.spiky.keys()) if (s <= second - windowSeconds) this.spiky.delete(s);
    if (this.onSince === null) {
      let count = 0;
      for (let s = second - windowSeconds + 1; s <= second; s++) if (this.spiky.get(s)) count++;
      if (count >= Math.ceil(this.o.enterShare * windowSeconds)) this.onSince = nowMs;
    } else if (nowMs - this.onSince >= this.o.minOnMs && nowMs - this.lastSpikyAt >= this.o.leaveAfterMs) {
      this.onSince = null;
    }
    return this.onSince !== null;
  }

  isOn(): boolean {
    return this.onSince !== null;
  }
}

/** Thresholds of the node-local detector: the trigger's, for this node's own counts. */
export type DetectorOptions = AttackTriggerOptions;

/**
 * Node-local detector, so that a node reacts without waiting for the leader (and in degraded
 * mode, alone): it counts invalid tokens and minted tickets per second and feeds each completed
 * second to its own AttackTrigger. `capacity` is this node's share of the admission budget.
 */
export class AttackDetector {
  private readonly trigger: AttackTrigger;
  private second = Number.NaN;
  private invalid = 0;
  private mints = 0;

  constructor(
    o: Partial<DetectorOptions> = {},
    private readonly capacity: () => number = () => 0,
  ) {
    this.trigger = new AttackTrigger({ ...DEFAULT_ATTACK_TRIGGER, ...o });
  }

  /** Counts an invalid token. */
  noteInvalid(nowMs: number): void {
    this.roll(nowMs);
    this.invalid++;
  }

  /** Counts a minted ticket. */
  noteMint(nowMs: number): void {
    this.roll(nowMs);
    this.mints++;
  }

  /** True while the trigger is on. */
  isSuspicious(nowMs: number): boolean {
    this.roll(nowMs);
    return this.trigger.isOn();
  }

  private roll(nowMs: number): void {
    const sec = Math.floor(nowMs / 1000);
    if (sec === this.second) return;
    if (Number.isNaN(this.second) || sec < this.second) {
      this.second = sec;
      return;
    }
    const capacity = this.capacity();
    this.trigger.observe(this.second, { invalid: this.invalid, arrivals: this.mints, capacity });
    // Quiet seconds in between (nobody counted anything) are calm evidence too; a long gap needs
    // no more than the leave window's worth of them.
    const gap = Math.min(sec - this.second - 1, 600);
    for (let s = sec - gap; s < sec; s++) this.trigger.observe(s, { invalid: 0, arrivals: 0, capacity });
    this.second = sec;
    this.invalid = 0;
    this.mints = 0;
  }
}
