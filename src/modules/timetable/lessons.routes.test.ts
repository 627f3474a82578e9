import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AT_0830, MONDAY, del, lessonBody, paris, put, setUpTimetable, type TimetableTest } from './timetable.test-support.ts';

let tt: TimetableTest;
const week = `from=${MONDAY}&to=2026-09-13`;

beforeAll(async () => {
  tt = await setUpTimetable();
});
afterAll(() => tt.t.close());

describe('making the timetable (principal, school admin)', () => {
  it('the principal adds a weekly lesson to a class (201) and reads it back', async () => {
    const res = await (await tt.as('claire.dubois')).post('/api/timetable/lessons', lessonBody(tt.s, { weekday: 2, start: '14:00', end: '15:00' }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ classId: tt.s.class6A, subjectCode: 'MATHS', weekday: 2, start: '14:00', end: '15:00', weekParity: null, virtual: null });
    const back = await (await tt.as('nathalie.roux')).get(`/api/timetable/lessons/${res.json().id}`);
    expect(back.json()).toEqual(res.json());
  });

  it('refuses an end before the start, and validity dates the wrong way round (400), writing nothing', async () => {
    const principal = await tt.as('claire.dubois');
    const before = await tt.t.deps.database.db.selectFrom('timetable_lessons').select('id').execute();
    const backwards = await principal.post('/api/timetable/lessons', lessonBody(tt.s, { start: '10:00', end: '09:00' }));
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.message).toBe("L'heure de fin (9 h 00) doit être après l'heure de début (10 h 00).");
    const dates = await principal.post('/api/timetable/lessons', lessonBody(tt.s, { validFrom: '2027-07-04', validTo: '2026-09-01' }));
    expect(dates.statusCode).toBe(400);
    expect(dates.json().error.message).toMatch(/précède son début/);
    const format = await principal.post('/api/timetable/lessons', lessonBody(tt.s, { start: '9h' }));
    expect(format.statusCode).toBe(400);
    expect(format.json().error.code).toBe('VALIDATION');
    expect(await tt.t.deps.database.db.selectFrom('timetable_lessons').select('id').execute()).toHaveLength(before.length);
  });

  it('answers 404 for an unknown class or a teacher of another school, 400 for an unknown subject', async () => {
    const principal = await tt.as('claire.dubois');
    const unknown = await principal.post('/api/timetable/lessons', lessonBody(tt.s, { classId: '00000000-0000-4000-8000-000000000000' }));
    expect([unknown.statusCode, unknown.json().error.message]).toEqual([404, 'Classe introuvable.']);
    const stranger = await principal.post('/api/timetable/lessons', lessonBody(tt.s, { teacherId: tt.s.users.teacherB }));
    expect([stranger.statusCode, stranger.json().error.message]).toEqual([404, 'Enseignant introuvable dans cet établissement.']);
    expect((await principal.post('/api/timetable/lessons', lessonBody(tt.s, { subjectCode: 'ASTROLOGIE' }))).statusCode).toBe(400);
  });

  it('is for the direction of that school only: teachers, the CPE, pupils and another school get 403; no session 401', async () => {
    for (const login of ['karim.benali', 'julien.moreau', 'lea.martin', 'paul.durand']) {
      const res = await (await tt.as(login)).post('/api/timetable/lessons', lessonBody(tt.s, { weekday: 5 }));
      expect(res.statusCode, login).toBe(403);
    }
    expect((await tt.t.app.inject({ method: 'GET', url: `/api/timetable?${week}` })).statusCode).toBe(401);
    expect((await tt.t.app.inject({ method: 'GET', url: '/api/timetable/context' })).statusCode).toBe(401);
  });

  it('refuses a teacher booked twice at the same time (409) and says with whom', async () => {
    await tt.lesson({ weekday: 3, start: '08:00', end: '09:00' });
    const res = await (await tt.as('claire.dubois')).post('/api/timetable/lessons', lessonBody(tt.s, { classId: tt.s.class5B, weekday: 3, start: '08:30', end: '09:30' }));
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe('Karim Benali a déjà cours le mercredi de 8 h 00 à 9 h 00 (Mathématiques, 6e A).');
  });

  it('edits a lesson (PUT) and deletes it (204), then it is gone (404)', async () => {
    const principal = await tt.as('claire.dubois');
    const id = await tt.lesson({ weekday: 4, start: '10:00', end: '11:00' });
    const edited = await put(principal, `/api/timetable/lessons/${id}`, lessonBody(tt.s, { weekday: 4, start: '11:00', end: '12:00', room: 'Salle 3' }));
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ start: '11:00', room: 'Salle 3' });
    expect((await put(await tt.as('karim.benali'), `/api/timetable/lessons/${id}`, lessonBody(tt.s))).statusCode).toBe(403);
    expect((await del(principal, `/api/timetable/lessons/${id}`)).statusCode).toBe(204);
    expect((await principal.get(`/api/timetable/lessons/${id}`)).statusCode).toBe(404);
    expect((await del(principal, `/api/timetable/lessons/${id}`)).statusCode).toBe(404);
  });
});

