/**
 * The HTTP side of identity: reading and writing the session cookies, and turning a request into
 * an Actor. A valid pass costs one HMAC and no I/O; an expired pass costs one session read, after
 * which a fresh pass is set on the response.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.ts';
import type { ActorLoader, Actor } from '../access/index.ts';
import { resumeSession, type IdentityDeps, type NewSession } from './identity.service.ts';
import { LANE_COOKIE, LANE_MS, PASS_COOKIE, PASS_MS, SESSION_COOKIE, type SessionTokens } from './session-tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by Auth.require: whose request this is (null until then). */
    actorUserId: string | null;
  }
}

const UNAUTHENTICATED = (): AppError =>
  new AppError('UNAUTHENTICATED', { message: 'Vous devez vous connecter pour continuer.' });

export class Auth {
  /** Resumes under way, by session: a page's parallel first requests share one database read. */
  private readonly resuming = new Map<string, Promise<NewSession | null>>();

  constructor(
    private readonly deps: IdentityDeps,
    private readonly tokens: SessionTokens,
    private readonly actors: ActorLoader,
  ) {}

  /** Sync, no I/O: the device session id the request carries, if its cookie is authentic. */
  sessionIdOf(request: FastifyRequest): string | null {
    return this.tokens.readSession(request.cookies[SESSION_COOKIE], this.deps.clock.now())?.sessionId ?? null;
  }

  /** Sync, no I/O: does the request carry a valid pass or remembered session? (front door lane) */
  isSessionHolder(request: FastifyRequest): boolean {
    const now = this.deps.clock.now();
    return (
      this.tokens.readPass(request.cookies[PASS_COOKIE], now) !== null ||
      this.tokens.readSession(request.cookies[SESSION_COOKIE], now) !== null
    );
  }

  /** Sync, no I/O: does the request prove a priority lane (teachers and staff)? (front door lane) */
  hasPriorityCredential(request: FastifyRequest): boolean {
    return this.tokens.readLane(request.cookies[LANE_COOKIE], this.deps.clock.now());
  }

  /** Gives a teacher's or staff member's device the priority-lane credential. */
  setLaneCookie(reply: FastifyReply, userId: string): void {
    const expiresAt = this.deps.clock.now() + LANE_MS;
    reply.setCookie(LANE_COOKIE, this.tokens.signLane(userId, expiresAt), {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: 'auto',
      maxAge: Math.floor(LANE_MS / 1000),
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
