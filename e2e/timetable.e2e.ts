/**
 * Timetable and virtual classes in Chromium: the direction makes a lesson happening now; its
 * teacher gives it a Jitsi room; a pupil joins it from « Emploi du temps »; the teacher sees her
 * present. Before the window the button is disabled and the API answers 409. The private
 * calendar feed is fetched without cookies, parses, and dies when regenerated.
 */
import type { APIRequestContext, Page } from 'playwright-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { parseIcsStrict } from '../src/modules/timetable/ical/ical.test-support.ts';
import { DEMO_PASSWORD, openTab, signIn, type Tab, useBrowser, visible } from './support/browser.ts';
import { capture } from './support/capture.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

/** Today in Paris: the date, its ISO weekday and the minutes since midnight. */
function parisNow(): { date: string; weekday: number; minutes: number } {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(new Date())
      .map((x) => [x.type, x.value]),
  );
  const date = `${p['year']}-${p['month']}-${p['day']}`;
  return { date, weekday: ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1, minutes: Number(p['hour']) * 60 + Number(p['minute']) };
}
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

async function session(login: string): Promise<Tab> {
  const tab = await openTab(browser(), { timezoneId: 'Europe/Paris' });
  // The virtual class opens in a new tab: answer it here rather than on the internet.
  await tab.context.route(/meet\.jit\.si/, (route) => route.fulfill({ contentType: 'text/html', body: '<title>Salle</title><p>Salle de classe virtuelle</p>' }));
  await signIn(tab.page, baseUrl, login);
  return tab;
}

type Call = (url: string, options?: Parameters<APIRequestContext['post']>[1]) => ReturnType<APIRequestContext['post']>;

/**
 * Requests with the page's cookies and a fresh CSRF token, as the web app sends them. A busy test
 * machine can make the front door shed a request (503, Retry-After): set-up calls try again.
 */
async function apiOf(page: Page): Promise<{ request: Record<'get' | 'post' | 'put' | 'delete', Call>; headers: Record<string, string> }> {
  return apiWith(page.context().request);
}

async function apiWith(raw: APIRequestContext): Promise<{ request: Record<'get' | 'post' | 'put' | 'delete', Call>; headers: Record<string, string> }> {
  const patient = (call: Call): Call => async (url, options) => {
    for (let attempt = 1; ; attempt++) {
      const res = await call(url, options);
      if (res.status() !== 503 || attempt === 6) return res;
      await new Promise((r) => setTimeout(r, 1000 * Math.min(3, Number(res.headers()['retry-after'] ?? 1))));
    }
  };
  const request = {
    get: patient((u, o) => raw.get(u, o)),
    post: patient((u, o) => raw.post(u, o)),
    put: patient((u, o) => raw.put(u, o)),
    delete: patient((u, o) => raw.delete(u, o)),
  };
  const { csrfToken } = (await (await request.get(`${baseUrl}/api/auth/csrf`)).json()) as { csrfToken: string };
  return { request, headers: { 'x-csrf-token': csrfToken } };
}

/** Like a calendar app: no cookies, and when the server is too busy (503), try again after Retry-After. */
async function fetchFeed(url: string): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url);
    if (res.status !== 503 || attempt === 6) return res;
    await new Promise((r) => setTimeout(r, 1000 * Math.min(3, Number(res.headers.get('retry-after') ?? 1))));
  }
}

async function openTimetable(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Emploi du temps' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Emploi du temps' }));
  await page.waitForSelector('.tt-week');
}

interface Lesson {
  id: string;
  virtual: { kind: string; url: string | null } | null;
  [field: string]: unknown;
}

