/** Helpers for the timetable's tests: a school with a week starting Monday 7 September 2026, signed-in clients. */
import { type Client, buildTestApp, type TestApp, browsers } from '../../test/app.ts';
import { FIXTURE_PASSWORD, createSchoolFixture, type SchoolFixture } from '../../test/fixtures.ts';
import { hashPassword } from '../identity/index.ts';

/** Monday 7 September 2026 (semaine A), 08:30 in Paris. */
export const MONDAY = '2026-09-07';
export const AT_0830 = Date.parse('2026-09-07T06:30:00Z');
export const paris = (date: string, time: string): number => Date.parse(`${date}T${time}:00+02:00`);

export interface TimetableTest {
  t: TestApp;
  s: SchoolFixture;
  as(login: string): Promise<Client>;
  /** A lesson made by the principal; returns its id. */
  lesson(body?: Partial<LessonInput>): Promise<string>;
}

export interface LessonInput {
  classId: string;
  subjectCode: string;
  teacherId: string;
  room: string;
  weekday: number;
  start: string;
  end: string;
  validFrom: string;
  validTo: string;
}

export async function setUpTimetable(env?: Record<string, string>): Promise<TimetableTest> {
  const t = await buildTestApp(env ? { env } : {});
  const s = await createSchoolFixture(t.deps.database.db, { passwordHash: await hashPassword(FIXTURE_PASSWORD) });
  t.clock.set(AT_0830);
  const as = browsers(() => t.app, FIXTURE_PASSWORD);
  const lesson = async (body: Partial<LessonInput> = {}) => {
    const res = await (await as('claire.dubois')).post('/api/timetable/lessons', lessonBody(s, body));
    if (res.statusCode !== 201) throw new Error(`lesson not created: ${res.statusCode} ${res.body}`);
    return res.json<{ id: string }>().id;
  };
  return { t, s, as, lesson };
}

/** Maths, 6e A, Karim Benali, Monday 9:00–10:00, Salle 12, for the school year 2026–2027. */
export function lessonBody(s: SchoolFixture, body: Partial<LessonInput> = {}): LessonInput {
  return {
    classId: s.class6A,
    subjectCode: 'MATHS',
    teacherId: s.users.teacher6A,
    room: 'Salle 12',
    weekday: 1,
    start: '09:00',
    end: '10:00',
    validFrom: '2026-09-01',
    validTo: '2027-07-04',
    ...body,
  };
}

/** PUT and DELETE with the CSRF token, like Client.post. */
export function put(c: Client, url: string, payload: unknown) {
  return c.request({ method: 'PUT', url, payload: payload as string });
}
export function del(c: Client, url: string) {
  return c.request({ method: 'DELETE', url });
}
