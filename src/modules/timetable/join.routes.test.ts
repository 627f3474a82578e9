import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MONDAY, del, paris, put, setUpTimetable, type TimetableTest } from './timetable.test-support.ts';

let tt: TimetableTest;
let lessonId: string;
const occ = () => `/api/lessons/${lessonId}_${MONDAY}`;

beforeAll(async () => {
  tt = await setUpTimetable();
  lessonId = await tt.lesson({ weekday: 1, start: '09:00', end: '10:00' });
});
afterAll(() => tt.t.close());

describe('setting the virtual class', () => {
  it('the teacher sets a plain https link; http, other schemes and garbage are refused (400)', async () => {
    const karim = await tt.as('karim.benali');
    const url = `/api/timetable/lessons/${lessonId}/virtual`;
    const http = await put(karim, url, { kind: 'url', url: 'http://visio.example.org/maths' });
    expect([http.statusCode, http.json().error.message]).toEqual([400, "L'adresse de la classe virtuelle doit commencer par https:// (un lien http n'est pas chiffré)."]);
    expect((await put(karim, url, { kind: 'url', url: 'javascript:alert(1)' })).statusCode).toBe(400);
    expect((await put(karim, url, { kind: 'url', url: 'pas une adresse' })).statusCode).toBe(400);
    expect((await put(karim, url, { kind: 'url' })).statusCode).toBe(400);
    expect((await put(karim, url, { kind: 'zoom' })).statusCode).toBe(400);
    const ok = await put(karim, url, { kind: 'url', url: 'https://visio.example.org/maths-6a' });
    expect(ok.json().virtual).toEqual({ kind: 'url', url: 'https://visio.example.org/maths-6a' });
  });

  it("refuses a teacher setting the link of another teacher's lesson (403), and pupils (403)", async () => {
    for (const login of ['anne.bernard', 'lea.martin', 'julien.moreau']) {
      const res = await put(await tt.as(login), `/api/timetable/lessons/${lessonId}/virtual`, { kind: 'room' });
      expect(res.statusCode, login).toBe(403);
    }
    expect((await put(await tt.as('karim.benali'), '/api/timetable/lessons/00000000-0000-4000-8000-000000000000/virtual', { kind: 'room' })).statusCode).toBe(404);
  });

  it('gives one occurrence its own link, then the lesson’s back', async () => {
    const karim = await tt.as('karim.benali');
    const own = await put(karim, `/api/lessons/${lessonId}_2026-09-14/virtual`, { kind: 'url', url: 'https://autre.example.org/x' });
    expect(own.json().virtual).toEqual({ kind: 'url', scope: 'occurrence', url: 'https://autre.example.org/x' });
    const back = await put(karim, `/api/lessons/${lessonId}_2026-09-14/virtual`, { kind: 'inherit' });
    expect(back.json().virtual).toMatchObject({ kind: 'url', scope: 'lesson' });
    expect((await put(await tt.as('anne.bernard'), `/api/lessons/${lessonId}_2026-09-14/virtual`, { kind: 'inherit' })).statusCode).toBe(403);
  });

  it('a room of the configured provider (Jitsi by default); pupils are not shown the link before joining', async () => {
    const res = await put(await tt.as('karim.benali'), `/api/timetable/lessons/${lessonId}/virtual`, { kind: 'room' });
    expect(res.json().virtual).toEqual({ kind: 'jitsi', url: null });
    const [seen] = (await (await tt.as('lea.martin')).get(`/api/timetable?from=${MONDAY}&to=${MONDAY}`)).json().occurrences;
    expect(seen).toMatchObject({ virtual: { kind: 'jitsi', url: null }, can: { join: true, seePresence: false } });
  });
});

