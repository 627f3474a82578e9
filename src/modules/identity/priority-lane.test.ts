import { describe, expect, it } from 'vitest';
import { Signer } from '../../platform/crypto.ts';
import { EventBus } from '../../platform/events.ts';
import { createMemoryState } from '../../platform/shared-state/memory.ts';
import { MINUTE, manualClock, parisDate } from '../../shared/time.ts';
import { LessonSoonIndex, PriorityLane, mergeWindows, type TeachingSlot } from './priority-lane.ts';
import { SessionTokens } from './session-tokens.ts';

const TEACHER = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
/** Monday 7 September 2026, 9:00 in Paris. */
const NINE = Date.parse('2026-09-07T09:00:00+02:00');

const signer = () => new Signer([{ id: 'k1', secret: Buffer.from('s'.repeat(48)) }]);

function setUp(slots: TeachingSlot[], at = NINE - 30 * MINUTE) {
  const clock = manualClock(at);
  const tokens = new SessionTokens(signer());
  let loads = 0;
  let current = slots;
  const index = new LessonSoonIndex({
    load: async () => {
      loads++;
      return current;
    },
    clock,
    dateOf: parisDate,
  });
  const lane = new PriorityLane('lesson-soon', tokens, clock, index);
  /** What the device would hold after a sign-in (or a session resume) now. */
  const signIn = async (userId = TEACHER): Promise<string | null> => {
    const window = await lane.windowFor(userId, ['teacher']);
    return window ? lane.sign(userId, window) : null;
  };
  return {
    clock,
    tokens,
    index,
    lane,
    signIn,
    loads: () => loads,
    replace: (next: TeachingSlot[]) => {
      current = next;
    },
  };
}

const lesson = (start: number, minutes = 60, teacherId = TEACHER): TeachingSlot => ({ teacherId, start, end: start + minutes * MINUTE });

