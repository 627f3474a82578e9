import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/database.ts';
import { seedDemo } from '../../schools/demo/demo-school.ts';
import { findLessonsOn } from '../timetable.dashboard.ts';
import { seedTimetableDemo } from './timetable-demo.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let schoolId: string;
/** Tuesday 8 September 2026, 10:00 in Paris. */
const NOW = new Date('2026-09-08T08:00:00Z');

beforeAll(async () => {
  database = await openTestDatabase();
  await seedDemo(database.db, () => undefined);
  schoolId = (await database.db.selectFrom('schools').select('id').executeTakeFirstOrThrow()).id;
  await seedTimetableDemo(database.db, { schoolId, now: NOW });
});
afterAll(() => database.close());

describe('the demo timetable', () => {
  it('gives each class about 26 hours a week, Monday to Friday 8:00–17:00, Wednesday afternoon free', async () => {
    const { rows } = await sql<{ name: string; hours: number; first: string; last: string; wednesday_pm: number; weekend: number }>`
      SELECT c.name, sum(extract(epoch FROM l.ends_at - l.starts_at) / 3600)::float AS hours,
        min(l.starts_at)::text AS first, max(l.ends_at)::text AS last,
        count(*) FILTER (WHERE l.weekday = 3 AND l.starts_at >= '12:00')::int AS wednesday_pm,
        count(*) FILTER (WHERE l.weekday > 5)::int AS weekend
      FROM timetable_lessons l JOIN classes c ON c.id = l.class_id
      WHERE c.kind = 'class' GROUP BY c.name ORDER BY c.name`.execute(database.db);
    expect(rows.map((r) => r.name)).toEqual(['3e B', '4e A', '5e B', '6e A']);
    for (const r of rows) {
      expect(r.hours, r.name).toBeGreaterThanOrEqual(24);
      expect(r.hours, r.name).toBeLessThanOrEqual(27);
      expect([r.first >= '08:00:00', r.last <= '17:00:00', r.wednesday_pm, r.weekend]).toEqual([true, true, 0, 0]);
    }
  });

  it('never puts a class or a teacher in two places at once', async () => {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM timetable_lessons a JOIN timetable_lessons b
        ON a.id < b.id AND a.weekday = b.weekday AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
       AND (a.class_id = b.class_id OR a.teacher_id = b.teacher_id)`.execute(database.db);
    expect(rows[0]!.n).toBe(0);
  });

  it("has lessons today, Karim Benali's maths with a Jitsi room, one cancelled and one changed room this week", async () => {
    const sixthA = await database.db.selectFrom('classes').select('id').where('name', '=', '6e A').executeTakeFirstOrThrow();
    const today = await findLessonsOn(database.db, { classIds: [sixthA.id], date: '2026-09-08' });
    expect(today.length).toBeGreaterThanOrEqual(5);
    const karim = await database.db.selectFrom('users').select('id').where('login', '=', 'karim.benali').executeTakeFirstOrThrow();
    const his = await findLessonsOn(database.db, { classIds: [], teacherId: karim.id, date: '2026-09-10' });
    expect(his.length).toBeGreaterThan(0);
    expect(his.every((l) => l.subject === 'Mathématiques' && l.virtual?.kind === 'jitsi')).toBe(true);
    const changes = await database.db.selectFrom('timetable_exceptions').select(['cancelled', 'moved_room', 'occurs_on']).execute();
    expect(changes.map((c) => [c.cancelled, c.moved_room]).sort()).toEqual([[false, 'CDI'], [true, null]]);
    expect(changes.every((c) => c.occurs_on >= '2026-09-08' && c.occurs_on <= '2026-09-14')).toBe(true);
  });

  it('is idempotent, and holds for the school year from September to early July', async () => {
    await seedTimetableDemo(database.db, { schoolId, now: NOW });
    const { rows } = await sql<{ n: number; from: string; to: string }>`
      SELECT count(*)::int AS n, min(valid_from)::text AS from, max(valid_to)::text AS to FROM timetable_lessons`.execute(database.db);
    expect(rows[0]).toMatchObject({ from: '2026-09-01', to: '2027-07-04' });
    const again = await database.db.selectFrom('timetable_lessons').select('id').execute();
    expect(again).toHaveLength(rows[0]!.n);
  });
});
