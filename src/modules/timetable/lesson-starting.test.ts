/**
 * « Votre cours commence bientôt »: which occurrences are announced (the timetable's own rules:
 * cancelled ones are not, moved ones are at their new time), once, by one node at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../platform/events.ts';
import { MINUTE } from '../../shared/time.ts';
import { findOccurrencesStarting, LessonStartingWatch } from './lesson-starting.ts';
import { MONDAY, paris, put, setUpTimetable, type TimetableTest } from './timetable.test-support.ts';

let tt: TimetableTest;
let maths = '';
let french = '';
beforeAll(async () => {
  tt = await setUpTimetable();
  maths = await tt.lesson({ start: '09:00', end: '10:00' });
  french = await tt.lesson({ subjectCode: 'FRANCAIS', teacherId: tt.s.users.teacherParentHugo, start: '11:00', end: '12:00', room: 'Salle 3' });
});
afterAll(() => tt.t.close());

const startingAt = (at: number) => findOccurrencesStarting(tt.t.deps.database.db, at, 10 * MINUTE);

describe('findOccurrencesStarting', () => {
  it('finds the lessons starting within 10 minutes, with their class, their teacher and « Rejoindre »’s occurrence', async () => {
    expect(await startingAt(paris(MONDAY, '08:49'))).toEqual([]);
    expect(await startingAt(paris(MONDAY, '08:52'))).toEqual([
      {
        occurrenceId: `${maths}_${MONDAY}`,
        lessonId: maths,
        classIds: [tt.s.class6A],
        userIds: [tt.s.users.teacher6A],
        startsAt: new Date(paris(MONDAY, '09:00')).toISOString(),
        subject: 'Mathématiques',
        virtual: false,
      },
    ]);
    expect(await startingAt(paris(MONDAY, '09:00'))).toEqual([]); // already started
  });

  it('leaves out a cancelled occurrence and finds a moved one at its new time', async () => {
    const karim = await tt.as('karim.benali');
    expect((await karim.post(`/api/lessons/${maths}_${MONDAY}/cancellation`, { reason: 'Conseil de classe' })).statusCode).toBe(200);
    expect(await startingAt(paris(MONDAY, '08:52'))).toEqual([]);
    const anne = await tt.as('anne.bernard');
    const moved = await put(anne, `/api/lessons/${french}_${MONDAY}/move`, { date: MONDAY, start: '14:00', end: '15:00' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await startingAt(paris(MONDAY, '10:55'))).toEqual([]);
    expect((await startingAt(paris(MONDAY, '13:55'))).map((o) => o.occurrenceId)).toEqual([`${french}_${MONDAY}`]);
  });
});

describe('LessonStartingWatch', () => {
  it('announces each occurrence once, from the node holding the lease only', async () => {
    const heard: DomainEvent[] = [];
    const events = { publish: async (event: DomainEvent) => void heard.push(event) };
    const deps = { db: tt.t.deps.database.db, state: tt.t.deps.state, clock: tt.t.clock, events };
    const first = new LessonStartingWatch(deps, { timers: false, nodeId: 'node-a' });
    const second = new LessonStartingWatch(deps, { timers: false, nodeId: 'node-b' });
    tt.t.clock.set(paris(MONDAY, '13:52'));
    expect(await first.tick()).toBe(1);
    expect(await second.tick()).toBe(0);
    expect(await first.tick()).toBe(0);
    expect(heard).toMatchObject([{ type: 'lesson.starting', occurrenceId: `${french}_${MONDAY}`, userIds: [tt.s.users.teacherParentHugo] }]);
    // The leader stops (a node shutting down): the other takes over, and does not say it again.
    await first.stop();
    expect(await second.tick()).toBe(0);
    expect(heard).toHaveLength(1);
    await second.stop();
  });
});
