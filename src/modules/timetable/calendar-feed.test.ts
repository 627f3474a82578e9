import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActorLoader } from '../access/index.ts';
import { regenerateFeed, renderFeed } from './calendar-feed.service.ts';
import { escapeText, foldLine } from './ical/ical-writer.ts';
import { ICAL, parseIcsStrict, type IcsComponent } from './ical/ical.test-support.ts';
import { createTimetableDeps } from './timetable.service.ts';
import { MONDAY, del, paris, setUpTimetable, type TimetableTest } from './timetable.test-support.ts';

let tt: TimetableTest;
let maths: string;

beforeAll(async () => {
  tt = await setUpTimetable();
  maths = await tt.lesson({ weekday: 1, start: '09:00', end: '10:00', room: 'Salle 12, bâtiment B; 1er étage' });
  await tt.lesson({ weekday: 2, start: '08:00', end: '09:00', classId: tt.s.class5B });
  await (await tt.as('karim.benali')).post(`/api/lessons/${maths}_2026-09-14/cancellation`, { reason: 'Conseil de classe, salle 3' });
});
afterAll(() => tt.t.close());

const fetchFeed = (path: string) => tt.t.app.inject({ method: 'GET', url: path });
const events = (cal: IcsComponent) => cal.components.filter((c) => c.name === 'VEVENT');