describe('joining (« Rejoindre ») and presence', () => {
  it('is closed before 8:50 (409, saying when it opens), and for another day names the day', async () => {
    tt.t.clock.set(paris(MONDAY, '08:49'));
    const res = await (await tt.as('lea.martin')).post(`${occ()}/join`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe('La classe virtuelle ouvre à 8 h 50, 10 minutes avant le début du cours.');
    const later = await (await tt.as('lea.martin')).post(`/api/lessons/${lessonId}_2026-09-14/join`);
    expect(later.json().error.message).toBe('La classe virtuelle ouvre le lundi 14 septembre à 8 h 50, 10 minutes avant le début du cours.');
    expect(await tt.t.deps.database.db.selectFrom('timetable_presence').selectAll().execute()).toEqual([]);
  });

  it('from 8:50 a pupil joins as attendee, once: joining again keeps the first time', async () => {
    tt.t.clock.set(paris(MONDAY, '08:50'));
    const lea = await tt.as('lea.martin');
    const first = await lea.post(`${occ()}/join`);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ role: 'attendee', firstJoin: true, joinedAt: new Date(paris(MONDAY, '08:50')).toISOString() });
    expect(first.json().url).toMatch(/^https:\/\/meet\.jit\.si\/Preau[0-9a-f]{32}#userInfo\.displayName=%22L%C3%A9a%20Martin%22/);
    tt.t.clock.set(paris(MONDAY, '09:20'));
    const again = await lea.post(`${occ()}/join`);
    expect(again.json()).toMatchObject({ firstJoin: false, joinedAt: first.json().joinedAt, url: first.json().url });
  });

  it('the teacher joins as moderator; another class’s pupil, a parent and the CPE may not join (403)', async () => {
    expect((await (await tt.as('karim.benali')).post(`${occ()}/join`)).json().role).toBe('moderator');
    for (const login of ['hugo.bernard', 'sophie.martin', 'julien.moreau', 'anne.bernard']) {
      expect((await (await tt.as(login)).post(`${occ()}/join`)).statusCode, login).toBe(403);
    }
  });

  it('the teacher sees who joined and who is absent; the CPE too; a pupil may not (403)', async () => {
    const res = await (await tt.as('karim.benali')).get(`${occ()}/presence`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ joined: 1, total: 1, occurrence: { occurrenceId: `${lessonId}_${MONDAY}` } });
    expect(body.pupils).toEqual([{ id: tt.s.users.lea, firstName: 'Léa', lastName: 'Martin', joinedAt: new Date(paris(MONDAY, '08:50')).toISOString() }]);
    expect(body.moderators.map((m: { lastName: string }) => m.lastName)).toEqual(['Benali']);
    expect((await (await tt.as('julien.moreau')).get(`${occ()}/presence`)).statusCode).toBe(200);
    expect((await (await tt.as('lea.martin')).get(`${occ()}/presence`)).statusCode).toBe(403);
    expect((await (await tt.as('anne.bernard')).get(`${occ()}/presence`)).statusCode).toBe(403);
  });

  it('is closed at the end (409), for a cancelled occurrence (409), and without a virtual class (409)', async () => {
    tt.t.clock.set(paris(MONDAY, '10:00'));
    const over = await (await tt.as('lea.martin')).post(`${occ()}/join`);
    expect([over.statusCode, over.json().error.message]).toEqual([409, 'Ce cours est terminé depuis 10 h 00 : la classe virtuelle est fermée.']);
    tt.t.clock.set(paris(MONDAY, '08:30'));
    const karim = await tt.as('karim.benali');
    await karim.post(`/api/lessons/${lessonId}_2026-09-14/cancellation`, { reason: 'Sortie' });
    tt.t.clock.set(paris('2026-09-14', '09:00'));
    expect((await (await tt.as('lea.martin')).post(`/api/lessons/${lessonId}_2026-09-14/join`)).json().error.message).toBe(
      'Ce cours est annulé (Sortie) : pas de classe virtuelle.',
    );
    tt.t.clock.set(paris(MONDAY, '08:30'));
    await del(karim, `/api/lessons/${lessonId}_2026-09-14/cancellation`);
    const plain = await tt.lesson({ weekday: 1, start: '11:15', end: '12:15' });
    tt.t.clock.set(paris(MONDAY, '11:20'));
    expect((await (await tt.as('lea.martin')).post(`/api/lessons/${plain}_${MONDAY}/join`)).json().error.message).toBe("Ce cours n'a pas de classe virtuelle.");
    expect((await (await tt.as('lea.martin')).post(`/api/lessons/${plain}_2026-09-08/join`)).statusCode).toBe(404);
  });
});

describe('joining a BigBlueButton room', () => {
  const SECRET = 'a-shared-secret-of-the-bbb-server';
  let bbb: Server;
  let app: TimetableTest;
  const calls: string[] = [];

  beforeAll(async () => {
    bbb = createServer((req, res) => {
      calls.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/xml' }).end(
        '<response><returncode>SUCCESS</returncode><meetingID>m</meetingID><createTime>1757226600000</createTime><hasBeenForciblyEnded>false</hasBeenForciblyEnded><messageKey></messageKey><message></message></response>',
      );
    });
    await new Promise<void>((resolve) => bbb.listen(0, '127.0.0.1', resolve));
    const port = (bbb.address() as AddressInfo).port;
    app = await setUpTimetable({ VIDEO_PROVIDER: 'bbb', BBB_URL: `http://127.0.0.1:${port}/bigbluebutton/`, BBB_SECRET: SECRET });
  });
  afterAll(async () => {
    await app.t.close();
    await new Promise<void>((resolve) => bbb.close(() => resolve()));
  });

  it('creates the meeting server-side and gives each person a join URL signed for their role', async () => {
    const id = await app.lesson();
    await put(await app.as('karim.benali'), `/api/timetable/lessons/${id}/virtual`, { kind: 'room' });
    app.t.clock.set(paris(MONDAY, '08:55'));
    const join = (await (await app.as('lea.martin')).post(`/api/lessons/${id}_${MONDAY}/join`)).json();
    const meetingID = `preau-${id}-${MONDAY}`;
    expect(calls).toHaveLength(1);
    expect(calls[0]).toContain(`/bigbluebutton/api/create?name=Math%C3%A9matiques+%E2%80%94+6e+A&meetingID=${meetingID}&record=false&checksum=`);
    const query = `fullName=L%C3%A9a+Martin&meetingID=${meetingID}&role=VIEWER&userID=${app.s.users.lea}&createTime=1757226600000&redirect=true`;
    const checksum = createHash('sha256').update(`join${query}${SECRET}`).digest('hex');
    const port = (bbb.address() as AddressInfo).port;
    expect(join).toMatchObject({ role: 'attendee', url: `http://127.0.0.1:${port}/bigbluebutton/api/join?${query}&checksum=${checksum}` });
    const teacher = (await (await app.as('karim.benali')).post(`/api/lessons/${id}_${MONDAY}/join`)).json();
    expect(new URL(teacher.url).searchParams.get('role')).toBe('MODERATOR');
  });
});
