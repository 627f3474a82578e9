/**
 * For every page a journey reaches: run axe-core (fail on serious or critical violations) and save
 * a full-page screenshot, on a desktop and on a 390×844 phone.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE } from './browser.ts';
import { ROOT } from './server.ts';

// The app's CSP (script-src 'self') blocks page.addScriptTag's inline script; rather than turning
// CSP off for the tests (and missing real violations), axe's own file is evaluated in the page.
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = path.join(ROOT, 'e2e', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

const AXE_OPTIONS = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } };

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate<boolean>("typeof axe !== 'undefined'"))) await page.evaluate(`${AXE_SOURCE}\n;void 0`);
  const { violations } = await page.evaluate<{ violations: AxeViolation[] }>(`axe.run(document, ${JSON.stringify(AXE_OPTIONS)})`);
  return violations;
}

async function expectAccessible(page: Page, label: string): Promise<void> {
  const bad = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    const lines = bad.map((v) => `  [${v.impact}] ${v.id}: ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    throw new Error(`axe-core: ${bad.length} violation(s) grave(s) sur « ${label} » :\n${lines.join('\n')}`);
  }
}

async function settle(page: Page): Promise<void> {
  await page.waitForSelector('.loading', { state: 'detached', timeout: 15_000 });
}

/** Checks and photographs the current page at both sizes, then puts the viewport back. */
export async function capture(page: Page, name: string): Promise<void> {
  const original = page.viewportSize() ?? DESKTOP;
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(viewport);
    await settle(page);
    await page.mouse.move(0, 0);
    await expectAccessible(page, `${name} (${size})`);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${size}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
  }
  await page.setViewportSize(original);
}

/** What « Imprimer » puts on paper (print stylesheet: no header, no buttons, just the codes). */
export async function capturePrint(page: Page, name: string): Promise<void> {
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: path.join(SHOTS, `${name}-impression.png`), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
}