describe('priority lane: a teacher whose lesson starts within 15 minutes goes ahead', () => {
  it('holds a valid credential 14 minutes before the lesson, not 16 minutes before', async () => {
    const t = setUp([lesson(NINE)]);
    await t.index.start(null, false);

    t.clock.set(NINE - 14 * MINUTE);
    const soon = await t.signIn();
    expect(soon).not.toBeNull();
    expect(t.lane.isValid(soon!, t.clock.now())).toBe(true);

    t.clock.set(NINE - 16 * MINUTE);
    const early = await t.signIn();
    // Minted for the coming window, but not valid yet: nobody goes ahead 16 minutes before.
    expect(t.lane.isValid(early!, t.clock.now())).toBe(false);
    t.clock.advance(2 * MINUTE);
    expect(t.lane.isValid(early!, t.clock.now())).toBe(true);
  });

  it('covers the lesson to its end, then lapses; back-to-back lessons make one window', async () => {
    const t = setUp([lesson(NINE), lesson(NINE + 60 * MINUTE), lesson(NINE + 4 * 60 * MINUTE)]);
    await t.index.start(null, false);
    t.clock.set(NINE - 10 * MINUTE);
    const token = (await t.signIn())!;
    expect(t.tokens.readLane(token)).toMatchObject({ notBefore: NINE - 15 * MINUTE, expiresAt: NINE + 120 * MINUTE });
    t.clock.set(NINE + 119 * MINUTE);
    expect(t.lane.isValid(token, t.clock.now())).toBe(true);
    t.clock.set(NINE + 120 * MINUTE);
    expect(t.lane.isValid(token, t.clock.now())).toBe(false);
    // A resume after the first window gives the next one (13:00, from 12:45).
    const next = (await t.signIn())!;
    expect(t.tokens.readLane(next)).toMatchObject({ notBefore: NINE + 225 * MINUTE, expiresAt: NINE + 300 * MINUTE });
  });

  it('gives nothing to a teacher with no lesson left today', async () => {
    const t = setUp([lesson(NINE, 60, OTHER)]);
    await t.index.start(null, false);
    t.clock.set(NINE - 5 * MINUTE);
    expect(await t.signIn(TEACHER)).toBeNull();
    t.clock.set(NINE + 61 * MINUTE);
    expect(await t.signIn(OTHER)).toBeNull();
  });

  it('refuses a forged, edited, transplanted or first-format credential', async () => {
    const t = setUp([lesson(NINE)]);
    await t.index.start(null, false);
    t.clock.set(NINE - 5 * MINUTE);
    const token = (await t.signIn())!;
    const now = t.clock.now();
    expect(t.lane.isValid(token, now)).toBe(true);
    // Edited: a longer window under the same MAC.
    const edited = token.replace(String(NINE + 60 * MINUTE), String(NINE + 600 * MINUTE));
    expect(edited).not.toBe(token);
    expect(t.lane.isValid(edited, now)).toBe(false);
    // Forged: a MAC that is not ours (last character changed), or another key altogether.
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(t.lane.isValid(flipped, now)).toBe(false);
    const foreign = new SessionTokens(new Signer([{ id: 'k1', secret: Buffer.from('x'.repeat(48)) }]));
    expect(t.lane.isValid(foreign.signLane({ userId: TEACHER, notBefore: 0, expiresAt: now + MINUTE }), now)).toBe(false);
    // Another token of ours (a pass) is not a lane credential; nor is the first 30-day format.
    expect(t.lane.isValid(t.tokens.signPass({ userId: TEACHER, sessionId: OTHER, expiresAt: now + MINUTE }), now)).toBe(false);
    const firstFormat = signer().derive('lane').sign(`${TEACHER}.${now + 30 * 24 * 60 * MINUTE}`);
    expect(t.lane.isValid(firstFormat, now)).toBe(false);
    expect(t.lane.isValid(undefined, now)).toBe(false);
    expect(t.lane.isValid('x'.repeat(400), now)).toBe(false);
  });

  it('reloads on timetable.changed (heard from any node) and when the day changes', async () => {
    const state = createMemoryState();
    const events = new EventBus(state);
    await events.start();
    const t = setUp([]);
    await t.index.start(events, false);
    expect(t.loads()).toBe(1);
    t.clock.set(NINE - 10 * MINUTE);
    expect(await t.signIn()).toBeNull();
    t.replace([lesson(NINE)]);
    await events.publish({ type: 'timetable.changed', classIds: [] });
    await t.index.refresh();
    expect(t.loads()).toBeGreaterThanOrEqual(2);
    expect(t.lane.isValid((await t.signIn()) ?? undefined, t.clock.now())).toBe(true);
    // The next day: the index reloads by itself before answering.
    const before = t.loads();
    t.clock.set(NINE + 24 * 60 * MINUTE - 10 * MINUTE);
    t.replace([lesson(NINE + 24 * 60 * MINUTE)]);
    expect(t.lane.isValid((await t.signIn()) ?? undefined, t.clock.now())).toBe(true);
    expect(t.loads()).toBe(before + 1);
    t.index.stop();
    await events.stop();
    await state.close();
  });

  it('keeps the last index when a reload fails, and retries at most every 30 s', async () => {
    const clock = manualClock(NINE - 60 * MINUTE);
    let calls = 0;
    let isDown = false;
    const errors: unknown[] = [];
    const index = new LessonSoonIndex({
      load: async () => {
        calls++;
        if (isDown) throw new Error('database down');
        return [lesson(NINE)];
      },
      clock,
      dateOf: parisDate,
      onError: (e) => errors.push(e),
    });
    await index.start(null, false);
    isDown = true;
    clock.advance(10 * MINUTE);
    await index.ensureFresh();
    expect(errors).toHaveLength(1);
    for (let i = 0; i < 10; i++) await index.ensureFresh();
    expect(calls).toBe(2);
    expect(index.windowFor(TEACHER, clock.now())).toEqual({ from: NINE - 15 * MINUTE, until: NINE + 60 * MINUTE });
    clock.advance(31_000);
    await index.ensureFresh();
    expect(calls).toBe(3);
  });

  it('applies the other rules: staff (by role, 30 days) and off', async () => {
    const clock = manualClock(NINE);
    const tokens = new SessionTokens(signer());
    const staff = new PriorityLane('staff', tokens, clock, null);
    const w = await staff.windowFor(TEACHER, ['teacher']);
    expect(w).toEqual({ from: NINE, until: NINE + 30 * 24 * 60 * MINUTE });
    expect(await staff.windowFor(TEACHER, ['pupil'])).toBeNull();
    expect(await staff.windowFor(TEACHER, null)).toBeNull();
    expect(staff.isValid(staff.sign(TEACHER, w!), NINE + MINUTE)).toBe(true);
    const off = new PriorityLane('off', tokens, clock, null);
    expect(await off.windowFor(TEACHER, ['teacher'])).toBeNull();
    expect(off.isValid(staff.sign(TEACHER, w!), NINE + MINUTE)).toBe(false);
    expect(() => new PriorityLane('lesson-soon', tokens, clock, null)).toThrow(/LessonSoonIndex/);
  });

  it('merges overlapping windows per teacher and ignores empty lessons', () => {
    const merged = mergeWindows([lesson(NINE, 50), lesson(NINE + 55 * MINUTE, 60), lesson(NINE, 0), lesson(NINE, 60, OTHER)], 15 * MINUTE);
    expect(merged.get(TEACHER)).toEqual([[NINE - 15 * MINUTE, NINE + 115 * MINUTE]]);
    expect(merged.get(OTHER)).toEqual([[NINE - 15 * MINUTE, NINE + 60 * MINUTE]]);
  });
});
