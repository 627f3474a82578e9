/** Chromium for the journeys, pages that record console errors, and small waiting helpers. */
import path from 'node:path';
import { afterAll, beforeAll, onTestFailed } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };
export const DEMO_PASSWORD = 'preau-demo';

/**
 * One Chromium for the file's journeys: launched before them, closed after them. Returns a getter
 * (the browser exists only once beforeAll has run).
 */
export function useBrowser(): () => Browser {
  let browser: Browser | null = null;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is launched in beforeAll');
    return browser;
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught exceptions and failed asset loads seen so far. */
  problems: string[];
}

export async function openTab(browser: Browser, options: BrowserContextOptions & { phone?: boolean } = {}): Promise<Tab> {
  const { phone, ...rest } = options;
  const context = await browser.newContext({
    viewport: phone ? PHONE : DESKTOP,
    isMobile: phone ?? false,
    hasTouch: phone ?? false,
    locale: 'fr-FR',
    acceptDownloads: true,
    ...rest,
  });
  const tab = { context, ...(await watchPage(await context.newPage())) };
  onTestFailed(async ({ task }) => {
    if (tab.page.isClosed()) return;
    const file = `echec-${task.name.replace(/[^\w]+/g, '-').slice(0, 60)}.png`;
    await tab.page.screenshot({ path: path.join(import.meta.dirname, '..', 'screenshots', file), fullPage: true }).catch(() => undefined);
    console.error(`Échec : capture dans e2e/screenshots/${file} (${tab.page.url()})\n${tab.problems.join('\n')}`);
  });
  return tab;
}

/** Records what a person would never want to see: JS errors, and assets that fail to load. */
export async function watchPage(page: Page): Promise<{ page: Page; problems: string[] }> {
  const problems: string[] = [];
  page.on('console', (message) => {
    // Network statuses the app handles on purpose (401 when signed out, 422 for a bad CSV) are
    // logged by Chromium as "Failed to load resource"; responses are checked below instead.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/api/') && response.status() >= 400) problems.push(`${response.status()} ${url.pathname}`);
  });
  return { page, problems };
}

export async function visible(locator: Locator, timeout = 15_000): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator;
}

export async function signIn(page: Page, baseUrl: string, login: string, options: { remember?: boolean } = {}): Promise<void> {
  if (!page.url().includes('/connexion')) await page.goto(`${baseUrl}/connexion`);
  await page.getByLabel('Identifiant', { exact: true }).fill(login);
  await page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
  if (options.remember === false) await page.getByLabel('Se souvenir de cet appareil').uncheck();
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/connexion'));
}

export function pathOf(page: Page): string {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

/** Waits until the locator matches exactly `count` elements (lists that refilter as you type). */
export async function hasCount(locator: Locator, count: number, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let seen = await locator.count();
  while (seen !== count) {
    if (Date.now() > deadline) throw new Error(`Attendu ${count} élément(s), trouvé ${seen} : ${locator.toString()}`);
    await new Promise((r) => setTimeout(r, 100));
    seen = await locator.count();
  }
}