describe('reading timetables', () => {
  let maths: string;
  let french: string;
  beforeAll(async () => {
    maths = await tt.lesson({ weekday: 1, start: '09:00', end: '10:00' });
    french = await tt.lesson({ weekday: 1, start: '10:15', end: '11:15', subjectCode: 'FRANCAIS', teacherId: tt.s.users.teacherParentHugo, room: 'Salle 4' });
    await tt.lesson({ weekday: 1, start: '09:00', end: '10:00', classId: tt.s.class5B, subjectCode: 'FRANCAIS', teacherId: tt.s.users.teacherParentHugo });
  });

  it("a pupil sees her class's week with instants in Paris time, not another class's", async () => {
    const res = await (await tt.as('lea.martin')).get(`/api/timetable?${week}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.serverNow).toBe(new Date(AT_0830).toISOString());
    const monday = body.occurrences.filter((o: { day: string }) => o.day === MONDAY);
    expect(monday.map((o: { lessonId: string }) => o.lessonId)).toEqual([maths, french]);
    expect(monday[0]).toMatchObject({
      occurrenceId: `${maths}_${MONDAY}`,
      className: '6e A',
      subject: 'Mathématiques',
      teacher: { name: 'Karim Benali' },
      start: new Date(paris(MONDAY, '09:00')).toISOString(),
      joinOpensAt: new Date(paris(MONDAY, '08:50')).toISOString(),
      status: 'scheduled',
      can: { join: false, change: false, manage: false },
    });
    expect(body.occurrences.every((o: { classId: string }) => o.classId === tt.s.class6A)).toBe(true);
  });

  it('a teacher sees the lessons he teaches in every class, and may change them', async () => {
    const body = (await (await tt.as('anne.bernard')).get(`/api/timetable?${week}`)).json();
    expect(new Set(body.occurrences.map((o: { className: string }) => o.className))).toEqual(new Set(['6e A', '5e B']));
    expect(body.occurrences.every((o: { can: { change: boolean } }) => o.can.change)).toBe(true);
  });

  it("a parent sees her child's timetable, not another family's (403); staff see any class of their school", async () => {
    const parent = await tt.as('sophie.martin');
    expect((await parent.get(`/api/timetable?${week}&pupilId=${tt.s.users.lea}`)).json().occurrences.length).toBeGreaterThan(0);
    expect((await parent.get(`/api/timetable?${week}&pupilId=${tt.s.users.hugo}`)).statusCode).toBe(403);
    expect((await (await tt.as('lea.martin')).get(`/api/timetable?${week}&classId=${tt.s.class5B}`)).statusCode).toBe(403);
    const cpe = await (await tt.as('julien.moreau')).get(`/api/timetable?${week}&classId=${tt.s.class5B}`);
    expect(cpe.statusCode).toBe(200);
    expect((await (await tt.as('marc.leroy')).get(`/api/timetable?${week}&classId=${tt.s.class6A}`)).statusCode).toBe(403);
  });

  it('answers 404 for an unknown class, 400 for a reversed or too long range or two views at once', async () => {
    const principal = await tt.as('claire.dubois');
    expect((await principal.get(`/api/timetable?${week}&classId=00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);
    expect((await principal.get('/api/timetable?from=2026-09-13&to=2026-09-07')).statusCode).toBe(400);
    expect((await principal.get('/api/timetable?from=2026-09-01&to=2026-12-01')).statusCode).toBe(400);
    expect((await principal.get('/api/timetable?from=2026-02-30&to=2026-03-01')).statusCode).toBe(400);
    expect((await principal.get(`/api/timetable?${week}&classId=${tt.s.class6A}&pupilId=${tt.s.users.lea}`)).statusCode).toBe(400);
  });

  it('offers each person the views they may open, and the direction the lesson form', async () => {
    const parent = (await (await tt.as('anne.bernard')).get('/api/timetable/context')).json();
    expect(parent.scopes).toEqual([
      { kind: 'mine', id: null, label: '' },
      { kind: 'pupil', id: tt.s.users.hugo, label: 'Hugo Bernard (5e B)' },
      { kind: 'class', id: tt.s.class6A, label: '6e A' },
    ]);
    expect(parent.manage).toEqual([]);
    const principal = (await (await tt.as('claire.dubois')).get('/api/timetable/context')).json();
    expect(principal.today).toBe(MONDAY);
    expect(principal.manage[0]).toMatchObject({ schoolName: 'Collège A', schoolYear: { from: '2026-09-01', to: '2027-07-04' } });
    expect(principal.manage[0].teachers.map((x: { name: string }) => x.name)).toEqual(['Karim Benali', 'Anne Bernard']);
  });
});

