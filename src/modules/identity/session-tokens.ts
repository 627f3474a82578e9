/**
 * The two cookies that keep a person signed in, both checked with one HMAC and no I/O:
 * - the device session `preau_sid` = sign(sessionId.expiresAt): long-lived ("remember this
 *   device": 30 days, sliding), backed by a `sessions` row so it can be listed and revoked;
 * - the access pass `preau_pass` = sign(userId.sessionId.expiresAt): 5 minutes. While it is
 *   valid a request needs no database read to know who is asking. When it runs out, the device
 *   session is checked once, in the session directory (session-directory.ts) or else the
 *   database, and a new pass is issued.
 * Revocation reaches every node at once through pub/sub (see revocations.ts), so a revoked
 * device loses its still-valid pass immediately, not after 5 minutes.
 */
import type { Signer } from '../../platform/crypto.ts';
import { DAY, HOUR, MINUTE } from '../../shared/time.ts';

export const SESSION_COOKIE = 'preau_sid';
export const PASS_COOKIE = 'preau_pass';
/** Proof, kept on a teacher's device, that lets them go ahead of the general queue (priority-lane.ts). */
export const LANE_COOKIE = 'preau_lane';
export const REMEMBERED_SESSION_MS = 30 * DAY;
export const BROWSER_SESSION_MS = 12 * HOUR;
export const PASS_MS = 5 * MINUTE;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface SessionClaim {
  sessionId: string;
  expiresAt: number;
}

/** A priority-lane credential: whose, and the window it is valid in (notBefore ≤ now < expiresAt). */
export interface LaneClaim {
  userId: string;
  notBefore: number;
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

  /** A priority-lane credential valid from `notBefore` until `expiresAt` (the window is signed with it). */
  signLane(claim: LaneClaim): string {
    return this.lanes.sign(`l2.${claim.userId}.${claim.notBefore}.${claim.expiresAt}`);
  }

  /**
   * The claim when the credential is authentic, whatever its window (the caller compares it with
   * the time); null when forged, edited or in the first format (30-day `userId.expiry`, refused).
   */
  readLane(token: string | undefined): LaneClaim | null {
    if (!token || token.length > 300) return null;
    const body = this.lanes.verify(token);
    if (!body) return null;
    const [version, userId, from, until, extra] = body.split('.');
    const notBefore = Number(from);
    const expiresAt = Number(until);
    if (version !== 'l2' || extra !== undefined || !userId || !UUID.test(userId)) return null;
    if (!Number.isSafeInteger(notBefore) || !Number.isSafeInteger(expiresAt) || expiresAt <= notBefore) return null;
    return { userId, notBefore, expiresAt };
  }

  signSession(claim: SessionClaim): string {
    return this.sessions.sign(`${claim.sessionId}.${claim.expiresAt}`);
  }

  /** The claim when the cookie is authentic and not expired at `now`; otherwise null. */
  /**
   * Session cookies and passes already found authentic (token → signed body): a browser sends the
   * same ones for minutes, and the front door, CSRF and Auth each read them, so most reads cost a
   * map lookup instead of an HMAC. Expiry is still checked on each read. Bounded: emptied when full.
   */
  private readonly sessionBodies = new Map<string, string>();
  private readonly passBodies = new Map<string, string>();

  readSession(token: string | undefined, now: number): SessionClaim | null {
    if (!token || token.length > 200) return null;
    const body = verifiedBody(this.sessions, this.sessionBodies, token);
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
    const body = verifiedBody(this.passes, this.passBodies, token);
    if (!body) return null;
    const [userId, sessionId, exp] = body.split('.');
    const expiresAt = Number(exp);
    if (!userId || !sessionId || !UUID.test(userId) || !UUID.test(sessionId)) return null;
    if (!Number.isSafeInteger(expiresAt) || expiresAt <= now) return null;
    return { userId, sessionId, expiresAt };
  }
}

const VERIFIED_MAX = 20_000;

function verifiedBody(signer: Signer, cache: Map<string, string>, token: string): string | null {
  const known = cache.get(token);
  if (known !== undefined) return known;
  const body = signer.verify(token);
  if (body === null) return null;
  if (cache.size >= VERIFIED_MAX) cache.clear();
  cache.set(token, body);
  return body;
}
