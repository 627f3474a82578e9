/**
 * A realistic week of cahier de textes for the demo collège: in each of the four classes, what
 * was done in the last school days and what is to do in the coming ones, in six subjects; and,
 * in 6e A, a maths assignment due in two days with hand-ins (one already reviewed by Karim
 * Benali), Léa Martin's still to do, plus last week's assignment (a late hand-in, Léa's work
 * reviewed with a mark). Idempotent: does nothing when the school already has homework.
 * Attachments are left out: the demo has no files in the blob store to point at.
 */
import { sql, type Insertable, type Kysely } from 'kysely';
import type { DB } from '../../../platform/db/schema.ts';
import { addDays, schoolToday } from '../homework.dates.ts';
import { DEMO_PLAN, type DemoSubject } from './homework-demo-content.ts';

interface Teaching {
  classId: string;
  className: string;
  level: string;
  subject: string;
  teacherId: string;
}

const isWeekday = (date: string): boolean => {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
};

/** The `count` school days (Monday–Friday) before `today` (excluded), oldest first. */
function schoolDaysBefore(today: string, count: number): string[] {
  const days: string[] = [];
  for (let d = addDays(today, -1); days.length < count; d = addDays(d, -1)) if (isWeekday(d)) days.unshift(d);
  return days;
}

/** The `count` school days after `today` (excluded). */
function schoolDaysAfter(today: string, count: number): string[] {
  const days: string[] = [];
  for (let d = addDays(today, 1); days.length < count; d = addDays(d, 1)) if (isWeekday(d)) days.push(d);
  return days;
}

/** A morning of that day (09:00 or 10:00 in Paris, close enough for when an entry was written). */
const morningOf = (date: string): Date => new Date(`${date}T08:00:00Z`);

export async function seedHomeworkDemo(db: Kysely<DB>, ctx: { schoolId: string; now: Date }): Promise<void> {
  const existing = await db.selectFrom('homework_items').select('id').where('school_id', '=', ctx.schoolId).limit(1).executeTakeFirst();
  const existingLesson = await db.selectFrom('homework_lessons').select('id').where('school_id', '=', ctx.schoolId).limit(1).executeTakeFirst();
  if (existing || existingLesson) return;
  const { rows: teaching } = await sql<Teaching>`
    SELECT DISTINCT ON (c.id, ta.subject_code) c.id AS "classId", c.name AS "className", c.level, ta.subject_code AS subject, ta.teacher_id AS "teacherId"
    FROM teaching_assignments ta JOIN classes c ON c.id = ta.class_id
    WHERE c.school_id = ${ctx.schoolId} AND c.kind = 'class'
    ORDER BY c.id, ta.subject_code, ta.teacher_id`.execute(db);
  if (teaching.length === 0) return;

  const today = schoolToday(ctx.now.getTime());
  const past = schoolDaysBefore(today, 5);
  const ahead = schoolDaysAfter(today, 6);
  await db.transaction().execute(async (tx) => {
    await insertWeek(tx, ctx.schoolId, teaching, past, ahead);
    const maths6A = teaching.find((t) => t.className === '6e A' && t.subject === 'MATHS');
    if (maths6A) await insertMathsAssignments(tx, ctx, maths6A, past, ahead);
  });
}

/** Lesson entries over the last school days and homework over the next ones, for every class and planned subject. */
async function insertWeek(tx: Kysely<DB>, schoolId: string, teaching: Teaching[], past: string[], ahead: string[]): Promise<void> {
  const lessons: Array<Insertable<DB['homework_lessons']>> = [];
  const items: Array<Insertable<DB['homework_items']>> = [];
  for (const t of teaching) {
    const plan: DemoSubject | undefined = DEMO_PLAN[t.subject];
    if (!plan) continue;
    const content = plan.byLevel[t.level] ?? plan.byLevel['*'];
    if (!content) continue;
    content.lessons.forEach((text, i) => {
      const date = past[(plan.firstDay + i * 2) % past.length]!;
      lessons.push({ school_id: schoolId, class_id: t.classId, subject_code: t.subject, teacher_id: t.teacherId, lesson_date: date, content: text, created_at: morningOf(date) });
    });
    content.homework.forEach((hw, i) => {
      const due = ahead[(plan.firstDay + i * 2) % ahead.length]!;
      const given = past[past.length - 1 - ((plan.firstDay + i) % 2)]!;
      items.push({
        school_id: schoolId,
        class_id: t.classId,
        subject_code: t.subject,
        teacher_id: t.teacherId,
        instructions: hw.text,
        due_date: due,
        due_time: hw.time ?? null,
        created_at: morningOf(given),
      });
    });
  }
  if (lessons.length > 0) await tx.insertInto('homework_lessons').values(lessons).execute();
  if (items.length > 0) await tx.insertInto('homework_items').values(items).execute();
}

