/**
 * What the front door does with one HTTP request, in small steps the plugin's hooks and routes
 * call: ask the gate, set the cookies its decision carries, answer when the request does not get
 * through, shed or track the admitted ones, and release them when they end (feeding the adaptive
 * limiter with their latency).
 */
import { performance } from 'node:perf_hooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../shared/time.ts';
import type { Admission } from './admission.ts';
import type { ConcurrencyLimiter } from './controller.ts';
import type { Gate, GateDecision, GateRequest } from './gate.ts';
import * as respond from './responses.ts';
import { noScriptRefreshMs } from './room-state.ts';
import { criticalityOf, deadlineBudgetOf, isShed, retryAfterFor, shedLevel, type CoDel } from './shedding.ts';
import { positionOf, type PassCodec, type Ticket, type TicketCodec } from './tickets.ts';

/** Collaborators, built once by the plugin. */
export interface FrontDoorHttpDeps {
  admission: Admission;
  gate: Gate;
  tickets: TicketCodec;
  passes: PassCodec;
  limiter: ConcurrencyLimiter;
  codel: CoDel;
  clock: Clock;
  /** Shed by criticality and drop work past its deadline (default true; off only in route tests). */
  shedding: boolean;
  hasActiveSession(request: FastifyRequest): boolean;
  hasRememberedSession(request: FastifyRequest): boolean;
  priorityCredential(request: FastifyRequest): boolean;
}

interface Tracked {
  start: number;
  deadlineMs: number;
  done: boolean;
}

/** Request-level behaviour of the front door. */
export class FrontDoorHttp {
  private readonly tracked = new WeakMap<FastifyRequest, Tracked>();

  constructor(private readonly d: FrontDoorHttpDeps) {}

  /** The gate's view of a request (the injected checks run only if the gate needs them). */
  gateRequest(request: FastifyRequest): GateRequest {
    return {
      cookieHeader: request.headers.cookie,
      userAgent: request.headers['user-agent'] ?? '',
      ip: request.ip,
      hasActiveSession: () => this.d.hasActiveSession(request),
      hasRememberedSession: () => this.d.hasRememberedSession(request),
      hasPriority: () => this.d.priorityCredential(request),
    };
  }

  /** The gate's decision for a request, now. */
  decide(request: FastifyRequest): GateDecision {
    return this.d.gate.decide(this.gateRequest(request), this.d.clock.now());
  }

  /** Sets the cookies a decision carries (pass, renewed pass, an active session's pass, ticket; a used ticket is deleted). */
  applyCookies(reply: FastifyReply, decision: GateDecision): void {
    const { passes } = this.d;
    if ((decision.kind === 'pass' || decision.kind === 'session') && decision.setPass) respond.setPassCookie(reply, decision.setPass, passes.ttlMs, false);
    if (decision.kind === 'enter') respond.setPassCookie(reply, decision.setPass, passes.ttlMs, decision.via === 'ticket');
    if (decision.kind === 'wait' && decision.setTicket) respond.setTicketCookie(reply, decision.setTicket, decision.ticket.exp, this.d.clock.now());
  }

  /** Sets the decision's cookies and answers it when the request does not get through (else null). */
  answer(request: FastifyRequest, reply: FastifyReply, decision: GateDecision, next: string, status: 200 | 503): FastifyReply | null {
    this.applyCookies(reply, decision);
    switch (decision.kind) {
      case 'pass':
      case 'session':
      case 'enter':
        return null;
      case 'wait':
        return respond.sendWaiting(request, reply, this.waitingView(decision.ticket, next, status));
      case 'challenge':
        return respond.sendChallenge(request, reply, { challenge: decision.challenge, bits: decision.bits, issuedAt: this.d.clock.now(), next, status });
      case 'limited':
        return respond.sendLimited(reply, decision.retryAfterSeconds);
      case 'refused':
        return reply.code(400).send({ error: { code: 'VALIDATION', message: 'Vérification invalide ou expirée. Rechargez la page.', details: { reason: decision.reason } } });
    }
  }

  private waitingView(ticket: Ticket, next: string, status: 200 | 503): respond.WaitingView {
    const { admission } = this.d;
    const ahead = admission.ahead(ticket.lane, positionOf(ticket));
    const pollMs = admission.pollMs();
    const refreshSeconds = (noScriptRefreshMs(pollMs) / 1000) * (0.7 + 0.6 * Math.random());
    return { ticket, ahead, band: admission.wait(ticket.lane, ahead), pollMs, ticketTtlMs: this.d.tickets.ttlMs, refreshSeconds, next, status };
  }

  /** An admitted request: shed it if its class is being shed, else count it in flight. */
  admit(request: FastifyRequest, reply: FastifyReply): FastifyReply | null {
    const { limiter, codel } = this.d;
    const criticality = criticalityOf(request);
    const start = performance.now();
    const level = shedLevel(codel.signals(limiter.inflight, limiter.limit, start));
    if (this.d.shedding && isShed(criticality, level)) return respond.sendUnavailable(request, reply, retryAfterFor(criticality), 'overload');
    limiter.acquire(start);
    // The request most likely waited about the current loop lag before we saw it.
    this.tracked.set(request, { start: start - codel.loopLagMs(), deadlineMs: deadlineBudgetOf(request), done: false });
    return null;
  }

  /** Before the handler: drops work queued past its deadline (and samples the queueing delay). */
  checkDeadline(request: FastifyRequest, reply: FastifyReply): FastifyReply | null {
    const t = this.tracked.get(request);
    if (!t) return null;
    const now = performance.now();
    const queuedMs = now - t.start;
    this.d.codel.sample(queuedMs, now);
    return this.d.shedding && queuedMs > t.deadlineMs ? respond.sendUnavailable(request, reply, retryAfterFor(criticalityOf(request)), 'deadline') : null;
  }

  /** A tracked request ended (response sent, or the client went away). */
  release(request: FastifyRequest, statusCode: number): void {
    const t = this.tracked.get(request);
    if (!t || t.done) return;
    t.done = true;
    const now = performance.now();
    this.d.limiter.release(now, now - t.start, statusCode >= 500);
  }
}