describe('changing one occurrence', () => {
  let id: string;
  const occ = () => `/api/lessons/${id}_2026-09-14`;
  beforeAll(async () => {
    id = await tt.lesson({ weekday: 1, start: '14:00', end: '15:00' });
  });

  it('the teacher cancels his occurrence with a reason; pupils see it cancelled; he puts it back', async () => {
    const karim = await tt.as('karim.benali');
    expect((await karim.post(`${occ()}/cancellation`, { reason: '   ' })).statusCode).toBe(400);
    const res = await karim.post(`${occ()}/cancellation`, { reason: 'Conseil de classe' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'cancelled', cancelReason: 'Conseil de classe' });
    const seen = (await (await tt.as('lea.martin')).get('/api/timetable?from=2026-09-14&to=2026-09-14')).json().occurrences;
    expect(seen.find((o: { lessonId: string }) => o.lessonId === id)).toMatchObject({ status: 'cancelled', cancelReason: 'Conseil de classe' });
    expect((await del(karim, `${occ()}/cancellation`)).json().status).toBe('scheduled');
  });

  it("refuses another teacher changing it (403), and an unknown or malformed occurrence (404, 400)", async () => {
    expect((await (await tt.as('anne.bernard')).post(`${occ()}/cancellation`, { reason: 'x' })).statusCode).toBe(403);
    expect((await (await tt.as('karim.benali')).post(`/api/lessons/${id}_2026-09-15/cancellation`, { reason: 'x' })).statusCode).toBe(404);
    expect((await (await tt.as('karim.benali')).post(`/api/lessons/${id}/cancellation`, { reason: 'x' })).statusCode).toBe(400);
  });

  it('moves it to a later day and room; refuses a new date in the past (400) and changing one already over (409)', async () => {
    const karim = await tt.as('karim.benali');
    const past = await put(karim, `${occ()}/move`, { date: '2026-09-04', start: '14:00', end: '15:00' });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.message).toBe('Le vendredi 4 septembre à 14 h 00 est déjà passé : choisissez une date et une heure à venir.');
    expect((await put(karim, `${occ()}/move`, { date: '2026-09-16', start: '11:00', end: '10:00' })).statusCode).toBe(400);
    const moved = await put(karim, `${occ()}/move`, { date: '2026-09-16', start: '10:00', end: '11:00', room: 'CDI' });
    expect(moved.json()).toMatchObject({ status: 'moved', day: '2026-09-16', room: 'CDI', planned: { room: 'Salle 12' } });
    const wednesday = (await (await tt.as('lea.martin')).get('/api/timetable?from=2026-09-16&to=2026-09-16')).json().occurrences;
    expect(wednesday.map((o: { occurrenceId: string }) => o.occurrenceId)).toContain(`${id}_2026-09-14`);
    expect((await del(karim, `${occ()}/move`)).json()).toMatchObject({ status: 'scheduled', day: '2026-09-14', room: 'Salle 12' });
    const over = await karim.post(`/api/lessons/${id}_2026-09-07/cancellation`, { reason: 'trop tard' });
    tt.t.clock.set(paris(MONDAY, '15:30'));
    const late = await karim.post(`/api/lessons/${id}_2026-09-07/cancellation`, { reason: 'trop tard' });
    tt.t.clock.set(AT_0830);
    expect(over.statusCode).toBe(200);
    expect([late.statusCode, late.json().error.message]).toEqual([409, 'Ce cours a eu lieu le lundi 7 septembre : il ne peut plus être modifié.']);
  });

  it('the direction names a substitute, who then sees the occurrence; a teacher may not (403)', async () => {
    const anne = await tt.as('anne.bernard');
    expect((await put(await tt.as('karim.benali'), `${occ()}/substitute`, { teacherId: tt.s.users.teacherParentHugo })).statusCode).toBe(403);
    const res = await put(await tt.as('claire.dubois'), `${occ()}/substitute`, { teacherId: tt.s.users.teacherParentHugo });
    expect(res.json().substitute).toEqual({ id: tt.s.users.teacherParentHugo, name: 'Anne Bernard' });
    const hers = (await anne.get('/api/timetable?from=2026-09-14&to=2026-09-14')).json().occurrences;
    expect(hers.filter((o: { lessonId: string }) => o.lessonId === id).map((o: { date: string }) => o.date)).toEqual(['2026-09-14']);
    expect((await put(await tt.as('claire.dubois'), `${occ()}/substitute`, { teacherId: tt.s.users.teacherB })).statusCode).toBe(404);
    expect((await del(await tt.as('claire.dubois'), `${occ()}/substitute`)).json().substitute).toBeNull();
  });
});
