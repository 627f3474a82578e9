import type { BrowserContext } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { hasCount, openTab, signIn, useBrowser, visible } from './support/browser.ts';
import { capture } from './support/capture.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

/** What survives closing the browser: only cookies with an expiry date (session cookies die). */
async function afterBrowserRestart(context: BrowserContext): Promise<Awaited<ReturnType<BrowserContext['storageState']>>> {
  const state = await context.storageState();
  await context.close();
  return { ...state, cookies: state.cookies.filter((c) => c.expires > 0) };
}

describe('remembered devices', () => {
  it('keeps a remembered session across a browser restart, but not an unremembered one', async () => {
    const first = await openTab(browser());
    await signIn(first.page, baseUrl, 'sophie.martin');
    await visible(first.page.getByRole('heading', { level: 1, name: 'Bonjour Sophie' }));
    const children = first.page.locator('section', { has: first.page.getByRole('heading', { level: 2, name: 'Mes enfants' }) });
    await visible(children.getByRole('heading', { level: 3, name: 'Léa Martin' }));
    await visible(children.getByRole('heading', { level: 3, name: 'Hugo Martin' }));
    await capture(first.page, 'accueil-parent');
    expect(first.problems).toEqual([]);

    const restarted = await openTab(browser(), { storageState: await afterBrowserRestart(first.context) });
    await restarted.page.goto(`${baseUrl}/`);
    await visible(restarted.page.getByRole('heading', { level: 1, name: 'Bonjour Sophie' }));
    expect(new URL(restarted.page.url()).pathname).toBe('/');
    expect(restarted.problems).toEqual([]);
    await restarted.context.close();

    const shared = await openTab(browser());
    await signIn(shared.page, baseUrl, 'julien.moreau', { remember: false });
    await visible(shared.page.getByRole('heading', { level: 1, name: 'Bonjour Julien' }));
    const later = await openTab(browser(), { storageState: await afterBrowserRestart(shared.context) });
    await later.page.goto(`${baseUrl}/`);
    await later.page.waitForURL(`${baseUrl}/connexion`);
    await later.context.close();
  });

  it('lists devices, signs another one out, and signing out this one goes back to sign-in', async () => {
    const phone = await openTab(browser(), {
      phone: true,
      userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36',
    });
    await signIn(phone.page, baseUrl, 'claire.dubois');
    const desktop = await openTab(browser());
    await signIn(desktop.page, baseUrl, 'claire.dubois');
    await visible(desktop.page.getByRole('heading', { level: 1, name: 'Bonjour Claire' }));
    await capture(desktop.page, 'accueil-direction');

    await desktop.page.getByRole('button', { name: 'Claire Dubois' }).click();
    await desktop.page.getByRole('link', { name: 'Mes appareils' }).last().click();
    await visible(desktop.page.getByRole('heading', { level: 2, name: /Chrome sur Android/ }));
    // Other journeys may have signed Claire in too: count from what is listed now.
    const devices = desktop.page.locator('li.device');
    const listed = await devices.count();
    expect(listed).toBeGreaterThanOrEqual(2);
    await desktop.page.getByRole('button', { name: /^Déconnecter Chrome sur Android/ }).click();
    await hasCount(desktop.page.locator('li.device'), listed - 1);

    await phone.page.reload();
    await phone.page.waitForURL(`${baseUrl}/connexion`);

    await desktop.page.getByRole('button', { name: 'Déconnecter cet appareil' }).click();
    await desktop.page.waitForURL(`${baseUrl}/connexion`);
    await desktop.page.goto(`${baseUrl}/`);
    await desktop.page.waitForURL(`${baseUrl}/connexion`);
    expect([...phone.problems, ...desktop.problems]).toEqual([]);
    await phone.context.close();
    await desktop.context.close();
  });
});
