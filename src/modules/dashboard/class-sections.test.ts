import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries } from '../../platform/db/db.ts';
import { addPupils } from '../../test/fixtures.ts';
import { ActorLoader } from '../access/index.ts';
import { AT_0830, MONDAY, setUpTimetable, type TimetableTest } from '../timetable/timetable.test-support.ts';
import { ClassSections } from './class-sections.ts';
import { getDashboard } from './dashboard.service.ts';

let tt: TimetableTest;
let classmate: string;
let homeworkId: string;

const SESSION = '00000000-0000-0000-0000-000000000000';

beforeAll(async () => {
  tt = await setUpTimetable();
  const db = tt.t.deps.database.db;
  await tt.lesson({ weekday: 1, start: '09:00', end: '10:00' });
  await tt.lesson({ weekday: 1, start: '08:00', end: '09:00', subjectCode: 'FRANCAIS', teacherId: tt.s.users.teacherParentHugo });
  await addPupils(db, tt.s.schoolA, tt.s.class6A, 3);
  const pupils = await db.selectFrom('class_members').select('pupil_id').where('class_id', '=', tt.s.class6A).where('pupil_id', '<>', tt.s.users.lea).execute();
  classmate = pupils[0]!.pupil_id;
  const item = { school_id: tt.s.schoolA, class_id: tt.s.class6A, teacher_id: tt.s.users.teacher6A, due_date: '2026-09-09' };
  const [hw] = await db
    .insertInto('homework_items')
    .values([
      { ...item, subject_code: 'MATHS', instructions: 'Exercices 1 à 4\npage 12', requires_submission: true },
      { ...item, subject_code: 'FRANCAIS', instructions: 'Lire le chapitre 2', due_time: '08:00' },
    ])
    .returning('id')
    .execute();
  homeworkId = hw!.id;
  await db
    .insertInto('homework_submissions')
    .values({ homework_id: homeworkId, pupil_id: tt.s.users.lea, submitted_at: new Date(AT_0830), mark: 15, feedback: 'Bien', reviewed_at: new Date(AT_0830) })
    .execute();
});
afterAll(() => tt.t.close());

async function dashboardOf(userId: string, sections?: ClassSections) {
  const db = tt.t.deps.database.db;
  const actor = (await new ActorLoader(db, { ttlMs: 0 }).load(userId, SESSION))!;
  return countQueries(() => getDashboard({ db, clock: { now: () => AT_0830 }, ...(sections ? { sections } : {}) }, actor));
}

describe('class sections (the per-class cache of the 9:00 page)', () => {
  it('gives the same dashboard as the queries without cache, each pupil with their own hand-in status', async () => {
    const sections = new ClassSections(tt.t.deps.database.db);
    for (const pupil of [tt.s.users.lea, classmate]) {
      const plain = (await dashboardOf(pupil)).result;
      const cached = (await dashboardOf(pupil, sections)).result;
      expect(cached).toEqual(plain);
    }
    const lea = (await dashboardOf(tt.s.users.lea, sections)).result.today;
    expect(lea.date).toBe(MONDAY);
    expect(lea.lessons.map((l) => l.subject)).toEqual(['Français', 'Mathématiques']);
    // Same day: the one due at 08:00 before the one due by the end of the day.
    expect(lea.homework.map((h) => [h.subject, h.status, h.mark, h.hasFeedback])).toEqual([
      ['Français', 'todo', null, false],
      ['Mathématiques', 'reviewed', 15, true],
    ]);
    const mate = (await dashboardOf(classmate, sections)).result.today;
    expect(mate.homework.map((h) => [h.pupilId, h.status])).toEqual([
      [classmate, 'todo'],
      [classmate, 'todo'],
    ]);
  });

  it('a second pupil of the same class costs fewer database queries than the first', async () => {
    const sections = new ClassSections(tt.t.deps.database.db);
    const first = await dashboardOf(tt.s.users.lea, sections);
    const second = await dashboardOf(classmate, sections);
    expect(second.queries).toBeLessThan(first.queries);
    // Lessons, homework items, documents, the pupil section and the name came from the class cache.
    expect(first.queries - second.queries).toBeGreaterThanOrEqual(4);
  });

  it('forgets a class when a domain event about it is published on the bus', async () => {
    const events = tt.t.deps.events;
    const sections = new ClassSections(tt.t.deps.database.db);
    const stop = sections.listen(events);
    await sections.lessons(tt.s.class6A, MONDAY);
    await sections.homework(tt.s.class6A, MONDAY, '2026-09-14');
    await sections.documents(tt.s.class6A, 5);
    await sections.lessons(tt.s.class5B, MONDAY);
    expect(sections.size).toBe(4);

    await events.publish({ type: 'homework.changed', classIds: [tt.s.class6A], homeworkId, change: 'updated' });
    expect(sections.size).toBe(3);
    const reread = await countQueries(() => sections.homework(tt.s.class6A, MONDAY, '2026-09-14'));
    expect(reread.queries).toBe(1);

    await events.publish({ type: 'timetable.changed', classIds: [tt.s.class6A] });
    await events.publish({ type: 'documents.changed', classIds: [tt.s.class6A] });
    expect(sections.size).toBe(2); // 6e A's homework (read again) and 5e B's lessons
    const cached = await countQueries(() => sections.lessons(tt.s.class5B, MONDAY));
    expect(cached.queries).toBe(0);
    stop();
  });

  it('shares one query between concurrent misses, and keeps nothing from a failed one', async () => {
    const sections = new ClassSections(tt.t.deps.database.db);
    const both = await countQueries(() => Promise.all([sections.lessons(tt.s.class6A, MONDAY), sections.lessons(tt.s.class6A, MONDAY)]));
    expect(both.queries).toBe(1);
    await expect(sections.lessons(tt.s.class6A, 'pas-une-date')).rejects.toThrow();
    expect(sections.size).toBe(1);
  });
});

describe('dashboard over HTTP with the class cache', () => {
  it("forgets a person's cached dashboard on every node through people.changed", async () => {
    const c = await tt.as('lea.martin');
    const first = await c.get('/api/dashboard');
    expect(first.statusCode).toBe(200);
    const db = tt.t.deps.database.db;
    await db.updateTable('users').set({ first_name: 'Léonie' }).where('id', '=', tt.s.users.lea).execute();
    expect((await c.get('/api/dashboard')).json().user.firstName).toBe('Léa'); // cached for a few seconds
    await tt.t.deps.events.publish({ type: 'people.changed', userIds: [tt.s.users.lea] });
    expect((await c.get('/api/dashboard')).json().user.firstName).toBe('Léonie');
    await db.updateTable('users').set({ first_name: 'Léa' }).where('id', '=', tt.s.users.lea).execute();
  });
});
