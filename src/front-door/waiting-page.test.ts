import { createHash } from 'node:crypto';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { aheadOf, waitBand, type WaitBand } from './room-state.ts';
import { CLIENT_FUNCTIONS, PAGE_SCRIPT } from './waiting-page-client.ts';
import { WAITING_PAGE_CSP, formatAhead, formatWait, pickLanguage, renderWaitingPage, safeNext, type Lang, type WaitingPageModel } from './waiting-page.ts';

const wait = (lang: Lang, ahead = 1_234, band: WaitBand = { lowSeconds: 130, highSeconds: 290 }): WaitingPageModel => ({
  mode: 'wait',
  lang,
  ahead,
  band,
  lane: 'general',
  position: 1_788_764_400_042.5,
  ticketExp: 1_788_765_000_000,
  ticketTtlMs: 600_000,
  pollMs: 5_000,
  jitter: 0.3,
  refreshSeconds: 12.4,
  next: '/tableau-de-bord?onglet=devoirs',
});

const challenge = (lang: Lang): WaitingPageModel => ({
  mode: 'challenge',
  lang,
  challenge: `c1|1788764400000|16|abcdefghijk|general|seed1234.k1.${'m'.repeat(43)}`,
  bits: 16,
  issuedAt: 1_788_764_400_000,
  next: '/',
});

describe('the waiting page', () => {
  it('stays well under 10 KB in every mode and language', () => {
    for (const lang of ['fr', 'en'] as const) {
      for (const model of [wait(lang), challenge(lang), { mode: 'info', lang, next: '/' } as const]) {
        expect(Buffer.byteLength(renderWaitingPage(model))).toBeLessThan(10 * 1024);
      }
    }
  });

  it('shows the people ahead and a wait range in French, accessibly', () => {
    const html = renderWaitingPage(wait('fr'));
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<h1>');
    expect(html).toContain('aria-live="polite"');
    expect(html).toContain('1\u202f234 personnes devant vous');
    expect(html).toContain('Attente estimée\u00a0: entre 2 et 5 minutes');
    expect(html).toContain('Préau');
  });

  it('speaks English when asked', () => {
    const html = renderWaitingPage(wait('en', 1));
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('1 person ahead of you');
    expect(html).toContain('Estimated wait: between 2 and 5 minutes');
  });

  it('works without JavaScript: a meta refresh with the server-set delay, inside <noscript>', () => {
    const html = renderWaitingPage(wait('fr'));
    expect(html).toMatch(/<noscript><meta http-equiv="refresh" content="12"><\/noscript>/);
    expect(html).toContain('data-n="/tableau-de-bord?onglet=devoirs"');
  });

  it('ships the worker and a progress bar in attack mode', () => {
    const html = renderWaitingPage(challenge('fr'));
    expect(html).toContain('<progress id="pg"');
    expect(html).toContain('Vérification de votre navigateur');
    expect(html).toContain('new Worker(URL.createObjectURL(new Blob(');
  });

  it('allows exactly its own inline script through the CSP', () => {
    const hash = createHash('sha256').update(PAGE_SCRIPT).digest('base64');
    expect(WAITING_PAGE_CSP).toContain(`'sha256-${hash}'`);
    expect(WAITING_PAGE_CSP).toContain('worker-src blob:');
    expect(() => new vm.Script(PAGE_SCRIPT)).not.toThrow();
  });

  it('escapes what it echoes and only sends people to same-origin paths', () => {
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('/\\evil')).toBe('/');
    expect(safeNext('/cours?id=3')).toBe('/cours?id=3');
    const html = renderWaitingPage({ ...wait('fr'), next: '/x"><script>alert(1)</script>' });
    expect(html).not.toContain('<script>alert(1)');
  });
});

