/**
 * The demo collège's timetable: each class has about 26 hours a week from Monday to Friday,
 * 8:00–17:00 with Wednesday afternoon free, over the subjects its teachers are assigned; the
 * Latin and German groups meet late on Monday and Thursday, when no class has a lesson. Karim
 * Benali's maths lessons have a Jitsi virtual class. Lessons hold for the current school year
 * (and at least the next two weeks, so that a visitor in summer still sees a week of lessons).
 * This week, one history lesson of 6e A is cancelled and one SVT lesson of 5e B changes room.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../../platform/db/schema.ts';
import { DEMO_ACCOUNTS } from '../../schools/index.ts';
import { schoolYearOf } from '../timetable.service.ts';
import { addDays, isoWeekday, todayIn } from '../zoned-time.ts';

const SLOTS = [
  ['08:00', '09:00'],
  ['09:00', '10:00'],
  ['10:15', '11:15'],
  ['11:15', '12:15'],
  ['13:45', '14:45'],
  ['14:45', '15:45'],
  ['16:00', '17:00'],
] as const;
/** Wednesday: mornings only. Monday and Thursday 16:00: the option groups (Latin, German). */
const OPEN = (weekday: number, slot: number): boolean =>
  weekday === 3 ? slot < 4 : !((weekday === 1 || weekday === 4) && slot === 6);

/** Weekly hours per subject, 6e and other levels (about 26). */
const HOURS: Record<string, { sixieme: number; other: number }> = {
  FRANCAIS: { sixieme: 5, other: 5 },
  MATHS: { sixieme: 5, other: 4 },
  HISTGEO: { sixieme: 3, other: 3 },
  ANGLAIS: { sixieme: 4, other: 3 },
  ESPAGNOL: { sixieme: 0, other: 2 },
  SVT: { sixieme: 2, other: 2 },
  PHYSCHIM: { sixieme: 1, other: 2 },
  TECHNO: { sixieme: 2, other: 2 },
  EPS: { sixieme: 4, other: 3 },
};
const SUBJECT_ROOMS: Record<string, string> = { SVT: 'Labo SVT', PHYSCHIM: 'Labo physique', TECHNO: 'Salle techno', EPS: 'Gymnase' };
const HOME_ROOMS = ['Salle 12', 'Salle 14', 'Salle 21', 'Salle 23'];
const GROUP_SLOTS: Record<string, { weekday: number; room: string }> = {
  LATIN: { weekday: 1, room: 'Salle 8' },
  ALLEMAND: { weekday: 4, room: 'Salle 9' },
};

interface Assignment {
  teacherId: string;
  classId: string;
  className: string;
  kind: 'class' | 'group';
  subjectCode: string;
}

export interface PlannedLesson {
  classId: string;
  subjectCode: string;
  teacherId: string;
  room: string;
  weekday: number;
  start: string;
  end: string;
}

/** A conflict-free week, deterministic: round-robin over subjects, earliest free slot across the week, at most two hours of a subject a day. */
export function planWeek(assignments: readonly Assignment[]): PlannedLesson[] {
  const out: PlannedLesson[] = [];
  const busy = new Set<string>();
  const cells: Array<[number, number]> = [];
  for (let slot = 0; slot < SLOTS.length; slot++) for (let weekday = 1; weekday <= 5; weekday++) if (OPEN(weekday, slot)) cells.push([weekday, slot]);
  const put = (a: Assignment, weekday: number, slot: number, room: string) => {
    busy.add(`${a.classId}/${weekday}/${slot}`).add(`${a.teacherId}/${weekday}/${slot}`);
    out.push({ classId: a.classId, subjectCode: a.subjectCode, teacherId: a.teacherId, room, weekday, start: SLOTS[slot]![0], end: SLOTS[slot]![1] });
  };
  for (const a of assignments.filter((x) => x.kind === 'group')) {
    const group = GROUP_SLOTS[a.subjectCode];
    if (group) put(a, group.weekday, 6, group.room);
  }
  const classes = [...new Set(assignments.filter((a) => a.kind === 'class').map((a) => a.className))].sort();
  for (const [index, className] of classes.entries()) {
    const mine = assignments.filter((a) => a.className === className && HOURS[a.subjectCode]);
    const hours = (a: Assignment) => HOURS[a.subjectCode]![className.startsWith('6') ? 'sixieme' : 'other'];
    const units: Assignment[] = [];
    for (let round = 0; round < 6; round++) for (const a of mine) if (hours(a) > round) units.push(a);
    const perDay = new Map<string, number>();
    for (const a of units) {
      const fits = (max: number) =>
        cells.find(([d, s]) => !busy.has(`${a.classId}/${d}/${s}`) && !busy.has(`${a.teacherId}/${d}/${s}`) && (perDay.get(`${a.subjectCode}/${d}`) ?? 0) < max);
      const cell = fits(1) ?? fits(2);
      if (!cell) continue;
      perDay.set(`${a.subjectCode}/${cell[0]}`, (perDay.get(`${a.subjectCode}/${cell[0]}`) ?? 0) + 1);
      put(a, cell[0], cell[1], SUBJECT_ROOMS[a.subjectCode] ?? HOME_ROOMS[index % HOME_ROOMS.length]!);
    }
  }
  return out;
}

