/**
 * A few seconds of memory per person for the dashboard: a pupil who reloads at 9:00, or whose
 * page polls, costs one build every few seconds, not one per request. A person's own change
 * (any POST, PUT, PATCH or DELETE they make) forgets their entry at once, so they always see it.
 * Other people's changes (a teacher's new homework) show within the TTL.
 */
import { LRUCache } from 'lru-cache';
import type { TDashboard } from './dashboard.schemas.ts';

export const DASHBOARD_TTL_MS = 5_000;

export class DashboardCache {
  private readonly entries: LRUCache<string, TDashboard>;

  constructor(options: { ttlMs?: number; max?: number } = {}) {
    this.entries = new LRUCache({ max: options.max ?? 100_000, ttl: options.ttlMs ?? DASHBOARD_TTL_MS, ttlAutopurge: false });
  }

  async getOrBuild(userId: string, build: () => Promise<TDashboard>): Promise<TDashboard> {
    const hit = this.entries.get(userId);
    if (hit) return hit;
    const fresh = await build();
    this.entries.set(userId, fresh);
    return fresh;
  }

  forget(userId: string): void {
    this.entries.delete(userId);
  }
}
