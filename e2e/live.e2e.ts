/**
 * Live updates end to end: a pupil's dashboard is open; a teacher, in another browser, sets
 * homework for her class → it appears on her page without a reload; a message to her → the
 * « Messagerie » badge counts it without a reload; a lesson of hers about to start → the
 * « Votre cours commence bientôt » toast with « Rejoindre ».
 */
import type { Page, Response } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { openTab, signIn, type Tab, useBrowser, visible } from './support/browser.ts';
import { capture } from './support/capture.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

/** Signs in; for the pupil, resolves once her page's live stream is open (the events below must not come before). */
async function session(login: string, withLive = false): Promise<Tab> {
  const tab = await openTab(browser());
  const live = withLive ? tab.page.waitForResponse((r: Response) => new URL(r.url()).pathname === '/api/live' && r.status() === 200, { timeout: 30_000 }) : null;
  await signIn(tab.page, baseUrl, login);
  await live;
  return tab;
}

/** Requests with the page's cookies and CSRF token, as the web app sends them. */
async function apiOf(page: Page): Promise<(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, data?: unknown) => Promise<{ status: number; body: Record<string, unknown> }>> {
  const request = page.context().request;
  const { csrfToken } = (await (await request.get(`${baseUrl}/api/auth/csrf`)).json()) as { csrfToken: string };
  return async (method, path, data) => {
    const res = await request.fetch(`${baseUrl}${path}`, { method, headers: { 'x-csrf-token': csrfToken }, ...(data === undefined ? {} : { data }) });
    return { status: res.status(), body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
}

const PARIS = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'short' });
function parisNow(offsetMs = 0): { date: string; time: string; weekday: number } {
  const parts = Object.fromEntries(PARIS.formatToParts(new Date(Date.now() + offsetMs)).map((p) => [p.type, p.value]));
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts['weekday']!) + 1;
  return { date: `${parts['year']}-${parts['month']}-${parts['day']}`, time: `${parts['hour']}:${parts['minute']}`, weekday };
}

const unreadIn = (label: string | null): number => Number(/\((\d+) non lus?\)/.exec(label ?? '')?.[1] ?? 0);

describe('live updates', () => {
  let pupil: Tab;
  let teacher: Tab;
  let leaId = '';

  it('new homework and a new message reach the pupil’s open dashboard without a reload', async () => {
    pupil = await session('lea.martin', true);
    await visible(pupil.page.getByRole('heading', { level: 1, name: /Léa/ }));
    leaId = String((await (await apiOf(pupil.page))('GET', '/api/me')).body['id']);
    teacher = await session('karim.benali');
    const api = await apiOf(teacher.page);
    const teaching = (await api('GET', '/api/homework/teaching')).body['teaching'] as Array<{ classId: string; className: string; subject: { code: string } }>;
    const sixthA = teaching.find((c) => c.className === '6e A' && c.subject.code === 'MATHS')!;

    const marker = `Calcul mental en direct n° ${Date.now() % 100_000}`;
    const created = await api('POST', `/api/classes/${sixthA.classId}/homework`, { subject: 'MATHS', instructions: marker, dueDate: parisNow(24 * 3600_000).date });
    expect(created.status).toBe(201);
    // No reload, no navigation: the live event makes the dashboard fetch itself again.
    await visible(pupil.page.getByText(marker));

    const badge = pupil.page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: /^Messagerie/ });
    const before = unreadIn(await badge.textContent());
    const sent = await api('POST', '/api/messages/threads', { subject: 'Sortie au musée', body: 'Pensez à l’autorisation signée.', recipients: { people: [leaId] } });
    expect(sent.status).toBe(201);
    await expect.poll(async () => unreadIn(await badge.textContent()), { timeout: 15_000 }).toBe(before + 1);
    await capture(pupil.page, 'direct-tableau-de-bord');
    expect(pupil.problems).toEqual([]);
  });

  it('a lesson about to start shows « Votre cours commence bientôt » with « Rejoindre »', { timeout: 150_000 }, async () => {
    const principal = await session('claire.dubois');
    const api = await apiOf(principal.page);
    const teacherId = String((await (await apiOf(teacher.page))('GET', '/api/me')).body['id']);
    const teaching = (await (await apiOf(teacher.page))('GET', '/api/homework/teaching')).body['teaching'] as Array<{ classId: string; className: string; subject: { code: string } }>;
    const classId = teaching.find((c) => c.className === '6e A')!.classId;
    // A lesson starting in 6 minutes (the watch looks 10 minutes ahead), for 50 minutes — or, late
    // in the evening (Paris), until 23:59: a lesson lies within one day, whenever CI runs.
    let start = parisNow(6 * 60_000);
    let end = parisNow(56 * 60_000);
    if (end.date !== start.date) {
      if (start.time < '23:59') end = { ...start, time: '23:59' };
      else [start, end] = [parisNow(7 * 60_000), parisNow(57 * 60_000)];
    }
    expect(end.date).toBe(start.date);
    expect(end.time > start.time, `${start.time}–${end.time}`).toBe(true);
    const body = {
      classId,
      subjectCode: 'MATHS',
      teacherId,
      room: 'Salle 12',
      weekday: start.weekday,
      start: start.time,
      end: end.time,
      validFrom: start.date,
      // Today only: a weekly lesson would also meet the timetable journey's lesson of next week.
      validTo: start.date,
    };
    let lesson = await api('POST', '/api/timetable/lessons', body);
    // Another journey (timetable) may have left a lesson of this class and teacher under way right
    // now: the principal removes what is in the way, as she would to make room, and creates this one.
    for (let tries = 0; lesson.status === 409 && tries < 5; tries++) {
      const details = (lesson.body['error'] as { details?: { conflictingLessonId?: string } }).details;
      expect(details?.conflictingLessonId, JSON.stringify(lesson.body)).toBeTruthy();
      expect((await api('DELETE', `/api/timetable/lessons/${String(details?.conflictingLessonId)}`)).status).toBe(204);
      lesson = await api('POST', '/api/timetable/lessons', body);
    }
    expect(lesson.status, JSON.stringify(lesson.body)).toBe(201);
    const virtual = await (await apiOf(teacher.page))('PUT', `/api/timetable/lessons/${String(lesson.body['id'])}/virtual`, { kind: 'room' });
    expect(virtual.status, JSON.stringify(virtual.body)).toBe(200);

    // One node looks every ~45 s for lessons starting within 10 minutes.
    const toast = pupil.page.locator('.live-toast');
    await visible(toast.getByText('Votre cours commence bientôt'), 100_000);
    await visible(toast.getByText(`Mathématiques à ${start.time}`));
    await visible(toast.getByRole('button', { name: 'Rejoindre' }));
    await capture(pupil.page, 'direct-cours-bientot');
    await toast.getByRole('button', { name: 'Fermer la notification' }).click();
    await expect.poll(() => toast.count()).toBe(0);
    expect(pupil.problems).toEqual([]);
    // Leave the timetable as it was for the journeys that come after.
    expect((await api('DELETE', `/api/timetable/lessons/${String(lesson.body['id'])}`)).status).toBe(204);
    await principal.context.close();
    await teacher.context.close();
    await pupil.context.close();
  });
});
