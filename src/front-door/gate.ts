/**
 * The gate's decision for one request, synchronous and without I/O (the benchmark measures this
 * function). Cheapest and most common case first:
 *   1. a valid pass → continue (renewed when less than half its life remains);
 *   2. a valid active session (injected check: the identity pass of the last minutes) → continue,
 *      no queue, and an admission pass (only when it has none: a valid one is case 1), so that the
 *      person keeps going while the identity pass is being renewed;
 *   3. a valid ticket → enter if its position ≤ frontier(lane), else wait (renewed when due);
 *   4. a remembered session only (injected check: the 30-day session cookie, no active pass) →
 *      an arrival in the `returning` lane (the priority lane with a priority credential): straight
 *      in when the platform is not full and nobody waits in the lane, else a new ticket. Never a
 *      proof-of-work challenge, never the per-address mint limit (the signed session cookie is
 *      the proof, and a whole school sits behind one address at 9:00);
 *   5. a newcomer → in attack mode, a proof-of-work challenge; otherwise straight in when the
 *      platform is not full and nobody waits in the lane, else a new ticket (arrival = now).
 */
import type { GcraLimit } from '../platform/shared-state/shared-state.ts';
import type { Admission } from './admission.ts';
import { ticketFromChallenge, type AttackDetector, type ProofOfWork, type ReplayFilter } from './attack-mode.ts';
import { PASS_COOKIE, TICKET_COOKIE, readCookie } from './cookies.ts';
import { addressKey, type LocalGcra } from './rate-limits.ts';
import { bindOf, positionOf, type PassCodec, type RefusalReason, type Ticket, type TicketCodec } from './tickets.ts';

/** What the gate needs to know about a request. */
export interface GateRequest {
  cookieHeader: string | undefined;
  userAgent: string;
  ip: string;
  /** Injected, cheap, no I/O: a valid active session (identity pass of the last minutes): never queues. */
  hasActiveSession(): boolean;
  /** Injected, cheap, no I/O: a valid remembered session (long-lived cookie): queues in the returning lane when full. */
  hasRememberedSession(): boolean;
  /** Injected, cheap, no I/O: a signed priority claim (never a client-chosen header). */
  hasPriority(): boolean;
}

/** The gate's verdict. */
export type GateDecision =
  | { kind: 'pass'; lane: string; setPass: string | null }
  /**
   * An active session: continue, with an admission pass (`setPass`) so that it keeps going once its
   * identity pass lapses between two renewals (the identity pass is renewed only once expired).
   */
  | { kind: 'session'; setPass: string }
  | { kind: 'enter'; lane: string; setPass: string; via: 'ticket' | 'direct' }
  /** `ticket` is the (possibly renewed) ticket; `setTicket` its token when it must be (re)sent. */
  | { kind: 'wait'; ticket: Ticket; setTicket: string | null }
  | { kind: 'challenge'; lane: string; challenge: string; bits: number }
  | { kind: 'limited'; retryAfterSeconds: number }
  | { kind: 'refused'; reason: RefusalReason };

/** Collaborators of the gate. */
export interface GateDeps {
  tickets: TicketCodec;
  passes: PassCodec;
  admission: Admission;
  pow: ProofOfWork;
  replays: ReplayFilter;
  detector: AttackDetector;
  mintLimiter: LocalGcra;
  mintLimit: GcraLimit;
  /** True while the node has room for one more request (in flight < adaptive limit). */
  hasRoom(): boolean;
  /** True while attack mode is in force (operator switch, leader's flag or local detector). */
  isAttackMode(nowMs: number): boolean;
  defaultLane: string;
  priorityLane: string;
  /** Lane of people whose only proof is a remembered session. */
  returningLane: string;
}

/** Synchronous admission decisions. */
export class Gate {
  private counter = 0;
  private readonly nodeTag = Math.random().toString(36).slice(2, 6);

  constructor(private readonly d: GateDeps) {}

  /** Decides what happens to a request that is not on an exempt path. */
  decide(req: GateRequest, nowMs: number): GateDecision {
    const bind = bindOf(req.userAgent, req.ip);
    const passToken = readCookie(req.cookieHeader, PASS_COOKIE);
    if (passToken) {
      const pass = this.d.passes.verify(passToken, bind, nowMs);
      if (pass.ok) return { kind: 'pass', lane: pass.value.lane, setPass: this.d.passes.renewIfDue(pass.value, nowMs) };
      this.noteRefusal(pass.reason, nowMs);
    }
    if (req.hasActiveSession()) return { kind: 'session', setPass: this.d.passes.issue(this.d.returningLane, bind, nowMs) };
    const ticketToken = readCookie(req.cookieHeader, TICKET_COOKIE);
    if (ticketToken) {
      const ticket = this.d.tickets.verify(ticketToken, bind, nowMs);
      if (ticket.ok) return this.fromTicket(ticket.value, nowMs);
      this.noteRefusal(ticket.reason, nowMs);
    }
    if (req.hasRememberedSession()) return this.returning(req, bind, nowMs);
    return this.newcomer(req, bind, nowMs);
  }

