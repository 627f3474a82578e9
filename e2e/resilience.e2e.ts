import { describe, expect, inject, it } from 'vitest';
import { openTab, pathOf, signIn, useBrowser, visible } from './support/browser.ts';
import { capture } from './support/capture.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('when things go wrong', () => {
  it('shows a friendly banner on server and network errors, never a blank page, and recovers', async () => {
    const { page, context, problems } = await openTab(browser());
    await signIn(page, baseUrl, 'lea.martin');
    await visible(page.getByRole('heading', { level: 1, name: 'Bonjour Léa' }));

    await page.route('**/api/dashboard', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'INTERNAL', message: 'Erreur.' } }) }),
    );
    await page.reload();
    await visible(page.getByRole('heading', { level: 1, name: 'Bonjour Léa' }));
    await visible(page.locator('.banner').getByText('Préau rencontre un problème de son côté'));
    await capture(page, 'erreur-serveur');

    await page.unroute('**/api/dashboard');
    await page.getByRole('button', { name: 'Réessayer' }).click();
    await visible(page.getByRole('heading', { name: 'Mes camarades' }));

    await page.route('**/api/classes/**', (route) => route.abort('internetdisconnected'));
    await page.route('**/api/me/sessions', (route) => route.abort('internetdisconnected'));
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Mes appareils' }).click();
    await visible(page.locator('.banner').getByText('Impossible de joindre Préau'));
    await visible(page.getByRole('heading', { level: 1, name: 'Mes appareils' }));
    await page.unroute('**/api/me/sessions');
    await page.unroute('**/api/classes/**');

    // The session ends elsewhere (cookies gone): the next call sends the person to sign in, then back.
    await context.clearCookies();
    await page.getByRole('button', { name: 'Réessayer' }).click();
    await page.waitForURL(/\/connexion\?suivant=/);
    expect(pathOf(page)).toBe('/connexion?suivant=%2Fcompte%2Fsessions');
    await signIn(page, baseUrl, 'lea.martin');
    expect(pathOf(page)).toBe('/compte/sessions');

    await page.goto(`${baseUrl}/nulle-part`);
    await visible(page.getByRole('heading', { level: 1, name: 'Page introuvable' }));
    await capture(page, 'page-introuvable');
    expect(problems).toEqual([]);
    await context.close();
  });
});
