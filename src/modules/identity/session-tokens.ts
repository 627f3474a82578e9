/**
 * The two cookies that keep a person signed in, both checked with one HMAC and no I/O:
 * - the device session `preau_sid` = sign(sessionId.expiresAt): long-lived ("remember this
 *   device": 30 days, sliding), backed by a `sessions` row so it can be listed and revoked;
 * - the access pass `preau_pass` = sign(userId.sessionId.expiresAt): 5 minutes. While it is
 *   valid a request needs no database read to know who is asking. When it runs out, the device
 *   session is checked against the database once and a new pass is issued.
 * Revocation reaches every node at once through pub/sub (see revocations.ts), so a revoked
 * device loses its still-valid pass immediately, not after 5 minutes.
 */
import type { Signer } from '../../platform/crypto.ts';
import { DAY, HOUR, MINUTE } from '../../shared/time.ts';

export const SESSION_COOKIE = 'preau_sid';
export const PASS_COOKIE = 'preau_pass';
/** Proof, kept on a teacher's or staff member's device, that lets them skip the general queue. */
export const LANE_COOKIE = 'preau_lane';
export const LANE_MS = 30 * DAY;
export const REMEMBERED_SESSION_MS = 30 * DAY;
export const BROWSER_SESSION_MS = 12 * HOUR;
export const PASS_MS = 5 * MINUTE;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface SessionClaim {
  sessionId: string;
  expiresAt: number;
}

export interface PassClaim {
  userId: string;
  sessionId: string;
  expiresAt: number;
}

export class SessionTokens {
  private readonly sessions: Signer;
  private readonly passes: Signer;
  private readonly lanes: Signer;

  constructor(signer: Signer) {
    this.sessions = signer.derive('session');
    this.passes = signer.derive('pass');
    this.lanes = signer.derive('lane');
  }

  /** A priority-lane credential for a teacher or staff member, valid until `expiresAt`. */
  signLane(userId: string, expiresAt: number): string {
    return this.lanes.sign(`${userId}.${expiresAt}`);
  }

  /** True when the credential is authentic and unexpired. */
  readLane(token: string | undefined, now: number): boolean {
    if (!token || token.length > 200) return false;
    const body = this.lanes.verify(token);
    const expiresAt = Number(body?.split('.')[1]);
    return body !== null && Number.isSafeInteger(expiresAt) && expiresAt > now;
  }

  signSession(claim: SessionClaim): string {
    return this.sessions.sign(`${claim.sessionId}.${claim.expiresAt}`);
  }

  /** The claim when the cookie is authentic and not expired at `now`; otherwise null. */
  readSession(token: string | undefined, now: number): SessionClaim | null {
    if (!token || token.length > 200) return null;
    const body = this.sessions.verify(token);
    if (!body) return null;
    const [sessionId, exp] = body.split('.');
    const expiresAt = Number(exp);
    if (!sessionId || !UUID.test(sessionId) || !Number.isSafeInteger(expiresAt) || expiresAt <= now) return null;
    return { sessionId, expiresAt };
  }

  signPass(claim: PassClaim): string {
    return this.passes.sign(`${claim.userId}.${claim.sessionId}.${claim.expiresAt}`);
  }

  readPass(token: string | undefined, now: number): PassClaim | null {
    if (!token || token.length > 300) return null;
    const body = this.passes.verify(token);
    if (!body) return null;
    const [userId, sessionId, exp] = body.split('.');
    const expiresAt = Number(exp);
    if (!userId || !sessionId || !UUID.test(userId) || !UUID.test(sessionId)) return null;
    if (!Number.isSafeInteger(expiresAt) || expiresAt <= now) return null;
    return { userId, sessionId, expiresAt };
  }
}
