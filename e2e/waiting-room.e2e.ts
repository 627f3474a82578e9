/**
 * The front door in a real browser: with capacity forced low by the operator, a newcomer lands in
 * the waiting room, sees people ahead and an honest wait in French, and is let in by itself when
 * capacity returns; in attack mode the browser solves the puzzle in a Web Worker and gets its
 * place, while a signed-in person never sees it.
 */
import { request as http, type APIRequestContext, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './support/server.ts';
import { DEMO_PASSWORD, launchBrowser, openTab, signIn, visible } from './support/browser.ts';
import { axeViolations, capture } from './support/capture.ts';

// Its own server: the cap and attack mode set here must not leak into the other journeys.
let server: RunningServer;
let baseUrl = '';
let browser: Browser;
let operator: APIRequestContext;
let csrfToken = '';

async function setFrontDoor(settings: { capPerMinute?: number | null; attackMode?: 'on' | 'off' | 'auto' }): Promise<void> {
  const res = await operator.put('/api/operator/front-door', { data: settings, headers: { 'x-csrf-token': csrfToken } });
  expect(res.status(), await res.text()).toBe(200);
}

const WAITING = "Vous êtes dans la file d'attente";


async function isWaiting(page: Page): Promise<boolean> {
  return (await page.getByRole('heading', { level: 1, name: WAITING }).count()) > 0;
}

beforeAll(async () => {
  server = await startServer();
  baseUrl = server.url;
  browser = await launchBrowser();
  operator = await http.newContext({ baseURL: baseUrl });
  const anonymous = (await (await operator.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const me = await operator.post('/api/auth/login', {
    data: { login: 'operateur', password: DEMO_PASSWORD, remember: true },
    headers: { 'x-csrf-token': anonymous.csrfToken },
  });
  csrfToken = ((await me.json()) as { csrfToken: string }).csrfToken;
});

afterAll(async () => {
  await setFrontDoor({ capPerMinute: null, attackMode: 'off' });
  await operator.dispose();
  await browser.close();
  await server.stop();
});

describe('the waiting room', () => {
  it('in attack mode, a newcomer solves the puzzle with a progress bar and gets in; a signed-in person never sees it', async () => {
    const pupil = await openTab(browser);
    await signIn(pupil.page, baseUrl, 'lea.martin');
    await setFrontDoor({ attackMode: 'on' });
    await expect
      .poll(async () => ((await (await operator.get('/api/operator/front-door')).json()) as { attackActive: boolean }).attackActive)
      .toBe(true);

    const { page, context } = await openTab(browser, { phone: true });
    // On this machine's CPU the puzzle takes a fraction of a second, so the check page may be gone
    // before anyone looks: what proves it ran is the page, then the solved challenge sent back.
    const puzzlePage = page.waitForResponse((r) => new URL(r.url()).pathname === '/connexion' && r.status() === 503);
    const solved = page.waitForResponse((r) => r.url().includes('/file-attente/jeton'));
    await page.goto(`${baseUrl}/connexion`);
    expect(await (await puzzlePage).text()).toMatch(/Vérification de votre navigateur/);
    expect((await solved).status()).toBeLessThan(400);
    await visible(page.getByRole('heading', { level: 1, name: 'Connexion' }), 60_000);

    await pupil.page.goto(`${baseUrl}/`);
    await visible(pupil.page.getByRole('heading', { level: 1, name: 'Bonjour Léa' }));
    await setFrontDoor({ attackMode: 'off' });
    await context.close();
    await pupil.context.close();
  });

  it('the operator reads the lanes and sets a cap and attack mode from the admin page', async () => {
    const { page, context, problems } = await openTab(browser);
    await signIn(page, baseUrl, 'operateur');
    await page.getByRole('link', { name: "Salle d'attente" }).click();
    await visible(page.getByRole('heading', { level: 1, name: "Salle d'attente et admission" }));
    await visible(page.getByRole('cell', { name: 'Générale' }).or(page.getByRole('rowheader', { name: 'Générale' })));
    await page.getByLabel("Plafond d’admissions par minute").fill('600');
    await page.getByRole('radio', { name: 'Activé', exact: true }).check();
    await page.getByRole('button', { name: 'Appliquer' }).click();
    await visible(page.getByRole('status').filter({ hasText: 'Réglages appliqués' }));
    await visible(page.getByText('Mode attaque actif'));
    await capture(page, 'exploitation-salle-attente');
    const view = (await (await operator.get('/api/operator/front-door')).json()) as { capPerMinute: number; attackMode: string };
    expect(view).toMatchObject({ capPerMinute: 600, attackMode: 'on' });

    // A cap of 600 a minute is 10 a second: the budget check below waits for it to be lifted again.
    await page.getByLabel("Plafond d’admissions par minute").fill('zéro');
    await page.getByRole('button', { name: 'Appliquer' }).click();
    await visible(page.getByRole('alert').filter({ hasText: 'nombre entier positif' }));
    await setFrontDoor({ capPerMinute: null, attackMode: 'off' });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('holds a newcomer in line with people ahead and a wait range, then lets them in by itself', async () => {
    // A pupil who signed in earlier keeps going whatever happens at the door.
    const pupil = await openTab(browser);
    await signIn(pupil.page, baseUrl, 'lea.martin');

    await setFrontDoor({ capPerMinute: 1 });
    await new Promise((r) => setTimeout(r, 2500)); // the leader applies the cap on its next tick

    const tabs = [];
    let waiting: Page | null = null;
    for (let i = 0; i < 6 && !waiting; i++) {
      const tab = await openTab(browser, i % 2 ? { phone: true } : {});
      tabs.push(tab);
      await tab.page.goto(`${baseUrl}/connexion`);
      if (await isWaiting(tab.page)) waiting = tab.page;
    }
    expect(waiting, 'one of the newcomers waits in line').not.toBeNull();
    const page = waiting!;
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await expect.poll(() => page.locator('#ah').textContent()).toMatch(/(personnes? devant vous|Personne devant vous)/);
    expect(await page.locator('#wt').textContent()).toMatch(/Attente estimée\u00a0: entre \d+ et \d+ (secondes|minutes)/);
    expect(await axeViolations(page)).toEqual([]);
    await capture(page, 'file-attente');

    await pupil.page.reload();
    await visible(pupil.page.getByRole('heading', { level: 1, name: 'Bonjour Léa' }));

    await setFrontDoor({ capPerMinute: null });
    // Nobody clicks anything: the page polls and goes on to where the person was going.
    await visible(page.getByRole('heading', { level: 1, name: 'Connexion' }), 60_000);
    expect(new URL(page.url()).pathname).toBe('/connexion');
    for (const tab of tabs) await tab.context.close();
    await pupil.context.close();
  });

  it('queues a remembered session alone in its own lane while full: the app goes to the waiting page, then back', async () => {
    const pupil = await openTab(browser);
    await signIn(pupil.page, baseUrl, 'lea.martin');
    await visible(pupil.page.getByRole('heading', { level: 1, name: 'Bonjour Léa' }));
    // Another remembered session (the operator's device cookie alone), to spend the returning lane's share once the cap is set.
    const sid = (await operator.storageState()).cookies.find((c) => c.name === 'preau_sid')?.value;
    expect(sid).toBeDefined();

    await setFrontDoor({ capPerMinute: 1 });
    await new Promise((r) => setTimeout(r, 2500)); // the leader applies the cap on its next tick
    let spent = false;
    for (let i = 0; i < 4 && !spent; i++) spent = (await fetch(`${baseUrl}/api/me`, { headers: { cookie: `preau_sid=${sid}` } })).status === 503;
    expect(spent, 'the returning lane queues once its share is spent').toBe(true);

    // The morning after: the identity pass and the admission pass ran out, the remembered session is left.
    await pupil.context.clearCookies({ name: /^preau_(pass|adm)$/ });
    await pupil.page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Documents' }).click();
    await pupil.page.waitForURL((url) => url.pathname === '/file-attente', { timeout: 15_000 });
    expect(new URL(pupil.page.url()).searchParams.get('vers')).toMatch(/^\/documents/);
    await visible(pupil.page.getByRole('heading', { level: 1, name: WAITING }));
    expect(await pupil.page.locator('[data-l]').getAttribute('data-l')).toBe('returning');

    await setFrontDoor({ capPerMinute: null });
    await visible(pupil.page.getByRole('heading', { level: 1, name: 'Documents' }), 60_000);
    await pupil.context.close();
  });
});
