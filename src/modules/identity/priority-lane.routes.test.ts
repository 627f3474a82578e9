/**
 * The priority lane through the real routes and tables: the credential a teacher's device gets at
 * sign-in and on a session resume covers their lesson's window, read from the timetable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../test/app.ts';
import { FIXTURE_PASSWORD } from '../../test/fixtures.ts';
import { MINUTE } from '../../shared/time.ts';
import { MONDAY, paris, setUpTimetable, type TimetableTest } from '../timetable/timetable.test-support.ts';
import { LANE_COOKIE, PASS_COOKIE, SessionTokens } from './session-tokens.ts';

let tt: TimetableTest;
let lessonId = '';
const NINE = paris(MONDAY, '09:00');
const WEEK = 7 * 24 * 60 * MINUTE;

beforeAll(async () => {
  tt = await setUpTimetable();
  lessonId = await tt.lesson(); // Karim Benali, Monday 9:00–10:00
  await tt.t.deps.events.publish({ type: 'timetable.changed', classIds: [tt.s.class6A] });
});
afterAll(() => tt.t.close());

const mondayAfter = (weeks: number) => new Date(NINE + weeks * WEEK).toISOString().slice(0, 10);

const laneOf = (c: Client) => new SessionTokens(tt.t.deps.signer).readLane(c.cookie(LANE_COOKIE));

describe('priority lane credential (PRIORITY_LANE=lesson-soon)', () => {
  it('is minted at sign-in for the lesson window: valid 14 minutes before, not 16 minutes before', async () => {
    tt.t.clock.set(NINE - 16 * MINUTE);
    const early = new Client(tt.t.app);
    await early.signIn('karim.benali', FIXTURE_PASSWORD);
    const claim = laneOf(early);
    expect(claim).toMatchObject({ userId: tt.s.users.teacher6A, notBefore: NINE - 15 * MINUTE, expiresAt: NINE + 60 * MINUTE });
    expect(claim!.notBefore).toBeGreaterThan(tt.t.clock.now());

    tt.t.clock.set(NINE - 14 * MINUTE);
    const soon = new Client(tt.t.app);
    await soon.signIn('karim.benali', FIXTURE_PASSWORD);
    expect(laneOf(soon)!.notBefore).toBeLessThanOrEqual(tt.t.clock.now());
  });

  it('is not given to a pupil, and is not sent again when a resumed session already holds it', async () => {
    // A week later (the clock never goes back: rate limits are kept per address).
    const nine = NINE + 7 * 24 * 60 * MINUTE;
    tt.t.clock.set(nine - 120 * MINUTE);
    const pupil = new Client(tt.t.app);

    await pupil.signIn('lea.martin', FIXTURE_PASSWORD);
    expect(pupil.cookie(LANE_COOKIE)).toBeUndefined();

    // Signed in at 7:00: the credential is for the 9:00 lesson's window.
    const teacher = new Client(tt.t.app);
    await teacher.signIn('karim.benali', FIXTURE_PASSWORD);
    const first = teacher.cookie(LANE_COOKIE);
    expect(laneOf(teacher)).toMatchObject({ notBefore: nine - 15 * MINUTE, expiresAt: nine + 60 * MINUTE });
    // Once the pass has run out, the session is resumed: the same window is not sent again.
    tt.t.clock.set(nine - 10 * MINUTE);
    teacher.forget(PASS_COOKIE);
    const res = await teacher.get('/api/me');
    expect(res.statusCode).toBe(200);
    expect(res.cookies.some((c) => c.name === LANE_COOKIE)).toBe(false);
    expect(teacher.cookie(LANE_COOKIE)).toBe(first);
  });

  it('follows the timetable: a cancelled lesson gives no credential, a substitute gets it instead', async () => {
    const principal = await tt.as('claire.dubois');
    const refresh = () => tt.t.deps.events.publish({ type: 'timetable.changed', classIds: [tt.s.class6A] });

    tt.t.clock.set(NINE + 2 * WEEK - 120 * MINUTE);
    const cancelled = await principal.post(`/api/lessons/${lessonId}_${mondayAfter(2)}/cancellation`, { reason: 'Sortie scolaire' });
    expect(cancelled.statusCode).toBeLessThan(300);
    await refresh();
    tt.t.clock.set(NINE + 2 * WEEK - 10 * MINUTE);
    const karim = new Client(tt.t.app);
    await karim.signIn('karim.benali', FIXTURE_PASSWORD);
    expect(karim.cookie(LANE_COOKIE)).toBeUndefined();

    tt.t.clock.set(NINE + 3 * WEEK - 120 * MINUTE);
    const substitute = await principal.request({
      method: 'PUT',
      url: `/api/lessons/${lessonId}_${mondayAfter(3)}/substitute`,
      payload: { teacherId: tt.s.users.teacherParentHugo },
    });
    expect(substitute.statusCode).toBeLessThan(300);
    await refresh();
    tt.t.clock.set(NINE + 3 * WEEK - 10 * MINUTE);
    const anne = new Client(tt.t.app);
    await anne.signIn('anne.bernard', FIXTURE_PASSWORD);
    expect(laneOf(anne)).toMatchObject({ userId: tt.s.users.teacherParentHugo, expiresAt: NINE + 3 * WEEK + 60 * MINUTE });
    const karimAgain = new Client(tt.t.app);
    await karimAgain.signIn('karim.benali', FIXTURE_PASSWORD);
    expect(karimAgain.cookie(LANE_COOKIE)).toBeUndefined();
  });
});