describe('virtual classes from the timetable', () => {
  let today = parisNow();
  let nowLesson = '';
  let laterLesson = '';
  /** Lessons of the demo timetable taken out of the way, put back afterwards for the other journeys. */
  const removed: Lesson[] = [];
  const occurrence = (lessonId: string, date: string) => `${lessonId}_${date}`;

  afterAll(async () => {
    const principal = await browser().newContext();
    await principal.request.post(`${baseUrl}/api/auth/login`, { data: { login: 'claire.dubois', password: DEMO_PASSWORD } });
    const { request, headers } = await apiWith(principal.request);
    for (const id of [nowLesson, laterLesson].filter(Boolean)) await request.delete(`${baseUrl}/api/timetable/lessons/${id}`, { headers });
    for (const { id: _id, virtual, ...lesson } of removed) {
      const res = await request.post(`${baseUrl}/api/timetable/lessons`, { headers, data: lesson });
      const { id } = (await res.json()) as { id: string };
      if (virtual) await request.put(`${baseUrl}/api/timetable/lessons/${id}/virtual`, { headers, data: virtual.kind === 'url' ? virtual : { kind: 'room' } });
    }
    await principal.close();
  });

  it('the direction makes a lesson of 6e A happening now, and one next week (API)', { timeout: 420_000 }, async () => {
    // Keep clear of midnight: the lesson must start and end today, and the journeys after this one
    // must still see it "now". After 23:54 (Paris) wait for the new day (at most 6 minutes); before
    // that, the lesson simply ends at 23:59.
    while (parisNow().minutes > 23 * 60 + 54) await new Promise((r) => setTimeout(r, 10_000));
    today = parisNow();
    const principal = await session('claire.dubois');
    const { request, headers } = await apiOf(principal.page);
    const context = (await (await request.get(`${baseUrl}/api/timetable/context`)).json()) as {
      manage: Array<{ classes: Array<{ id: string; name: string }>; teachers: Array<{ id: string; name: string }> }>;
    };
    const school = context.manage[0]!;
    const body = {
      classId: school.classes.find((c) => c.name === '6e A')!.id,
      subjectCode: 'MATHS',
      teacherId: school.teachers.find((x) => x.name === 'Karim Benali')!.id,
      room: 'Salle 12',
      weekday: today.weekday,
      start: hhmm(Math.max(0, today.minutes - 5)),
      end: hhmm(Math.min(23 * 60 + 59, today.minutes + 55)),
    };
    const create = async (validFrom: string, validTo: string): Promise<string> => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const res = await request.post(`${baseUrl}/api/timetable/lessons`, { headers, data: { ...body, validFrom, validTo } });
        if (res.status() === 201) return ((await res.json()) as { id: string }).id;
        // A lesson of the demo timetable in the way: the direction clears the slot (restored after the journey).
        const conflict = (await res.json()) as { error: { code: string; details?: { conflictingLessonId?: string } } };
        expect(conflict.error.code).toBe('CONFLICT');
        const inTheWay = `${baseUrl}/api/timetable/lessons/${conflict.error.details!.conflictingLessonId}`;
        removed.push((await (await request.get(inTheWay)).json()) as Lesson);
        await request.delete(inTheWay, { headers });
      }
      throw new Error('slot never cleared');
    };
    nowLesson = await create(today.date, today.date);
    laterLesson = await create(addDays(today.date, 7), addDays(today.date, 7));
    const bad = await request.post(`${baseUrl}/api/timetable/lessons`, { headers, data: { ...body, start: '10:00', end: '09:00', validFrom: today.date, validTo: today.date } });
    expect(bad.status()).toBe(400);
    expect(principal.problems).toEqual([]);
    await principal.context.close();
  });

  it('the teacher gives it a Jitsi room from his timetable', async () => {
    const { page, problems, context } = await session('karim.benali');
    await openTimetable(page);
    const card = page.locator(`[data-occurrence="${occurrence(nowLesson, today.date)}"]`);
    await card.locator('.tt-lesson-open').click();
    const dialog = page.getByRole('dialog', { name: 'Mathématiques — 6e A' });
    await visible(dialog);
    await dialog.getByLabel('Salle Préau (Jitsi)').check();
    await dialog.getByRole('button', { name: 'Enregistrer' }).click();
    await visible(dialog.locator('.tt-saved'));
    await visible(dialog.getByText('Salle Jitsi'));
    const { request, headers } = await apiOf(page);
    const later = await request.put(`${baseUrl}/api/timetable/lessons/${laterLesson}/virtual`, { headers, data: { kind: 'room' } });
    expect(later.status()).toBe(200);
    const http = await request.put(`${baseUrl}/api/timetable/lessons/${laterLesson}/virtual`, { headers, data: { kind: 'url', url: 'http://visio.example.org' } });
    expect(http.status()).toBe(400);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a pupil joins it with « Rejoindre » from her dashboard; next week the button is disabled and the API says 409', async () => {
    const { page, problems, context } = await session('lea.martin');
    // The 9:00 page: today's lessons carry « Rejoindre » while the virtual class is open.
    await page.goto(`${baseUrl}/`);
    const todayCard = page.locator('.card', { has: page.getByRole('heading', { level: 3, name: 'Mes cours du jour' }) });
    const join = todayCard.getByRole('button', { name: /Rejoindre/ }).first();
    await visible(join);
    await capture(page, 'accueil-eleve-rejoindre');
    const [room] = await Promise.all([context.waitForEvent('page'), join.click()]);
    await room.waitForLoadState();
    expect(room.url()).toMatch(/^https:\/\/meet\.jit\.si\/Preau[0-9a-f]{32}#/);
    await visible(todayCard.getByRole('link', { name: 'Ouvrir la classe virtuelle' }));
    await room.close();

    await openTimetable(page);
    const card = page.locator(`[data-occurrence="${occurrence(nowLesson, today.date)}"]`);
    await visible(card.getByRole('button', { name: /Rejoindre/ }));
    await capture(page, 'emploi-du-temps-eleve');

    await page.getByRole('button', { name: 'Semaine suivante' }).click();
    const next = page.locator(`[data-occurrence="${occurrence(laterLesson, addDays(today.date, 7))}"]`);
    await next.locator('.tt-lesson-open').click();
    const dialog = page.getByRole('dialog', { name: 'Mathématiques — 6e A' });
    const closed = dialog.getByRole('button', { name: /^Ouvre le / });
    await visible(closed);
    expect(await closed.isDisabled()).toBe(true);
    const { request, headers } = await apiOf(page);
    const early = await request.post(`${baseUrl}/api/lessons/${occurrence(laterLesson, addDays(today.date, 7))}/join`, { headers });
    expect(early.status()).toBe(409);
    expect(((await early.json()) as { error: { message: string } }).error.message).toMatch(/^La classe virtuelle ouvre le .+ à \d+ h \d\d/);
    await page.keyboard.press('Escape');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the teacher sees her present in the presence list', async () => {
    const { page, problems, context } = await session('karim.benali');
    await openTimetable(page);
    await page.locator(`[data-occurrence="${occurrence(nowLesson, today.date)}"]`).locator('.tt-lesson-open').click();
    const presence = page.getByRole('dialog').locator('.tt-presence');
    const lea = presence.locator('li', { hasText: 'Léa' });
    await visible(lea);
    expect(await lea.textContent()).toMatch(/MARTIN|Martin/);
    expect(await lea.textContent()).toMatch(/Connecté·e à \d+ h \d\d/);
    await visible(presence.getByText(/1 élève connecté sur 26/));
    await capture(page, 'emploi-du-temps-presence');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('the private calendar feed', () => {
  it('is fetched without cookies and parses; after « Régénérer » the old URL answers 404', async () => {
    const { page, problems, context } = await session('lea.martin');
    await openTimetable(page);
    const panel = page.locator('section', { has: page.getByRole('heading', { name: 'Mon agenda (iCal)' }) });
    await panel.getByRole('button', { name: 'Créer mon lien privé' }).click();
    const input = panel.getByLabel('Lien privé de mon agenda');
    await visible(input);
    const first = await input.inputValue();
    expect(first).toMatch(new RegExp(`^${baseUrl}/ical/[A-Za-z0-9_-]{43}\\.ics$`));
    await capture(page, 'emploi-du-temps-agenda');

    const feed = await fetchFeed(first);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const calendar = parseIcsStrict(await feed.text());
    expect(calendar.get('X-WR-CALNAME')).toBe('Préau — Léa Martin');
    expect(calendar.components.filter((c) => c.name === 'VEVENT').length).toBeGreaterThan(0);

    await panel.getByRole('button', { name: 'Régénérer', exact: true }).click();
    await panel.getByRole('button', { name: 'Régénérer le lien' }).click();
    await visible(panel.getByText("Nouveau lien créé : l'ancien ne fonctionne plus."));
    const second = await input.inputValue();
    expect(second).not.toBe(first);
    expect((await fetchFeed(first)).status).toBe(404);
    expect((await fetchFeed(second)).status).toBe(200);
    expect(problems).toEqual([]);
    await context.close();
  });
});