/** This week's fractions worksheet (due in two days) and last week's, with hand-ins from 6e A. */
async function insertMathsAssignments(
  tx: Kysely<DB>,
  ctx: { schoolId: string; now: Date },
  t: Teaching,
  past: readonly string[],
  ahead: readonly string[],
): Promise<void> {
  const pupils = await tx
    .selectFrom('class_members as m')
    .innerJoin('users as u', 'u.id', 'm.pupil_id')
    .select(['u.id', 'u.login'])
    .where('m.class_id', '=', t.classId)
    .orderBy('u.last_name')
    .orderBy('u.first_name')
    .execute();
  const lea = pupils.find((p) => p.login === 'lea.martin');
  const others = pupils.filter((p) => p.id !== lea?.id);
  const now = ctx.now.getTime();
  const hoursAgo = (h: number): Date => new Date(now - h * 3_600_000);
  const base = { school_id: ctx.schoolId, class_id: t.classId, subject_code: 'MATHS', teacher_id: t.teacherId, requires_submission: true };

  // Due on the second school day ahead, at 8:00; last week's was due four school days ago, then closed.
  const previousDue = past[1]!;
  const current = await tx
    .insertInto('homework_items')
    .values({
      ...base,
      instructions:
        'Fiche d’exercices sur les fractions : faites les exercices 1 à 4.\nRendez votre travail ici (réponses tapées, ou photo lisible de votre cahier).',
      due_date: ahead[1]!,
      due_time: '08:00',
      created_at: hoursAgo(26),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const previous = await tx
    .insertInto('homework_items')
    .values({
      ...base,
      instructions: 'Problème « Le partage du gâteau » : rédigez votre démarche et votre réponse en une phrase.',
      due_date: previousDue,
      due_time: null,
      created_at: morningOf(past[0]!),
      closed_at: morningOf(past[3]!),
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const [a, b, c, d] = others;
  const reviewed = (feedback: string, mark: number, at: Date) => ({ feedback, mark, reviewed_at: at, reviewed_by: t.teacherId });
  const handIns: Array<[{ id: string } | undefined, string, Omit<Insertable<DB['homework_submissions']>, 'homework_id' | 'pupil_id'>]> = [
    [a, current.id, {
      text: 'Ex. 1 : 3/4 > 2/4 car 3 > 2.\nEx. 2 : 5/10 = 1/2.\nEx. 3 : 7/4 = 1 + 3/4.\nEx. 4 : 2/3 de 12 = 8.',
      submitted_at: hoursAgo(20),
      ...reviewed('Très bon travail, bien rédigé. Attention à justifier l’exercice 3 par un schéma.', 16.5, hoursAgo(2)),
    }],
    [b, current.id, { text: 'Ex. 1 : 3/4 est plus grand.\nEx. 2 : 5/10 = 1/2.\nJe n’ai pas compris l’exercice 4.', submitted_at: hoursAgo(5), version: 2 }],
    [c, current.id, { text: 'Mes réponses : 1) 3/4  2) 1/2  3) 1 + 3/4  4) 8', submitted_at: hoursAgo(3) }],
    [lea, previous.id, {
      text: 'Chacun a 3/8 du gâteau : 3 parts sur 8. Il reste 2/8 = 1/4 du gâteau.',
      submitted_at: morningOf(past[0]!),
      ...reviewed('Démarche claire et juste. Pense à simplifier 2/8 dès le début.', 15, morningOf(past[3]!)),
    }],
    // After the deadline: marked late.
    [d, previous.id, { text: 'Il reste 1/4 du gâteau.', submitted_at: morningOf(past[2]!) }],
  ];
  const subs = handIns.flatMap(([pupil, homeworkId, row]) => (pupil ? [{ ...row, homework_id: homeworkId, pupil_id: pupil.id }] : []));
  if (subs.length > 0) await tx.insertInto('homework_submissions').values(subs).execute();
}
