/**
 * Sessions revoked anywhere in the cluster, remembered on every node for as long as a pass issued
 * before the revocation could still be valid. Fed by pub/sub; read with no I/O. Every revocation
 * goes through revoke(), which also writes the session directory's tombstones (after that, the
 * directory answers for the session instead of this 5-minute memory).
 */
import type { SharedState, Unsubscribe } from '../../platform/shared-state/shared-state.ts';
import type { Clock } from '../../shared/time.ts';
import type { SessionDirectory } from './session-directory.ts';
import { PASS_MS } from './session-tokens.ts';

const CHANNEL = 'identity:session-revoked';

export class Revocations {
  private readonly until = new Map<string, number>();
  private readonly listeners = new Set<(sessionId: string) => void>();
  private unsubscribe: Unsubscribe | null = null;

  constructor(
    private readonly state: SharedState,
    private readonly clock: Clock,
    private readonly sessions: SessionDirectory,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.state.subscribe(CHANNEL, (sessionId) => this.remember(sessionId));
  }

  async stop(): Promise<void> {
    this.sessions.stop();
    await this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Told of every revocation, here or on another node (live streams of the session end). */
  onRevoked(listener: (sessionId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  isRevoked(sessionId: string): boolean {
    const until = this.until.get(sessionId);
    if (until === undefined) return false;
    if (until > this.clock.now()) return true;
    this.until.delete(sessionId);
    return false;
  }

  /** Records locally, tombstones the directory (before answering: no node may resume it) and tells every other node. */
  async revoke(sessionIds: readonly string[]): Promise<void> {
    for (const id of sessionIds) this.remember(id);
    await this.sessions.revoke(sessionIds);
    for (const id of sessionIds) await this.state.publish(CHANNEL, id).catch(() => {});
  }

  private remember(sessionId: string): void {
    const now = this.clock.now();
    this.until.set(sessionId, now + PASS_MS);
    for (const listener of this.listeners) {
      try {
        listener(sessionId);
      } catch {
        // A listener's bug must not stop the revocation.
      }
    }
    if (this.until.size > 10_000) {
      for (const [id, t] of this.until) if (t <= now) this.until.delete(id);
    }
  }
}
