/**
 * The front door's priority lane, as a signed credential (`preau_lane`) a device proves with one
 * HMAC and no I/O — never a header the client chooses. Who gets one is a per-platform rule
 * (`PRIORITY_LANE`):
 *   - `lesson-soon` (default): a teacher whose lesson starts within 15 minutes, until the lesson
 *     ends. The credential names its window (from 15 minutes before the start to the end) and is
 *     minted at sign-in and renewed when the session is resumed (every 5 minutes of activity), for
 *     the window in force or the next one of the day;
 *   - `staff`: every teacher's and staff member's device, for 30 days (the first rule);
 *   - `off`: nobody.
 * Each node keeps today's lessons per teacher in memory (LessonSoonIndex: one query for the whole
 * platform, refreshed every 5 minutes and on `timetable.changed`), so minting costs no query.
 */
import type { Clock } from '../../shared/time.ts';
import { DAY, MINUTE } from '../../shared/time.ts';
import type { DomainEvent } from '../../platform/events.ts';
import type { LaneClaim, SessionTokens } from './session-tokens.ts';

export type PriorityLaneRule = 'lesson-soon' | 'staff' | 'off';

/** Roles whose devices get the lane under the `staff` rule: the people a lesson cannot start without. */
export const PRIORITY_ROLES: ReadonlySet<string> = new Set(['teacher', 'principal', 'cpe', 'school_admin']);
/** How long before a lesson its teacher goes ahead. */
export const LESSON_LEAD_MS = 15 * MINUTE;
/** Lifetime of a `staff` credential. */
export const STAFF_LANE_MS = 30 * DAY;

/** When a credential is valid: `from` ≤ now < `until` (ms). */
export interface LaneWindow {
  from: number;
  until: number;
}

/** One occurrence of a lesson, as loaded from the timetable. */
export interface TeachingSlot {
  teacherId: string;
  start: number;
  end: number;
}

export interface LessonSoonIndexOptions {
  /** Loads the occurrences of a date (YYYY-MM-DD, school time), platform-wide. */
  load(date: string): Promise<readonly TeachingSlot[]>;
  clock: Clock;
  /** The school's calendar date at an instant (Europe/Paris). */
  dateOf(ms: number): string;
  leadMs?: number;
  /** Reload after this long (default 5 minutes). */
  refreshMs?: number;
  onError?(error: unknown): void;
}

/**
 * Today's lesson windows per teacher, in memory on each node: for each teacher, the merged
 * intervals [start − lead, end) of their lessons (back-to-back lessons make one window). Memory is
 * a few numbers per lesson of the day; nothing per request.
 */
export class LessonSoonIndex {
  private windows = new Map<string, Array<[number, number]>>();
  private loadedDate: string | null = null;
  private loadedAt = Number.NEGATIVE_INFINITY;
  private failedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | null = null;
  private isDirty = false;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly leadMs: number;
  private readonly refreshMs: number;

  constructor(private readonly o: LessonSoonIndexOptions) {
    this.leadMs = o.leadMs ?? LESSON_LEAD_MS;
    this.refreshMs = o.refreshMs ?? 5 * MINUTE;
  }

  /** Loads today's lessons, listens for timetable changes and (with `timers`) reloads every few minutes. */
  async start(events: { on(handler: (event: DomainEvent) => void): () => void } | null, timers = true): Promise<void> {
    this.unsubscribe =
      events?.on((event) => {
        if (event.type === 'timetable.changed') void this.refresh();
      }) ?? null;
    await this.refresh();
    if (timers) {
      this.timer = setInterval(() => void this.ensureFresh(), Math.min(this.refreshMs, MINUTE));
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Reloads when the day has changed or the last load is older than the refresh period. */
  async ensureFresh(): Promise<void> {
    const now = this.o.clock.now();
    // After a failed load (database down), sign-ins and resumes do not each try again: once in 30 s.
    if (now - this.failedAt < 30_000) return;
    if (this.o.dateOf(now) !== this.loadedDate || now - this.loadedAt >= this.refreshMs) await this.refresh();
  }

  /** Reloads now (a reload asked for while one runs is done once more after it). */
  async refresh(): Promise<void> {
    if (this.loading) {
      this.isDirty = true;
      return this.loading;
    }
    this.loading = (async () => {
      do {
        this.isDirty = false;
        const now = this.o.clock.now();
        const date = this.o.dateOf(now);
        try {
          this.windows = mergeWindows(await this.o.load(date), this.leadMs);
          this.loadedDate = date;
          this.loadedAt = now;
        } catch (error) {
          // Keep the previous index: a failed reload must not take the lane away from anyone.
          this.failedAt = now;
          this.o.onError?.(error);
        }
      } while (this.isDirty);
    })().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** The window of `teacherId` in force at `nowMs`, or else their next one today; null if none. */
  windowFor(teacherId: string, nowMs: number): LaneWindow | null {
    for (const [from, until] of this.windows.get(teacherId) ?? []) {
      if (until > nowMs) return { from, until };
    }
    return null;
  }

  /** Number of teachers with a lesson today (metrics, tests). */
  size(): number {
    return this.windows.size;
  }
}

/** Per teacher, the sorted union of [start − lead, end) over their lessons. */
export function mergeWindows(slots: readonly TeachingSlot[], leadMs: number): Map<string, Array<[number, number]>> {
  const byTeacher = new Map<string, Array<[number, number]>>();
  for (const s of slots) {
    if (!(s.end > s.start)) continue;
    const list = byTeacher.get(s.teacherId) ?? [];
    list.push([s.start - leadMs, s.end]);
    byTeacher.set(s.teacherId, list);
  }
  for (const [teacher, list] of byTeacher) {
    list.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const w of list) {
      const last = merged[merged.length - 1];
      if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
      else merged.push([w[0], w[1]]);
    }
    byTeacher.set(teacher, merged);
  }
  return byTeacher;
}

/** The platform's rule, applied: who gets which credential, and whether one is valid. */
export class PriorityLane {
  constructor(
    readonly rule: PriorityLaneRule,
    private readonly tokens: SessionTokens,
    private readonly clock: Clock,
    private readonly index: LessonSoonIndex | null,
  ) {
    if (rule === 'lesson-soon' && !index) throw new Error('priority lane: the lesson-soon rule needs a LessonSoonIndex');
  }

  /**
   * The window of the credential this person should hold now; null for none. `roles` is known at
   * sign-in only (the `staff` rule is applied then, as before).
   */
  async windowFor(userId: string, roles: readonly string[] | null): Promise<LaneWindow | null> {
    const now = this.clock.now();
    if (this.rule === 'off') return null;
    if (this.rule === 'staff') return roles?.some((r) => PRIORITY_ROLES.has(r)) ? { from: now, until: now + STAFF_LANE_MS } : null;
    await this.index!.ensureFresh();
    return this.index!.windowFor(userId, now);
  }

  /** Sync, no I/O: true when the credential is authentic, not edited, and its window covers now. */
  isValid(token: string | undefined, nowMs: number): boolean {
    if (this.rule === 'off') return false;
    const claim = this.tokens.readLane(token);
    return claim !== null && claim.notBefore <= nowMs && nowMs < claim.expiresAt;
  }

  /** The credential's claim when authentic (whatever its window), for renewal decisions. */
  claimOf(token: string | undefined): LaneClaim | null {
    return this.tokens.readLane(token);
  }

  sign(userId: string, window: LaneWindow): string {
    return this.tokens.signLane({ userId, notBefore: window.from, expiresAt: window.until });
  }
}