  /** Redeems a solved challenge (attack mode): the same challenge always yields the same ticket. */
  redeem(challenge: string, counter: string, req: GateRequest, nowMs: number): GateDecision {
    const bind = bindOf(req.userAgent, req.ip);
    const solved = this.d.pow.verify(challenge, counter, bind, nowMs);
    if (!solved.ok) {
      this.noteRefusal(solved.reason, nowMs);
      return { kind: 'refused', reason: solved.reason };
    }
    const isReplay = this.d.replays.seen(solved.value.mac, nowMs);
    if (!isReplay) {
      const limited = this.checkMintLimit(req.ip, nowMs);
      if (limited) return limited;
      const direct = this.tryDirect(solved.value.lane, bind, nowMs);
      if (direct) return direct;
    }
    const ticket = ticketFromChallenge(solved.value, this.d.tickets.ttlMs);
    this.d.admission.recordArrival(ticket.lane, ticket.tArr, positionOf(ticket), !isReplay);
    if (positionOf(ticket) <= this.d.admission.frontier(ticket.lane)) return this.enterWithTicket(ticket, nowMs);
    return { kind: 'wait', ticket, setTicket: this.d.tickets.issue(ticket) };
  }

  private fromTicket(ticket: Ticket, nowMs: number): GateDecision {
    if (positionOf(ticket) <= this.d.admission.frontier(ticket.lane)) return this.enterWithTicket(ticket, nowMs);
    const renewed = this.d.tickets.renewIfDue(ticket, nowMs);
    return renewed ? { kind: 'wait', ticket: renewed.ticket, setTicket: renewed.token } : { kind: 'wait', ticket, setTicket: null };
  }

  private enterWithTicket(ticket: Ticket, nowMs: number): GateDecision {
    this.d.admission.recordEntry(ticket.lane, nowMs, false);
    return { kind: 'enter', lane: ticket.lane, setPass: this.d.passes.issue(ticket.lane, ticket.bind, nowMs), via: 'ticket' };
  }

  /** A remembered session: queued in its own lane while full, but no puzzle and no per-address limit. */
  private returning(req: GateRequest, bind: string, nowMs: number): GateDecision {
    const lane = req.hasPriority() ? this.d.priorityLane : this.d.returningLane;
    // Not noted by the attack detector: a signed session is not a flood, even when a whole school comes back at 9:00.
    return this.tryDirect(lane, bind, nowMs) ?? this.mint(lane, bind, nowMs, false);
  }

  private newcomer(req: GateRequest, bind: string, nowMs: number): GateDecision {
    const lane = req.hasPriority() ? this.d.priorityLane : this.d.defaultLane;
    if (this.d.isAttackMode(nowMs)) {
      return { kind: 'challenge', lane, challenge: this.d.pow.issue(lane, bind, nowMs), bits: this.d.pow.bits };
    }
    const limited = this.checkMintLimit(req.ip, nowMs);
    if (limited) return limited;
    return this.tryDirect(lane, bind, nowMs) ?? this.mint(lane, bind, nowMs);
  }

  private tryDirect(lane: string, bind: string, nowMs: number): GateDecision | null {
    if (!this.d.hasRoom() || !this.d.admission.tryEnterDirect(lane, nowMs)) return null;
    this.d.admission.recordEntry(lane, nowMs, true);
    return { kind: 'enter', lane, setPass: this.d.passes.issue(lane, bind, nowMs), via: 'direct' };
  }

  private mint(lane: string, bind: string, nowMs: number, isSuspect = true): GateDecision {
    this.counter = (this.counter + 1) % 0x7fffffff;
    const ticket: Ticket = { lane, tArr: nowMs, exp: nowMs + this.d.tickets.ttlMs, bind, id: `${this.nodeTag}${this.counter.toString(36)}` };
    this.d.admission.recordArrival(lane, nowMs, positionOf(ticket));
    if (isSuspect) this.d.detector.noteMint(nowMs);
    return { kind: 'wait', ticket, setTicket: this.d.tickets.issue(ticket) };
  }

  private checkMintLimit(ip: string, nowMs: number): GateDecision | null {
    const decision = this.d.mintLimiter.take(addressKey(ip), this.d.mintLimit, nowMs);
    return decision.allowed ? null : { kind: 'limited', retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)) };
  }

  private noteRefusal(reason: RefusalReason, nowMs: number): void {
    if (reason === 'expired') return;
    this.d.admission.recordInvalid(nowMs);
    this.d.detector.noteInvalid(nowMs);
  }
}