describe('iCalendar text (RFC 5545)', () => {
  it('escapes backslashes, semicolons, commas and newlines in TEXT', () => {
    expect(escapeText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
  });

  it('folds lines at 75 octets without cutting a UTF-8 character', () => {
    const line = `SUMMARY:${'é'.repeat(60)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(75);
    expect(parts.slice(1).every((p) => p.startsWith(' '))).toBe(true);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
    expect(foldLine('SHORT:1')).toBe('SHORT:1');
  });
});

describe('the private calendar feed', () => {
  let path: string;

  it('has no feed until asked, then one URL, shown again on return', async () => {
    const lea = await tt.as('lea.martin');
    expect((await lea.get('/api/timetable/calendar-feed')).json()).toEqual({ active: false, path: null, createdAt: null });
    const created = await lea.post('/api/timetable/calendar-feed');
    expect(created.statusCode).toBe(200);
    path = created.json().path;
    expect(path).toMatch(/^\/ical\/[A-Za-z0-9_-]{43}\.ics$/);
    expect((await lea.get('/api/timetable/calendar-feed')).json()).toMatchObject({ active: true, path });
    const stored = await tt.t.deps.database.db.selectFrom('timetable_calendar_feeds').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(path.slice(6, 49));
  });

  it('is fetched without a session as strict RFC 5545 with her lessons, cancelled ones as STATUS:CANCELLED', async () => {
    const res = await fetchFeed(path);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const cal = parseIcsStrict(res.body);
    expect(cal.get('X-WR-CALNAME')).toBe('Préau — Léa Martin');
    const mine = events(cal);
    // Two weeks back and eight ahead of Monday 7 September: the Mondays from 24 August (not yet valid) to 31 October.
    expect(mine.map((e) => e.get('DTSTART'))).toEqual(
      ['20260907', '20260914', '20260921', '20260928', '20261005', '20261012', '20261019', '20261026', '20261102'].map((d) =>
        d === '20261026' || d === '20261102' ? `${d}T080000Z` : `${d}T070000Z`,
      ),
    );
    const first = mine[0]!;
    expect(first.get('UID')).toBe(`${maths}_${MONDAY}@preau`);
    expect(first.get('SUMMARY')).toBe('Mathématiques — 6e A');
    expect(first.get('LOCATION')).toBe('Salle 12, bâtiment B; 1er étage');
    expect(first.get('STATUS')).toBe('CONFIRMED');
    const cancelled = mine.find((e) => e.get('DTSTART') === '20260914T070000Z')!;
    expect([cancelled.get('STATUS'), cancelled.get('SUMMARY')]).toEqual(['CANCELLED', 'Annulé — Mathématiques — 6e A']);
    expect(cancelled.get('DESCRIPTION')).toContain('Cours annulé : Conseil de classe, salle 3');
    expect(res.body).not.toContain('5e B');
  });

  it('parses with ical.js, a real iCalendar parser', async () => {
    const body = (await fetchFeed(path)).body;
    const [name, , components] = ICAL.parse(body) as [string, unknown, Array<[string]>];
    expect(name).toBe('vcalendar');
    expect(components.filter(([c]) => c === 'vevent')).toHaveLength(events(parseIcsStrict(body)).length);
  });

  it('after « Régénérer » the old URL answers 404 and the new one works; revoking turns it off', async () => {
    const lea = await tt.as('lea.martin');
    const fresh = (await lea.post('/api/timetable/calendar-feed')).json().path as string;
    expect(fresh).not.toBe(path);
    const old = await fetchFeed(path);
    expect(old.statusCode).toBe(404);
    expect(old.json().error.message).toMatch(/régénéré ou désactivé/);
    expect((await fetchFeed(fresh)).statusCode).toBe(200);
    expect((await del(lea, '/api/timetable/calendar-feed')).json()).toEqual({ active: false, path: null, createdAt: null });
    expect((await fetchFeed(fresh)).statusCode).toBe(404);
    expect((await fetchFeed('/ical/pas-un-jeton.ics')).statusCode).toBe(404);
    expect((await fetchFeed(`/ical/${'A'.repeat(43)}.ics`)).statusCode).toBe(404);
  });

  it("a parent's feed holds her children's lessons, named; a teacher's holds what he teaches", async () => {
    const parentPath = (await (await tt.as('sophie.martin')).post('/api/timetable/calendar-feed')).json().path as string;
    const summaries = events(parseIcsStrict((await fetchFeed(parentPath)).body)).map((e) => e.get('SUMMARY'));
    expect(summaries[0]).toBe('Léa · Mathématiques — 6e A');
    const teacherPath = (await (await tt.as('karim.benali')).post('/api/timetable/calendar-feed')).json().path as string;
    const taught = events(parseIcsStrict((await fetchFeed(teacherPath)).body));
    expect(new Set(taught.map((e) => e.get('SUMMARY')))).toEqual(
      new Set(['Mathématiques — 6e A', 'Annulé — Mathématiques — 6e A', 'Mathématiques — 5e B']),
    );
  });

  it("adds the homework due in the pupil's classes (homework module) as all-day events", async () => {
    await tt.t.deps.database.db
      .insertInto('homework_items')
      .values({ school_id: tt.s.schoolA, class_id: tt.s.class6A, subject_code: 'FRANCAIS', teacher_id: tt.s.users.teacherParentHugo, instructions: 'Lire le chapitre 2, puis résumer', due_date: '2026-09-09' })
      .execute();
    const feedPath = (await (await tt.as('lea.martin')).post('/api/timetable/calendar-feed')).json().path as string;
    const homework = events(parseIcsStrict((await fetchFeed(feedPath)).body)).filter((e) => e.get('UID')!.startsWith('homework-'));
    expect(homework.map((e) => [e.get('DTSTART'), e.get('SUMMARY'), e.get('TRANSP')])).toEqual([
      ['20260909', 'À rendre — Français : Lire le chapitre 2, puis résumer', 'TRANSPARENT'],
    ]);
    const parentPath = (await (await tt.as('sophie.martin')).post('/api/timetable/calendar-feed')).json().path as string;
    const forParent = events(parseIcsStrict((await fetchFeed(parentPath)).body)).find((e) => e.get('UID')!.startsWith('homework-'));
    expect(forParent?.get('SUMMARY')).toBe('Léa · À rendre — Français : Lire le chapitre 2, puis résumer');
  });

  it('adds homework due dates as all-day events when the homework module provides them', async () => {
    const deps = createTimetableDeps({
      db: tt.t.deps.database.db,
      clock: tt.t.clock,
      config: tt.t.deps.config,
      signer: tt.t.deps.signer,
      homeworkDue: async (_db, input) =>
        input.pupilIds.includes(tt.s.users.lea)
          ? [{ homeworkId: 'h1', pupilId: tt.s.users.lea, subject: 'Mathématiques', summary: 'Exercices 3, 4; page 52', dueDate: '2026-09-10', dueTime: '08:00' }]
          : [],
    });
    const actor = (await new ActorLoader(tt.t.deps.database.db).load(tt.s.users.lea, '00000000-0000-0000-0000-000000000000'))!;
    const { path: feedPath } = await regenerateFeed(deps, actor);
    tt.t.clock.set(paris(MONDAY, '12:00'));
    const cal = parseIcsStrict(await renderFeed(deps, feedPath!.slice('/ical/'.length)));
    const homework = events(cal).find((e) => e.get('UID') === `homework-h1-${tt.s.users.lea}@preau`)!;
    expect(homework.props.find((p) => p.name === 'DTSTART')).toMatchObject({ params: { VALUE: 'DATE' }, value: '20260910' });
    expect(homework.get('SUMMARY')).toBe('À rendre — Mathématiques : Exercices 3, 4; page 52');
    expect(homework.get('DTSTAMP')).toBe('20260907T100000Z');
  });
});
