import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries } from '../../platform/db/db.ts';
import { addPupils } from '../../test/fixtures.ts';
import { findLessonsOn } from './timetable.dashboard.ts';
import { MONDAY, paris, put, setUpTimetable, type TimetableTest } from './timetable.test-support.ts';

let tt: TimetableTest;
let maths: string;
let french: string;

beforeAll(async () => {
  tt = await setUpTimetable();
  maths = await tt.lesson({ weekday: 1, start: '09:00', end: '10:00' });
  french = await tt.lesson({ weekday: 1, start: '08:00', end: '09:00', subjectCode: 'FRANCAIS', teacherId: tt.s.users.teacherParentHugo, room: 'Salle 4' });
  await tt.lesson({ weekday: 2, start: '08:00', end: '09:00' });
  await tt.lesson({ weekday: 1, start: '11:15', end: '12:15', classId: tt.s.class5B });
  await put(await tt.as('karim.benali'), `/api/timetable/lessons/${maths}/virtual`, { kind: 'room' });
});
afterAll(() => tt.t.close());

describe('findLessonsOn (dashboard)', () => {
  it("gives a day's lessons of the classes asked, by start time, with the join window", async () => {
    const lessons = await findLessonsOn(tt.t.deps.database.db, { classIds: [tt.s.class6A], date: MONDAY });
    expect(lessons).toEqual([
      {
        occurrenceId: `${french}_${MONDAY}`,
        lessonId: french,
        classId: tt.s.class6A,
        className: '6e A',
        subject: 'Français',
        subjectCode: 'FRANCAIS',
        teacherName: 'Anne Bernard',
        room: 'Salle 4',
        start: new Date(paris(MONDAY, '08:00')).toISOString(),
        end: new Date(paris(MONDAY, '09:00')).toISOString(),
        status: 'scheduled',
        virtual: null,
        joinOpensAt: new Date(paris(MONDAY, '07:50')).toISOString(),
      },
      expect.objectContaining({ lessonId: maths, subject: 'Mathématiques', virtual: { kind: 'jitsi' }, joinOpensAt: new Date(paris(MONDAY, '08:50')).toISOString() }),
    ]);
  });

  it("adds a teacher's own lessons in other classes, and shows cancelled and moved ones as such", async () => {
    const karim = await tt.as('karim.benali');
    await karim.post(`/api/lessons/${maths}_${MONDAY}/cancellation`, { reason: 'Absent' });
    const lessons = await findLessonsOn(tt.t.deps.database.db, { classIds: [], teacherId: tt.s.users.teacher6A, date: MONDAY });
    expect(lessons.map((l) => [l.className, l.status, l.virtual])).toEqual([
      ['6e A', 'cancelled', null],
      ['5e B', 'scheduled', null],
    ]);
  });

  it('costs one query whatever the number of classes', async () => {
    const db = tt.t.deps.database.db;
    const measure = async (classIds: string[]) => (await countQueries(() => findLessonsOn(db, { classIds, teacherId: tt.s.users.teacher6A, date: MONDAY }))).queries;
    const before = await measure([tt.s.class6A]);
    const more: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await db.insertInto('classes').values({ school_id: tt.s.schoolA, name: `4e ${i}`, level: '4e' }).returning('id').executeTakeFirstOrThrow();
      await addPupils(db, tt.s.schoolA, c.id, 3);
      await tt.lesson({ classId: c.id, weekday: 1, start: `1${i}:00`, end: `1${i}:45`, teacherId: tt.s.users.teacherParentHugo, subjectCode: 'FRANCAIS' });
      more.push(c.id);
    }
    expect(await measure([tt.s.class6A, ...more])).toBe(before);
    expect(before).toBe(1);
  });
});
