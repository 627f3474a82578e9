/**
 * The session directory: live device sessions kept in the shared state, read through, so that a
 * remembered session resumes (its 5-minute pass ran out) with no database read — a person who used
 * Préau yesterday resumes at 9:00 from here. PostgreSQL stays the record: a miss, a shared-state
 * failure or a node running on its per-node fallback reads the `sessions` row as before, so losing
 * the directory (Redis, a node) loses nothing but that read.
 *
 * Safe against races by construction: an entry is only added with setIfAbsent and only replaced
 * with deleteIfHolder(the text read) then setIfAbsent, while a revocation overwrites the key with a
 * tombstone. A tombstone is therefore never replaced by an entry, whatever the interleaving, and an
 * entry is only added after the database said the session was live.
 */
import type { FallbackState } from '../../platform/shared-state/resilient.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import { HOUR, SECOND, type Clock } from '../../shared/time.ts';

/** What a resume needs to know about a live session (times in ms since the epoch). */
export interface SessionEntry {
  userId: string;
  expiresAt: number;
  remember: boolean;
  /** The `last_seen_at` last written to the database: a resume touches the row when it is old. */
  lastSeenAt: number;
}

/** An entry as found, with the stored text that a replacement must still find there. */
export interface FoundSession extends SessionEntry {
  readonly raw: string;
}

/** Yesterday's resumes still answer at 9:00 today (a day and a half, for late evenings). */
export const DIRECTORY_TTL_MS = 36 * HOUR;
const TOMBSTONE = '-';
/** How often tombstones that could not reach the shared store are tried again. */
const RETRY_MS = SECOND;

const keyOf = (sessionId: string): string => `sess:${sessionId}`;

export class SessionDirectory {
  /** Revoked here while the shared store could not take the tombstone: written when it is back. */
  private readonly unwritten = new Set<string>();
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly state: SharedState,
    private readonly clock: Clock,
  ) {}

  /** The live entry, 'revoked' for a tombstone, or null: not known here, read the database. Never throws. */
  async lookup(sessionId: string): Promise<FoundSession | 'revoked' | null> {
    if (this.unwritten.has(sessionId)) return 'revoked';
    if (this.onFallback()) return null;
    let raw: string | null;
    try {
      raw = await this.state.get(keyOf(sessionId));
    } catch {
      return null;
    }
    // Answered by this node's fallback: other nodes' tombstones are not there, trust only the database.
    if (raw === null || this.onFallback()) return null;
    if (raw === TOMBSTONE) return 'revoked';
    const entry = parse(raw);
    return entry ? { ...entry, raw } : null;
  }

  /** Adds a session the database just said is live; never over a tombstone or a newer entry. */
  async remember(sessionId: string, entry: SessionEntry): Promise<void> {
    const ttlMs = this.ttlOf(entry);
    if (ttlMs <= 0 || this.onFallback()) return;
    await this.state.setIfAbsent(keyOf(sessionId), serialise(entry), ttlMs).catch(() => false);
  }

  /**
   * After a resume touched the row: swaps the entry read for `next`, unless it changed meanwhile.
   * A tombstone written between the database update and here stays (setIfAbsent fails on it).
   */
  async replace(sessionId: string, found: FoundSession, next: SessionEntry): Promise<void> {
    if (this.onFallback()) return;
    const key = keyOf(sessionId);
    try {
      await this.state.deleteIfHolder(key, found.raw);
      const ttlMs = this.ttlOf(next);
      if (ttlMs > 0) await this.state.setIfAbsent(key, serialise(next), ttlMs);
    } catch {
      // The database has the touch; the entry left in place (if any) is only older.
    }
  }

  /**
   * Marks sessions revoked, overwriting whatever is there. A tombstone the shared store cannot take
   * now (down, or this node on its per-node fallback) is kept here, answered 'revoked' by lookup on
   * this node, and written as soon as the store is back.
   */
  async revoke(sessionIds: readonly string[]): Promise<void> {
    const written = await Promise.all(sessionIds.map((id) => this.writeTombstone(id)));
    sessionIds.forEach((id, i) => {
      if (!written[i]) this.unwritten.add(id);
    });
    if (this.unwritten.size > 0) this.scheduleRetry();
  }

  /** Stops retrying unwritten tombstones (the node is closing). */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Tombstones still waiting for the shared store (for tests and metrics). */
  unwrittenCount(): number {
    return this.unwritten.size;
  }

  private async writeTombstone(sessionId: string): Promise<boolean> {
    if (this.onFallback()) return false;
    try {
      await this.state.set(keyOf(sessionId), TOMBSTONE, DIRECTORY_TTL_MS);
    } catch {
      return false;
    }
    return !this.onFallback();
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.retryUnwritten();
    }, RETRY_MS);
    this.retryTimer.unref();
  }

  private async retryUnwritten(): Promise<void> {
    for (const id of [...this.unwritten]) {
      if (!(await this.writeTombstone(id))) break;
      this.unwritten.delete(id);
    }
    if (this.unwritten.size > 0) this.scheduleRetry();
  }

  /** Never past the session's own expiry. */
  private ttlOf(entry: SessionEntry): number {
    return Math.min(entry.expiresAt - this.clock.now(), DIRECTORY_TTL_MS);
  }

  /**
   * True while calls go to the per-node memory fallback (resilient.ts: Redis is down). What is
   * written there is seen by no other node, and other nodes' tombstones are not there.
   */
  private onFallback(): boolean {
    return (this.state as Partial<FallbackState>).isUsingFallback?.() === true;
  }
}

function serialise(entry: SessionEntry): string {
  return JSON.stringify({ userId: entry.userId, expiresAt: entry.expiresAt, remember: entry.remember, lastSeenAt: entry.lastSeenAt });
}

/** The entry, or null for text this version cannot read (a miss: the database answers). */
function parse(raw: string): SessionEntry | null {
  try {
    const v = JSON.parse(raw) as Partial<Record<keyof SessionEntry, unknown>>;
    if (typeof v.userId === 'string' && typeof v.expiresAt === 'number' && typeof v.remember === 'boolean' && typeof v.lastSeenAt === 'number') {
      return { userId: v.userId, expiresAt: v.expiresAt, remember: v.remember, lastSeenAt: v.lastSeenAt };
    }
  } catch {
    // Not JSON: fall through.
  }
  return null;
}
