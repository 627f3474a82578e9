/** Renders the HTML report to a PNG with Debian's Chromium (playwright-core), to look at it. */
import { chromium } from 'playwright-core';

export async function renderPng(htmlPath: string, pngPath: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1040, height: 900 } });
    await page.goto(`file://${htmlPath}`);
    await page.screenshot({ path: pngPath, fullPage: true });
  } finally {
    await browser.close();
  }
}

// `npx tsx bench/rehearse/screenshot.ts report.html [report.png]`
if (process.argv[1]?.endsWith('screenshot.ts') && process.argv[2]) {
  const html = process.argv[2];
  await renderPng(html, process.argv[3] ?? html.replace(/\.html$/, '.png'));
}
