/**
 * Homework services and stores on a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL):
 * dates, hand-ins (late, replaced, reviewed, closed), who reads what, the dashboard functions,
 * and the bounded number of queries of each page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries } from '../../platform/db/db.ts';
import { DAY, HOUR } from '../../shared/time.ts';
import { buildTestApp, type TestApp } from '../../test/app.ts';
import { addPupils, createSchoolFixture, type SchoolFixture } from '../../test/fixtures.ts';
import { ActorLoader, type Actor } from '../access/index.ts';
import * as cahier from './cahier.service.ts';
import { addDays, isDueInPast, schoolToday } from './homework.dates.ts';
import { findHomeworkDue, findSubmissionsToReview } from './homework.dashboard.ts';
import type { HomeworkDeps } from './homework.service.ts';
import * as submissions from './submissions.service.ts';

let t: TestApp;
let s: SchoolFixture;
let deps: HomeworkDeps;
let loader: ActorLoader;
const as = async (userId: string): Promise<Actor> => (await loader.load(userId, '00000000-0000-0000-0000-000000000000'))!;
const today = () => schoolToday(t.clock.now());

beforeAll(async () => {
  t = await buildTestApp();
  s = await createSchoolFixture(t.deps.database.db, { passwordHash: 'x' });
  deps = { db: t.deps.database.db, clock: t.clock };
  loader = new ActorLoader(t.deps.database.db, { ttlMs: 0 });
});
afterAll(() => t.close());

const newAssignment = async (days = 2, extra: Partial<Parameters<typeof cahier.createHomework>[3]> = {}) =>
  cahier.createHomework(deps, await as(s.users.teacher6A), s.class6A, {
    subject: 'MATHS',
    instructions: 'Exercices 3 à 5 p. 112',
    dueDate: addDays(today(), days),
    requiresSubmission: true,
    ...extra,
  });

describe('school calendar', () => {
  it('reads today and past due dates in Paris time', () => {
    const lateEvening = Date.UTC(2026, 0, 15, 23, 30); // 00:30 on the 16th in Paris
    expect(schoolToday(lateEvening)).toBe('2026-01-16');
    expect(isDueInPast('2026-01-15', null, lateEvening)).toBe(true);
    expect(isDueInPast('2026-01-16', null, lateEvening)).toBe(false);
    expect(isDueInPast('2026-01-16', '00:15', lateEvening)).toBe(true);
    expect(isDueInPast('2026-01-16', '08:00', lateEvening)).toBe(false);
  });
});

describe('cahier de textes', () => {
  it('a teacher writes a lesson entry in the past and homework due later; the class reads both', async () => {
    const teacher = await as(s.users.teacher6A);
    const lesson = await cahier.createLesson(deps, teacher, s.class6A, { subject: 'MATHS', date: addDays(today(), -2), content: '  Les fractions : définition.  ' });
    expect(lesson).toMatchObject({ content: 'Les fractions : définition.', subject: { code: 'MATHS', label: 'Mathématiques' } });
    const hw = await cahier.createHomework(deps, teacher, s.class6A, {
      subject: 'MATHS',
      instructions: 'Apprendre la leçon sur les fractions',
      dueDate: addDays(today(), 1),
      dueTime: '08:00',
    });
    expect(hw).toMatchObject({ dueTime: '08:00', requiresSubmission: false, counts: null, class: { name: '6e A' } });

    const page = await cahier.getClassHomework(deps, await as(s.users.lea), s.class6A, { subject: 'MATHS' });
    expect(page.canWrite).toBe(false);
    expect(page.lessons.map((l) => l.id)).toContain(lesson.id);
    expect(page.homework.map((h) => h.id)).toContain(hw.id);
    expect((await cahier.getClassHomework(deps, teacher, s.class6A, { subject: 'MATHS' })).canWrite).toBe(true);
  });

  it('refuses a due date in the past, or today at an hour already gone, with a French message (400)', async () => {
    const teacher = await as(s.users.teacher6A);
    const base = { subject: 'MATHS', instructions: 'Exercice 1' };
    await expect(cahier.createHomework(deps, teacher, s.class6A, { ...base, dueDate: addDays(today(), -1) })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/date de remise est déjà passée/),
    });
    const oneMinuteAgo = new Date(t.clock.now() - 60_000).toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });
    if (schoolToday(t.clock.now() - 60_000) === today()) {
      await expect(cahier.createHomework(deps, teacher, s.class6A, { ...base, dueDate: today(), dueTime: oneMinuteAgo })).rejects.toMatchObject({
        code: 'VALIDATION',
      });
    }
    await expect(cahier.createHomework(deps, teacher, s.class6A, { ...base, dueDate: today() })).resolves.toMatchObject({ dueDate: today() });
  });

  it('refuses empty instructions and an empty lesson (400), writing nothing', async () => {
    const teacher = await as(s.users.teacher6A);
    const before = await t.deps.database.db.selectFrom('homework_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(
      cahier.createHomework(deps, teacher, s.class6A, { subject: 'MATHS', instructions: '   ', dueDate: addDays(today(), 1) }),
    ).rejects.toMatchObject({ code: 'VALIDATION', message: 'Écrivez la consigne du travail à faire.' });
    await expect(cahier.createLesson(deps, teacher, s.class6A, { subject: 'MATHS', date: today(), content: '' })).rejects.toMatchObject({ code: 'VALIDATION' });
    const after = await t.deps.database.db.selectFrom('homework_items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('only a teacher of that class and subject writes (403); unknown class 404', async () => {
    const body = { subject: 'MATHS', instructions: 'Exercice 1', dueDate: addDays(today(), 1) };
    // Anne teaches French in 6e A, not maths; Karim teaches maths but not in school B.
    await expect(cahier.createHomework(deps, await as(s.users.teacherParentHugo), s.class6A, body)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(cahier.createHomework(deps, await as(s.users.teacher6A), s.classB1, body)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(cahier.createHomework(deps, await as(s.users.lea), s.class6A, body)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(cahier.createHomework(deps, await as(s.users.teacher6A), '00000000-0000-4000-8000-000000000000', body)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('no teacher edits or deletes another teacher’s homework (403); the author does', async () => {
    const hw = await newAssignment(3, { requiresSubmission: false });
    const anne = await as(s.users.teacherParentHugo);
    await expect(cahier.updateHomework(deps, anne, hw.id, { instructions: 'Autre chose' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(cahier.deleteHomework(deps, anne, hw.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(cahier.setHomeworkClosed(deps, anne, hw.id, true)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const karim = await as(s.users.teacher6A);
    expect((await cahier.updateHomework(deps, karim, hw.id, { instructions: 'Exercices 6 et 7 p. 113' })).instructions).toBe('Exercices 6 et 7 p. 113');
    await cahier.deleteHomework(deps, karim, hw.id);
    await expect(cahier.updateHomework(deps, karim, hw.id, { instructions: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('pupils of another class cannot read the cahier de textes (403)', async () => {
    await expect(cahier.getClassHomework(deps, await as(s.users.hugo), s.class6A, { subject: 'MATHS' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(cahier.getClassHomework(deps, await as(s.users.teacherB), s.class6A, { subject: 'MATHS' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(cahier.getClassHomework(deps, await as(s.users.principal), s.class6A, { subject: 'MATHS' })).resolves.toBeTruthy();
  });
});

describe('hand-ins', () => {
  it('a pupil hands in, replaces (version 2) until reviewed, then the teacher’s review freezes it (409)', async () => {
    const hw = await newAssignment();
    const lea = await as(s.users.lea);
    const first = await submissions.handIn(deps, lea, hw.id, { text: 'Ma réponse' });
    expect(first).toMatchObject({ version: 1, isLate: false, text: 'Ma réponse', feedback: null, mark: null });
    const second = await submissions.handIn(deps, lea, hw.id, { text: 'Ma réponse corrigée' });
    expect(second).toMatchObject({ id: first.id, version: 2, text: 'Ma réponse corrigée' });

    const reviewed = await submissions.reviewSubmission(deps, await as(s.users.teacher6A), first.id, { feedback: 'Bien.', mark: 14.5 });
    expect(reviewed).toMatchObject({ feedback: 'Bien.', mark: 14.5 });
    expect(reviewed.reviewedAt).not.toBeNull();
    await expect(submissions.handIn(deps, lea, hw.id, { text: 'Encore' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/déjà été corrigé/),
    });
    const list = await submissions.getPupilHomework(deps, lea, s.users.lea, {});
    expect(list.items.find((i) => i.id === hw.id)).toMatchObject({ status: 'reviewed', submission: { mark: 14.5, feedback: 'Bien.' } });
  });

  it('after the deadline a hand-in is accepted and marked late; once closed it is refused (409)', async () => {
    const hw = await newAssignment(1);
    t.clock.advance(3 * DAY);
    try {
      const late = await submissions.handIn(deps, await as(s.users.lea), hw.id, { text: 'En retard' });
      expect(late.isLate).toBe(true);
      const page = await submissions.getReviewPage(deps, await as(s.users.teacher6A), hw.id);
      expect(page.pupils.find((p) => p.pupil.id === s.users.lea)?.status).toBe('late');
      await cahier.setHomeworkClosed(deps, await as(s.users.teacher6A), hw.id, true);
      await expect(submissions.handIn(deps, await as(s.users.lea), hw.id, { text: 'Encore' })).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/clos ce devoir/),
      });
      const reopened = await cahier.setHomeworkClosed(deps, await as(s.users.teacher6A), hw.id, false);
      expect(reopened.closedAt).toBeNull();
    } finally {
      t.clock.advance(-3 * DAY);
    }
  });

  it('refuses an empty hand-in (400), one for an item without hand-in (409), and one from another class (403)', async () => {
    const hw = await newAssignment();
    await expect(submissions.handIn(deps, await as(s.users.lea), hw.id, { text: '  ' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(submissions.handIn(deps, await as(s.users.hugo), hw.id, { text: 'Moi aussi' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(submissions.handIn(deps, await as(s.users.parentLea), hw.id, { text: 'Pour Léa' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const plain = await newAssignment(2, { requiresSubmission: false });
    await expect(submissions.handIn(deps, await as(s.users.lea), plain.id, { text: 'x' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('checks marks: 0 to 20 with one decimal, or none', async () => {
    const hw = await newAssignment();
    const sub = await submissions.handIn(deps, await as(s.users.lea), hw.id, { text: 'Réponse' });
    const karim = await as(s.users.teacher6A);
    await expect(submissions.reviewSubmission(deps, karim, sub.id, { feedback: '', mark: 12.25 })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(submissions.reviewSubmission(deps, karim, sub.id, { feedback: '', mark: null })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect((await submissions.reviewSubmission(deps, karim, sub.id, { feedback: 'Appréciation seule', mark: null })).mark).toBeNull();
    expect((await submissions.reviewSubmission(deps, karim, sub.id, { feedback: '', mark: 0 })).mark).toBe(0);
  });

  it('no pupil reads another pupil’s work; parents, the teacher and direction do; other teachers do not', async () => {
    const hw = await newAssignment();
    const sub = await submissions.handIn(deps, await as(s.users.lea), hw.id, { text: 'Travail de Léa' });
    for (const who of [s.users.hugo, s.users.teacherParentHugo, s.users.adminA, s.users.teacherB]) {
      await expect(submissions.getSubmission(deps, await as(who), sub.id), who).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    for (const who of [s.users.lea, s.users.parentLea, s.users.teacher6A, s.users.principal, s.users.cpe]) {
      expect((await submissions.getSubmission(deps, await as(who), sub.id)).text).toBe('Travail de Léa');
    }
    await expect(submissions.getReviewPage(deps, await as(s.users.lea), hw.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(submissions.getPupilHomework(deps, await as(s.users.hugo), s.users.lea, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(submissions.reviewSubmission(deps, await as(s.users.principal), sub.id, { feedback: 'x', mark: null })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('a teacher cannot delete an assignment with hand-ins, nor stop asking for them (409)', async () => {
    const hw = await newAssignment();
    await submissions.handIn(deps, await as(s.users.lea), hw.id, { text: 'Réponse' });
    const karim = await as(s.users.teacher6A);
    await expect(cahier.deleteHomework(deps, karim, hw.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(cahier.updateHomework(deps, karim, hw.id, { requiresSubmission: false })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('bounded queries', () => {
  it('the review page of a class of 30 and a pupil’s fortnight are one query each, whatever the size', async () => {
    const hw = await newAssignment();
    await submissions.handIn(deps, await as(s.users.lea), hw.id, { text: 'Réponse' });
    const karim = await as(s.users.teacher6A);
    const lea = await as(s.users.lea);
    const before = await countQueries(() => submissions.getReviewPage(deps, karim, hw.id));
    await addPupils(t.deps.database.db, s.schoolA, s.class6A, 30);
    for (let i = 0; i < 5; i++) await newAssignment(1 + i);
    const after = await countQueries(() => submissions.getReviewPage(deps, karim, hw.id));
    expect(after.result.pupils.length).toBeGreaterThanOrEqual(31);
    expect(after.queries).toBe(1);
    expect(before.queries).toBe(1);
    expect((await countQueries(() => submissions.getPupilHomework(deps, lea, s.users.lea, {}))).queries).toBe(1);
    expect((await countQueries(() => cahier.getClassHomework(deps, karim, s.class6A, { subject: 'MATHS' }))).queries).toBe(1);
  });
});

describe('dashboard functions', () => {
  it('findHomeworkDue gives each pupil’s homework with status, for many pupils in one query', async () => {
    const hw = await newAssignment(4, { instructions: 'Fiche sur les fractions\nDétails en classe' });
    const sub = await submissions.handIn(deps, await as(s.users.lea), hw.id, { text: 'Réponse' });
    await submissions.reviewSubmission(deps, await as(s.users.teacher6A), sub.id, { feedback: 'Bien', mark: 17 });
    const { result, queries } = await countQueries(() =>
      findHomeworkDue(deps.db, { pupilIds: [s.users.lea, s.users.hugo], from: today(), to: addDays(today(), 14) }),
    );
    expect(queries).toBe(1);
    const row = result.find((r) => r.homeworkId === hw.id && r.pupilId === s.users.lea);
    expect(row).toMatchObject({ subject: 'Mathématiques', summary: 'Fiche sur les fractions', status: 'reviewed', mark: 17, hasFeedback: true, requiresSubmission: true });
    expect(result.some((r) => r.pupilId === s.users.hugo && r.homeworkId === hw.id)).toBe(false);
    expect(await findHomeworkDue(deps.db, { pupilIds: [], from: today(), to: today() })).toEqual([]);
  });

  it('findSubmissionsToReview counts on time, late, missing and to review per assignment, in one query', async () => {
    const hw = await newAssignment(1);
    await submissions.handIn(deps, await as(s.users.lea), hw.id, { text: 'Réponse' });
    const { result, queries } = await countQueries(() => findSubmissionsToReview(deps.db, s.users.teacher6A, { today: today() }));
    expect(queries).toBe(1);
    const row = result.find((r) => r.homeworkId === hw.id);
    expect(row).toMatchObject({ className: '6e A', subject: 'Mathématiques', submitted: 1, late: 0, toReview: 1 });
    expect(row!.missing).toBeGreaterThan(0);
    expect(await findSubmissionsToReview(deps.db, s.users.teacherParentHugo)).toEqual([]);
  });

  it('a hand-in one hour before the deadline is on time', async () => {
    const hw = await newAssignment(1, { dueTime: '10:00' });
    const dueAt = Date.parse(hw.dueAt);
    const saved = t.clock.now();
    t.clock.set(dueAt - HOUR);
    try {
      expect((await submissions.handIn(deps, await as(s.users.lea), hw.id, { text: 'Juste à temps' })).isLate).toBe(false);
    } finally {
      t.clock.set(saved);
    }
  });
});
