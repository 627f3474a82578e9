/**
 * Homework end to end: a teacher posts homework with a file and a hand-in → a pupil sees it in
 * « Mes devoirs », downloads the file and hands in text and a file → the teacher reviews it and
 * gives feedback and a mark → the parent sees « Corrigé » with the mark. Then bad input over the
 * API, each answered with a clear 4xx.
 */
import { readFile } from 'node:fs/promises';
import type { APIRequestContext, Download, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { openTab, signIn, type Tab, useBrowser, visible } from './support/browser.ts';
import { capture } from './support/capture.ts';

const baseUrl = inject('baseUrl');

// A small real PDF (type sniffing reads the magic bytes) and a real PNG header for the hand-in.
const SHEET = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const PHOTO = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), Buffer.alloc(2000, 7)]);
const INSTRUCTIONS = 'Fiche d’exercices sur les fractions : faites les exercices 1 à 4 et rendez votre travail.';

const browser = useBrowser();

async function bytesOf(download: Download): Promise<Buffer> {
  const file = await download.path();
  return readFile(file);
}

async function session(login: string, options: { phone?: boolean } = {}): Promise<Tab> {
  const tab = await openTab(browser(), options);
  await signIn(tab.page, baseUrl, login);
  return tab;
}

interface Answer {
  status: number;
  body: { error?: { message: string } } & Record<string, unknown>;
}

/**
 * Requests with the page's cookies and a CSRF token, as the web app sends them. A 503 from the
 * front door shedding load on a busy test machine is retried after its Retry-After (this
 * journey is about homework, not about the front door).
 */
async function apiOf(page: Page): Promise<(method: 'GET' | 'POST' | 'PUT', path: string, options?: { data?: unknown; multipart?: Record<string, unknown> }) => Promise<Answer>> {
  const request: APIRequestContext = page.context().request;
  const { csrfToken } = (await (await request.get(`${baseUrl}/api/auth/csrf`)).json()) as { csrfToken: string };
  return async (method, path, options = {}) => {
    for (let attempt = 1; ; attempt++) {
      const res = await request.fetch(`${baseUrl}${path}`, { method, headers: { 'x-csrf-token': csrfToken }, ...(options as object) });
      if (res.status() !== 503 || attempt === 4) return { status: res.status(), body: (await res.json().catch(() => ({}))) as Answer['body'] };
      await new Promise((resolve) => setTimeout(resolve, 1000 * Number(res.headers()['retry-after'] ?? 1)));
    }
  };
}

/** The homework as the dashboard's « Aujourd'hui » part lists it for this person. */
async function dueOnDashboard(page: Page): Promise<unknown> {
  const today = (await (await apiOf(page))('GET', '/api/dashboard')).body.today as { homework: Array<{ homeworkId: string }> };
  return today.homework.find((h) => h.homeworkId === currentHomework);
}
let currentHomework = '';