describe('the page script in a (fake) browser', () => {
  it('polls the state document, updates the live region, and goes on once the frontier passes the ticket', async () => {
    const position = 1_788_764_400_042.5;
    const el = (id: string) => ({ id, textContent: '', value: 0 });
    const elements: Record<string, ReturnType<typeof el>> = { ah: el('ah'), wt: el('wt') };
    const main = { dataset: { t: String(position), l: 'general', p: '3000', j: '0.3', x: String(position + 600_000), h: '600000', n: '/cours', s: '/file-attente/etat.json' } };
    const timers: Array<() => void> = [];
    const replaced: string[] = [];
    let doc = { t: position - 1_000, pollMs: 3_000, lanes: { general: { f: position - 5_000, r: 2, sd: 0.5, h: [[5_000, 40], [9_000, 41]] } } };
    const context = vm.createContext({
      document: { documentElement: { lang: 'fr' }, getElementById: (id: string) => (id === 'w' ? main : elements[id]) },
      fetch: () => Promise.resolve({ ok: true, json: () => Promise.resolve(doc) }),
      setTimeout: (fn: () => void) => timers.push(fn),
      location: { replace: (url: string) => replaced.push(url), reload: () => replaced.push('reload') },
      Math,
      String,
    });
    vm.runInContext(PAGE_SCRIPT, context);
    expect(timers).toHaveLength(1);
    timers.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(elements['ah']!.textContent).toBe('40 personnes devant vous');
    expect(elements['wt']!.textContent).toMatch(/^Attente estimée\u00a0: entre \d+ et \d+ (secondes|minutes)$/);
    expect(replaced).toEqual([]);
    doc = { ...doc, lanes: { general: { ...doc.lanes.general, f: position + 1 } } };
    timers.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(replaced).toEqual(['/cours']);
  });
});

describe('language choice', () => {
  it('follows ?lang=, then Accept-Language, and defaults to French', () => {
    expect(pickLanguage('en-GB,en;q=0.9', undefined)).toBe('en');
    expect(pickLanguage('de-DE,en;q=0.5,fr;q=0.8', undefined)).toBe('fr');
    expect(pickLanguage('en;q=0.9,fr;q=0.4', 'fr')).toBe('fr');
    expect(pickLanguage(undefined, undefined)).toBe('fr');
    expect(pickLanguage('es', undefined)).toBe('fr');
  });
});

describe('the page script mirrors the server', () => {
  const context = vm.createContext({ Math, String });
  vm.runInContext(CLIENT_FUNCTIONS, context);
  const client = context as unknown as {
    ahead(l: { f: number; h: Array<[number, number]> }, t: number): number;
    band(a: number, r: number, sd: number, poll: number, p?: number): [number, number];
    fa(n: number, fr: boolean): string;
    fw(b: [number, number], fr: boolean): string;
  };

  it('computes the same people ahead, wait range and wording', () => {
    let seed = 3;
    const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (let k = 0; k < 300; k++) {
      const f = 1_788_764_400_000;
      let dt = 0;
      let cum = 0;
      const h: Array<[number, number]> = Array.from({ length: Math.floor(random() * 48) }, () => [(dt += 1 + Math.floor(random() * 5_000)), (cum += Math.floor(random() * 300))]);
      const t = f - 1_000 + random() * (dt + 2_000);
      expect(client.ahead({ f, h }, t)).toBe(aheadOf({ f, h }, t));
      const a = Math.floor(random() * 50_000);
      const r = random() * 200;
      const sd = random() * 50;
      const p = k % 3 === 0 ? r : random() * 400;
      const band = waitBand(a, r, sd, 5_000, p);
      expect(client.band(a, r, sd, 5_000, p)).toEqual([band.lowSeconds, band.highSeconds]);
      if (k % 3 === 0) expect(client.band(a, r, sd, 5_000)).toEqual([band.lowSeconds, band.highSeconds]);
      for (const lang of ['fr', 'en'] as const) {
        expect(client.fa(a, lang === 'fr')).toBe(formatAhead(a, lang));
        expect(client.fw([band.lowSeconds, band.highSeconds], lang === 'fr')).toBe(formatWait(band, lang));
      }
    }
  });

  it("starts the range from the lane's potential pace, never moving its slow end", () => {
    const measured = waitBand(600, 10, 2, 3_000);
    const potential = waitBand(600, 10, 2, 3_000, 30);
    expect(potential.highSeconds).toBe(measured.highSeconds);
    expect(potential.lowSeconds).toBeLessThan(measured.lowSeconds / 2);
    expect(waitBand(600, 10, 2, 3_000, 5)).toEqual(measured); // a lower potential changes nothing
  });

  it('always shows a range, even for the next person in line', () => {
    expect(formatWait(waitBand(0, 20, 2, 3_000), 'fr')).toMatch(/^Attente estimée\u00a0: entre 0 et \d+ secondes$/);
  });
});
