/**
 * The HTTP side of identity: reading and writing the session cookies, and turning a request into
 * an Actor. A valid pass costs one HMAC and no I/O; an expired pass costs one session-directory
 * lookup (one session read on a miss), after which a fresh pass is set on the response.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.ts';
import type { ActorLoader, Actor } from '../access/index.ts';
import { resumeSession, type IdentityDeps, type NewSession } from './identity.service.ts';
import type { PriorityLane } from './priority-lane.ts';
import { LANE_COOKIE, PASS_COOKIE, PASS_MS, SESSION_COOKIE, type SessionTokens } from './session-tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by Auth.require: whose request this is (null until then). */
    actorUserId: string | null;
  }
}

const UNAUTHENTICATED = (): AppError =>
  new AppError('UNAUTHENTICATED', { message: 'Vous devez vous connecter pour continuer.' });

export class Auth {
  /** Resumes under way, by session: a page's parallel first requests share one lookup. */
  private readonly resuming = new Map<string, Promise<NewSession | null>>();

  constructor(
    private readonly deps: IdentityDeps,
    private readonly tokens: SessionTokens,
    private readonly actors: ActorLoader,
    private readonly lane: PriorityLane,
  ) {}

  /** Sync, no I/O: the device session id the request carries, if its cookie is authentic. */
  sessionIdOf(request: FastifyRequest): string | null {
    return this.tokens.readSession(request.cookies[SESSION_COOKIE], this.deps.clock.now())?.sessionId ?? null;
  }

  /**
   * Sync, no I/O: does the request carry a valid identity pass (the person was active in the last
   * minutes)? The front door lets it through without queueing.
   */
  hasActiveSession(request: FastifyRequest): boolean {
    return this.tokens.readPass(request.cookies[PASS_COOKIE], this.deps.clock.now()) !== null;
  }

  /**
   * Sync, no I/O: does the request carry a valid remembered session (the long-lived device cookie)?
   * Without an active pass, the front door queues it in its returning lane while the platform is full.
   */
  hasRememberedSession(request: FastifyRequest): boolean {
    return this.tokens.readSession(request.cookies[SESSION_COOKIE], this.deps.clock.now()) !== null;
  }

  /** Sync, no I/O: does the request prove the priority lane now (priority-lane.ts)? (front door lane) */
  hasPriorityCredential(request: FastifyRequest): boolean {
    return this.lane.isValid(request.cookies[LANE_COOKIE], this.deps.clock.now());
  }

  /**
   * Gives the device the priority-lane credential the platform's rule grants this person now (at
   * sign-in, with their roles; on a session resume, without), unless it already holds that one.
   */
  async grantLane(request: FastifyRequest, reply: FastifyReply, userId: string, roles: readonly string[] | null): Promise<void> {
    const window = await this.lane.windowFor(userId, roles);
    if (!window) return;
    const held = this.lane.claimOf(request.cookies[LANE_COOKIE]);
    if (held && held.userId === userId && held.notBefore === window.from && held.expiresAt === window.until) return;
    const now = this.deps.clock.now();
    reply.setCookie(LANE_COOKIE, this.lane.sign(userId, window), {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: 'auto',
      maxAge: Math.max(1, Math.floor((window.until - now) / 1000)),
    });
  }

  /** Who is asking (user and session), renewing the pass when needed; null when signed out. */
  async identify(request: FastifyRequest, reply: FastifyReply): Promise<{ userId: string; sessionId: string } | null> {
    const now = this.deps.clock.now();
    const session = this.tokens.readSession(request.cookies[SESSION_COOKIE], now);
    if (!session || this.deps.revocations.isRevoked(session.sessionId)) return null;
    const pass = this.tokens.readPass(request.cookies[PASS_COOKIE], now);
    if (pass && pass.sessionId === session.sessionId) return { userId: pass.userId, sessionId: pass.sessionId };
    let pending = this.resuming.get(session.sessionId);
    if (!pending) {
      pending = resumeSession(this.deps, session.sessionId).finally(() => this.resuming.delete(session.sessionId));
      this.resuming.set(session.sessionId, pending);
    }
    const resumed = await pending;
    if (!resumed) {
      this.clearCookies(reply);
      return null;
    }
    this.setCookies(reply, resumed, resumed.expiresAt !== session.expiresAt);
    await this.grantLane(request, reply, resumed.userId, null);
    return { userId: resumed.userId, sessionId: resumed.sessionId };
  }

  /** The actor of a signed-in request, or UNAUTHENTICATED. */
  async require(request: FastifyRequest, reply: FastifyReply): Promise<Actor> {
    const who = await this.identify(request, reply);
    if (!who) throw UNAUTHENTICATED();
    const actor = await this.actors.load(who.userId, who.sessionId);
    if (!actor) {
      this.clearCookies(reply);
      throw UNAUTHENTICATED();
    }
    request.actorUserId = actor.userId;
    return actor;
  }

  /** Sets the pass, and the device cookie when it is new or has slid forward. */
  setCookies(reply: FastifyReply, session: NewSession, withSessionCookie = true): void {
    const now = this.deps.clock.now();
    const base = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: 'auto' as const };
    if (withSessionCookie) {
      reply.setCookie(SESSION_COOKIE, this.tokens.signSession(session), {
        ...base,
        // A browser-only session disappears with the browser; a remembered one stays for weeks.
        ...(session.remember ? { maxAge: Math.floor((session.expiresAt - now) / 1000) } : {}),
      });
    }
    const passExpiresAt = Math.min(now + PASS_MS, session.expiresAt);
    reply.setCookie(PASS_COOKIE, this.tokens.signPass({ userId: session.userId, sessionId: session.sessionId, expiresAt: passExpiresAt }), {
      ...base,
      maxAge: Math.floor((passExpiresAt - now) / 1000),
    });
  }

  clearCookies(reply: FastifyReply): void {
    for (const name of [SESSION_COOKIE, PASS_COOKIE, LANE_COOKIE]) reply.clearCookie(name, { path: '/' });
  }

  forgetActor(userId?: string): void {
    this.actors.forget(userId);
  }
}

export function deviceOf(request: FastifyRequest): { userAgent: string; ip: string } {
  return { userAgent: request.headers['user-agent'] ?? '', ip: request.ip };
}
