import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/database.ts';
import { ActorLoader } from '../../access/index.ts';
import { seedDemo } from '../../schools/demo/demo-school.ts';
import { schoolToday } from '../homework.dates.ts';
import { findHomeworkDue, findSubmissionsToReview } from '../homework.dashboard.ts';
import { getPupilHomework } from '../submissions.service.ts';
import { seedHomeworkDemo } from './homework-demo.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let schoolId: string;
const now = new Date(Date.UTC(2026, 8, 16, 8, 0)); // Wednesday 16 September 2026, 10:00 in Paris
const user = async (login: string) => (await database.db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id;

beforeAll(async () => {
  database = await openTestDatabase();
  await seedDemo(database.db, () => undefined);
  schoolId = (await database.db.selectFrom('schools').select('id').executeTakeFirstOrThrow()).id;
  await seedHomeworkDemo(database.db, { schoolId, now });
});
afterAll(() => database.close());

const count = async (table: 'homework_lessons' | 'homework_items' | 'homework_submissions') =>
  Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('the demo week of homework', () => {
  it('fills every class with lessons and homework in several subjects, and is idempotent', async () => {
    const before = [await count('homework_lessons'), await count('homework_items'), await count('homework_submissions')];
    expect(before[0]).toBeGreaterThan(30);
    expect(before[1]).toBeGreaterThan(20);
    await seedHomeworkDemo(database.db, { schoolId, now });
    expect([await count('homework_lessons'), await count('homework_items'), await count('homework_submissions')]).toEqual(before);
    const perClass = await database.db
      .selectFrom('homework_items as h')
      .innerJoin('classes as c', 'c.id', 'h.class_id')
      .select(['c.name', (eb) => eb.fn.count<number>('h.subject_code').distinct().as('subjects')])
      .groupBy('c.name')
      .orderBy('c.name')
      .execute();
    expect(perClass.map((r) => r.name)).toEqual(['3e B', '4e A', '5e B', '6e A']);
    for (const r of perClass) expect(Number(r.subjects)).toBeGreaterThanOrEqual(5);
  });

  it('Léa has the maths worksheet to hand in within two days, not done yet, and a reviewed one from last week', async () => {
    const lea = await user('lea.martin');
    const due = await findHomeworkDue(database.db, { pupilIds: [lea], from: '2026-09-01', to: '2026-09-30' });
    const worksheet = due.find((d) => d.summary.startsWith('Fiche d’exercices sur les fractions'));
    expect(worksheet).toMatchObject({ dueDate: '2026-09-18', dueTime: '08:00', requiresSubmission: true, status: 'todo' });
    expect(due.find((d) => d.summary.startsWith('Problème'))).toMatchObject({ status: 'reviewed', mark: 15, hasFeedback: true });
    expect(due.some((d) => d.summary === 'Exercices 3 à 5 p. 112')).toBe(true);

    const actor = (await new ActorLoader(database.db).load(lea, '00000000-0000-0000-0000-000000000000'))!;
    const clock = { now: () => now.getTime() };
    const list = await getPupilHomework({ db: database.db, clock }, actor, lea, {});
    expect(list.from <= schoolToday(now.getTime())).toBe(true);
    expect(list.items.length).toBeGreaterThan(5);
  });

  it('Karim has hand-ins to review: on time, late, reviewed and missing', async () => {
    const rows = await findSubmissionsToReview(database.db, await user('karim.benali'), { today: '2026-09-16' });
    const current = rows.find((r) => r.dueDate === '2026-09-18');
    expect(current).toMatchObject({ className: '6e A', submitted: 3, late: 0, toReview: 2 });
    expect(current!.missing).toBe(23);
    const previous = rows.find((r) => r.dueDate === '2026-09-10');
    expect(previous).toMatchObject({ submitted: 1, late: 1, toReview: 1 });
  });
});