describe('homework with a hand-in', () => {
  let homeworkId = '';
  let submissionId = '';

  it('a teacher posts homework with a file and asks for a hand-in', async () => {
    const { page, problems } = await session('karim.benali');
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Cahier de textes' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Cahier de textes' }));
    expect(await page.getByLabel('Classe et matière').inputValue()).toMatch(/:MATHS$/);
    await visible(page.getByText('6e A — Mathématiques').first());

    await page.getByRole('button', { name: 'Nouvelle séance' }).click();
    await page.getByLabel('Ce qui a été fait').fill('Les fractions : définition, numérateur et dénominateur.');
    await page.getByRole('button', { name: 'Enregistrer la séance' }).click();
    await visible(page.getByText('Les fractions : définition, numérateur et dénominateur.'));

    await page.getByRole('button', { name: 'Nouveau devoir' }).click();
    await page.getByLabel('Travail à faire', { exact: true }).fill(INSTRUCTIONS);
    await page.getByLabel('Pièces jointes', { exact: true }).setInputFiles({ name: 'Fiche fractions.pdf', mimeType: 'application/pdf', buffer: SHEET });
    await visible(page.getByRole('list', { name: 'Fichiers ajoutés' }).getByText('Fiche fractions.pdf'));
    await page.getByLabel('Demander un rendu').check();
    await capture(page, 'cahier-nouveau-devoir');
    await page.getByRole('button', { name: 'Publier le devoir' }).click();

    const card = page.locator('li.hw-entry', { hasText: INSTRUCTIONS });
    await visible(card);
    await visible(card.getByText('Rendu en ligne'));
    await visible(card.getByRole('link', { name: 'Fiche fractions.pdf' }));
    const review = card.getByRole('link', { name: 'Voir les rendus' });
    homeworkId = /devoirs\/([0-9a-f-]{36})/.exec((await review.getAttribute('href')) ?? '')?.[1] ?? '';
    expect(homeworkId).not.toBe('');
    currentHomework = homeworkId;
    await capture(page, 'cahier-de-textes');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('the pupil sees it in « Mes devoirs », downloads the file and hands in text and a file', async () => {
    const { page, problems } = await session('lea.martin', { phone: true });
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Devoirs' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Mes devoirs' }));
    const card = page.locator(`#devoir-${homeworkId}`);
    await visible(card.getByText(INSTRUCTIONS));
    await visible(card.getByText('À faire'));

    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'Fiche fractions.pdf' }).click()]);
    expect(download.suggestedFilename()).toBe('Fiche fractions.pdf');
    expect((await bytesOf(download)).equals(SHEET)).toBe(true);

    await card.getByRole('button', { name: 'Rendre mon travail' }).click();
    await card.getByLabel('Ma réponse').fill('Ex. 1 : 3/4 > 2/4.\nEx. 2 : 5/10 = 1/2.');
    await card.getByLabel('Mes fichiers').setInputFiles({ name: 'ma copie.png', mimeType: 'image/png', buffer: PHOTO });
    await visible(card.getByText('ma copie.png'));
    await capture(page, 'devoirs-rendu');
    await card.getByRole('button', { name: 'Envoyer mon travail' }).click();
    await visible(card.locator('.badge', { hasText: /^Rendu$/ }));
    await capture(page, 'devoirs-eleve');
    expect(await dueOnDashboard(page)).toMatchObject({ status: 'submitted', requiresSubmission: true });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('the teacher sees it handed in, downloads it and gives feedback and a mark', async () => {
    const { page, problems } = await session('karim.benali');
    await page.goto(`${baseUrl}/cahier-de-textes/devoirs/${homeworkId}`);
    await visible(page.getByRole('heading', { level: 1, name: 'Rendus — 6e A, Mathématiques' }));
    const today = (await (await apiOf(page))('GET', '/api/dashboard')).body.today as { toReview: Array<{ homeworkId: string }> };
    expect(today.toReview.find((r) => r.homeworkId === homeworkId)).toMatchObject({ className: '6e A', submitted: 1, toReview: 1 });
    const row = page.getByRole('row', { name: /Martin Léa/ });
    await visible(row.getByText('Rendu'));
    await row.getByRole('button', { name: 'Martin Léa' }).click();
    const work = page.locator('section.hw-work');
    await visible(work.getByRole('heading', { name: 'Travail de Léa Martin' }));
    await visible(work.getByText('Ex. 2 : 5/10 = 1/2.'));
    const [download] = await Promise.all([page.waitForEvent('download'), work.getByRole('link', { name: 'ma copie.png' }).click()]);
    expect((await bytesOf(download)).equals(PHOTO)).toBe(true);
    submissionId = /submissions\/([0-9a-f-]{36})/.exec(download.url())?.[1] ?? '';

    await work.getByLabel('Appréciation').fill('Très bien, pense à simplifier tes fractions.');
    await work.getByLabel('Note').fill('16,5');
    await work.getByRole('button', { name: 'Enregistrer la correction' }).click();
    await visible(page.getByRole('row', { name: /Martin Léa/ }).getByText('Corrigé'));
    await visible(page.getByRole('row', { name: /Martin Léa/ }).getByText('16,5'));
    await capture(page, 'rendus');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('the parent sees « Corrigé » with the mark and the feedback', async () => {
    const { page, problems } = await session('sophie.martin', { phone: true });
    await page.goto(`${baseUrl}/devoirs`);
    await visible(page.getByRole('heading', { level: 1, name: 'Devoirs' }));
    await page.getByRole('navigation', { name: 'Choisir l’enfant' }).getByRole('link', { name: /Léa/ }).click();
    const card = page.locator(`#devoir-${homeworkId}`);
    await visible(card.getByText('Corrigé : 16,5/20'));
    await visible(card.getByText('Très bien, pense à simplifier tes fractions.'));
    expect(await card.getByRole('button', { name: /Rendre|Modifier/ }).count()).toBe(0);
    expect(await dueOnDashboard(page)).toMatchObject({ status: 'reviewed', mark: 16.5, hasFeedback: true });
    await capture(page, 'devoirs-parent');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('bad input gets a clear 4xx and leaves nothing behind', async () => {
    const teacher = await session('karim.benali');
    const karim = await apiOf(teacher.page);
    const teaching = (await karim('GET', '/api/homework/teaching')).body.teaching as Array<{ classId: string; className: string }>;
    const classId = teaching.find((x) => x.className === '6e A')!.classId;
    const before = ((await karim('GET', `/api/classes/${classId}/homework?subject=MATHS`)).body.homework as unknown[]).length;

    const past = await karim('POST', `/api/classes/${classId}/homework`, { data: { subject: 'MATHS', instructions: 'Ex. 1', dueDate: '2020-01-06' } });
    expect(past.status).toBe(400);
    expect(past.body.error?.message).toMatch(/déjà passée/);
    const empty = await karim('POST', `/api/classes/${classId}/homework`, { data: { subject: 'MATHS', instructions: '  ', dueDate: '2099-01-05' } });
    expect(empty.status).toBe(400);
    expect(empty.body.error?.message).toBe('Écrivez la consigne du travail à faire.');
    expect(((await karim('GET', `/api/classes/${classId}/homework?subject=MATHS`)).body.homework as unknown[]).length).toBe(before);
    expect((await karim('POST', `/api/homework/${homeworkId}/close`)).status).toBe(200);

    const pupil = await session('lea.martin');
    const lea = await apiOf(pupil.page);
    const closed = await lea('PUT', `/api/homework/${homeworkId}/submission`, { data: { text: 'Encore' } });
    expect(closed.status).toBe(409);
    expect(closed.body.error?.message).toMatch(/clos ce devoir/);
    expect((await lea('PUT', '/api/homework/00000000-0000-4000-8000-000000000000/submission', { data: { text: 'x' } })).status).toBe(404);
    const huge = await lea('POST', '/api/files', {
      multipart: { file: { name: 'enorme.png', mimeType: 'image/png', buffer: Buffer.concat([PHOTO, Buffer.alloc(21 * 1024 * 1024, 1)]) } },
    });
    expect(huge.status).toBe(413);

    const other = await session('hugo.martin');
    const hugo = await apiOf(other.page);
    expect((await hugo('GET', `/api/submissions/${submissionId}`)).status).toBe(403);
    expect((await hugo('GET', `/api/homework/${homeworkId}/submissions`)).status).toBe(403);

    expect((await karim('POST', `/api/homework/${homeworkId}/reopen`)).status).toBe(200);
    for (const tab of [teacher, pupil, other]) await tab.page.context().close();
  });
});
