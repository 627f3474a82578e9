import { describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, openTab, useBrowser, visible } from './support/browser.ts';
import { capture } from './support/capture.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('language switch', () => {
  it('switches the interface and <html lang> to English, remembers it, and saves it to the account', async () => {
    const { page, problems } = await openTab(browser());
    await page.goto(`${baseUrl}/connexion`);
    await visible(page.getByRole('heading', { level: 1, name: 'Connexion' }));
    expect(await page.getAttribute('html', 'lang')).toBe('fr');

    const english = page.getByRole('button', { name: 'EN English' });
    expect(await english.getAttribute('aria-pressed')).toBe('false');
    await english.click();
    await visible(page.getByRole('heading', { level: 1, name: 'Sign in' }));
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await english.getAttribute('aria-pressed')).toBe('true');
    await capture(page, 'connexion-en');

    await page.reload();
    await visible(page.getByRole('heading', { level: 1, name: 'Sign in' }));
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    await page.getByLabel('Username', { exact: true }).fill('lea.martin');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    const saved = page.waitForRequest((r) => r.method() === 'PATCH' && r.url().endsWith('/api/me'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect((await saved).postDataJSON()).toEqual({ locale: 'en' });
    await visible(page.getByRole('heading', { level: 1, name: 'Hello Léa' }));
    await visible(page.getByRole('heading', { name: 'My classmates' }));
    await capture(page, 'accueil-eleve-en');

    await page.getByRole('button', { name: 'FR Français' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Bonjour Léa' }));
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