/** The first date on or after `from` that falls on `weekday`. */
const nextOn = (from: string, weekday: number): string => addDays(from, (weekday - isoWeekday(from) + 7) % 7);

export async function seedTimetableDemo(db: Kysely<DB>, ctx: { schoolId: string; now: Date }): Promise<void> {
  const existing = await db.selectFrom('timetable_lessons').select('id').where('school_id', '=', ctx.schoolId).limit(1).executeTakeFirst();
  if (existing) return;
  const { rows: assignments } = await sql<Assignment>`
    SELECT ta.teacher_id AS "teacherId", ta.class_id AS "classId", c.name AS "className", c.kind, ta.subject_code AS "subjectCode"
    FROM teaching_assignments ta JOIN classes c ON c.id = ta.class_id
    WHERE c.school_id = ${ctx.schoolId}
    ORDER BY c.name, ta.subject_code`.execute(db);
  if (assignments.length === 0) return;
  const karimLogin = DEMO_ACCOUNTS.find((a) => a.key === 'teacher')?.login ?? 'karim.benali';
  const karim = await db.selectFrom('users').select('id').where('login', '=', karimLogin).executeTakeFirst();

  const today = todayIn(ctx.now.getTime());
  const year = schoolYearOf(today);
  const validTo = year.to > addDays(today, 14) ? year.to : addDays(today, 14);
  const planned = planWeek(assignments);
  await db.transaction().execute(async (tx) => {
    const inserted = await tx
      .insertInto('timetable_lessons')
      .values(
        planned.map((p) => ({
          school_id: ctx.schoolId,
          class_id: p.classId,
          subject_code: p.subjectCode,
          teacher_id: p.teacherId,
          room: p.room,
          weekday: p.weekday,
          starts_at: p.start,
          ends_at: p.end,
          valid_from: year.from,
          valid_to: validTo,
          virtual_kind: p.teacherId === karim?.id && p.subjectCode === 'MATHS' ? ('jitsi' as const) : null,
        })),
      )
      .returning(['id', 'class_id', 'subject_code', 'weekday'])
      .execute();
    const classNames = new Map(assignments.map((a) => [a.classId, a.className]));
    const find = (className: string, subject: string) =>
      inserted
        .filter((l) => classNames.get(l.class_id) === className && l.subject_code === subject)
        .map((l) => ({ id: l.id, date: nextOn(today, l.weekday) }))
        .sort((a, b) => a.date.localeCompare(b.date))[0];
    const history = find('6e A', 'HISTGEO');
    const svt = find('5e B', 'SVT');
    const exceptions = [
      ...(history ? [{ lesson_id: history.id, occurs_on: history.date, cancelled: true, cancel_reason: 'M. Girard accompagne les 3e au Mémorial de la Shoah.' }] : []),
      ...(svt ? [{ lesson_id: svt.id, occurs_on: svt.date, moved_room: 'CDI' }] : []),
    ];
    if (exceptions.length > 0) await tx.insertInto('timetable_exceptions').values(exceptions).execute();
  });
}
