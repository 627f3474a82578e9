/**
 * The waiting page: server-rendered, well under 10 KB, no framework, French and English. Without
 * JavaScript it refreshes itself (meta refresh inside <noscript>, with the server's jittered
 * delay) and every refresh simply re-requests the original address, where the gate lets the
 * person in once the frontier has passed their ticket. With JavaScript it polls the cacheable
 * state document instead and updates a polite live region. In attack mode it runs the
 * proof-of-work worker with a progress bar. The inline script and style are constant, so a CSP
 * with their hashes allows them and nothing else.
 */
import { createHash } from 'node:crypto';
import type { WaitBand } from './room-state.ts';
import { PAGE_SCRIPT } from './waiting-page-client.ts';

/** Languages of the page. */
export type Lang = 'fr' | 'en';

/** What the page shows. */
export type WaitingPageModel =
  | {
      mode: 'wait';
      lang: Lang;
      ahead: number;
      band: WaitBand;
      lane: string;
      /** The ticket's place in line (positionOf): the page compares it with the frontier. */
      position: number;
      ticketExp: number;
      ticketTtlMs: number;
      pollMs: number;
      jitter: number;
      refreshSeconds: number;
      next: string;
    }
  | { mode: 'challenge'; lang: Lang; challenge: string; bits: number; issuedAt: number; next: string }
  | { mode: 'info'; lang: Lang; next: string };

/** Path of the public state document. */
export const STATE_PATH = '/file-attente/etat.json';
/** Path where proof-of-work solutions are redeemed. */
export const REDEEM_PATH = '/file-attente/jeton';

const STYLE = `body{margin:0;font:1.05rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f6f4ef;color:#1f2a2e}
main{max-width:34rem;margin:8vh auto;padding:2rem;background:#fff;border-radius:1rem;box-shadow:0 1px 4px #0002}
.logo{font-weight:700;font-size:1.4rem;color:#2f6f62;letter-spacing:.02em;margin:0 0 1.5rem}
.logo span{display:inline-block;width:.8em;height:.8em;margin-right:.4em;border-radius:.2em .2em 0 0;background:#2f6f62;vertical-align:-.05em}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem}.big{font-size:1.35rem;font-weight:600;margin:.5rem 0}
.calm{color:#4a5a5f;font-size:.95rem}progress{width:100%;height:1rem;accent-color:#2f6f62}a{color:#2f6f62}
@media (prefers-color-scheme:dark){body{background:#151b1d;color:#e8eceb}main{background:#1f2729}.calm{color:#a9b6b5}}`;

const sha256Base64 = (text: string): string => createHash('sha256').update(text).digest('base64');

/** The Content-Security-Policy of the page: exactly its own script and style, a blob worker, same-origin fetches. */
export const WAITING_PAGE_CSP = [
  "default-src 'none'",
  `script-src 'sha256-${sha256Base64(PAGE_SCRIPT)}'`,
  `style-src 'sha256-${sha256Base64(STYLE)}'`,
  "connect-src 'self'",
  'worker-src blob:',
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TEXT = {
  fr: {
    title: "File d'attente – Préau",
    waitHeading: "Vous êtes dans la file d'attente",
    waitIntro: "Beaucoup de monde se connecte en même temps. Votre place est gardée : inutile de recharger la page.",
    waitCalm: 'Cette page se met à jour toute seule et vous fera entrer dès que ce sera votre tour.',
    checkHeading: 'Vérification de votre navigateur',
    checkIntro: (time: string) => `Votre place dans la file est réservée depuis ${time}. Votre appareil fait un petit calcul de quelques secondes.`,
    progress: 'Calcul en cours',
    noscript: 'Cette vérification a besoin de JavaScript. Activez-le puis rechargez la page.',
    infoHeading: "Pas de file d'attente en ce moment",
    infoLink: 'Continuer vers Préau',
    busyHeading: 'Préau est très sollicité',
    busyText: (seconds: number) => `Cette page est momentanément suspendue pour garder l'essentiel rapide. Elle se recharge toute seule dans ${seconds} secondes.`,
    busyLink: 'Réessayer maintenant',
  },
  en: {
    title: 'Waiting room – Préau',
    waitHeading: 'You are in the waiting room',
    waitIntro: 'Many people are signing in at the same time. Your place is kept: there is no need to reload the page.',
    waitCalm: 'This page updates itself and will let you in as soon as it is your turn.',
    checkHeading: 'Checking your browser',
    checkIntro: (time: string) => `Your place in line has been reserved since ${time}. Your device is doing a short calculation of a few seconds.`,
    progress: 'Calculating',
    noscript: 'This check needs JavaScript. Please turn it on and reload the page.',
    infoHeading: 'There is no waiting line right now',
    infoLink: 'Continue to Préau',
    busyHeading: 'Préau is very busy',
    busyText: (seconds: number) => `This page is paused for a moment to keep the essentials fast. It reloads by itself in ${seconds} seconds.`,
    busyLink: 'Try again now',
  },
} as const;

/** Picks the page language: `?lang=` first, then Accept-Language (first of fr/en), French by default. */
export function pickLanguage(acceptLanguage: string | undefined, queryLang: string | undefined): Lang {
  if (queryLang === 'fr' || queryLang === 'en') return queryLang;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { base: tag.split('-')[0] ?? '', q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((x) => (x.base === 'fr' || x.base === 'en') && x.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.base === 'en' ? 'en' : 'fr';
}

const group = (n: number, lang: Lang): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'fr' ? '\u202f' : ',');

/** « N personnes devant vous » / "N people ahead of you". */
export function formatAhead(n: number, lang: Lang): string {
  const fr = lang === 'fr';
  if (n <= 0) return fr ? 'Personne devant vous' : 'Nobody ahead of you';
  if (n === 1) return fr ? '1 personne devant vous' : '1 person ahead of you';
  return group(n, lang) + (fr ? ' personnes devant vous' : ' people ahead of you');
}

/** « Attente estimée : entre X et Y minutes » (seconds below 90 s); always a range. */
export function formatWait(band: WaitBand, lang: Lang): string {
  let lo = band.lowSeconds;
  let hi = band.highSeconds;
  let unit: string;
  if (hi <= 90) {
    lo = Math.floor(lo / 5) * 5;
    hi = Math.max(lo + 5, Math.ceil(hi / 5) * 5);
    unit = lang === 'fr' ? 'secondes' : 'seconds';
  } else {
    lo = Math.floor(lo / 60);
    hi = Math.max(lo + 1, Math.ceil(hi / 60));
    unit = 'minutes';
  }
  return lang === 'fr'
    ? `Attente estimée\u00a0: entre ${group(lo, lang)} et ${group(hi, lang)} ${unit}`
    : `Estimated wait: between ${group(lo, lang)} and ${group(hi, lang)} ${unit}`;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function shell(lang: Lang, head: string, body: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${TEXT[lang].title}</title>${head}<style>${STYLE}</style></head><body>${body}</body></html>`;
}

const LOGO = '<p class="logo"><span aria-hidden="true"></span>Préau</p>';

function renderWait(m: Extract<WaitingPageModel, { mode: 'wait' }>): string {
  const t = TEXT[m.lang];
  const data = `data-t="${m.position}" data-l="${escapeHtml(m.lane)}" data-p="${m.pollMs}" data-j="${m.jitter}" data-x="${m.ticketExp}" data-h="${m.ticketTtlMs}" data-n="${escapeHtml(m.next)}" data-s="${STATE_PATH}"`;
  const body = `<main id="w" ${data}>${LOGO}<h1>${t.waitHeading}</h1><p>${t.waitIntro}</p><div aria-live="polite" aria-atomic="true"><p class="big" id="ah">${formatAhead(m.ahead, m.lang)}</p><p id="wt">${formatWait(m.band, m.lang)}</p></div><p class="calm">${t.waitCalm}</p></main><script>${PAGE_SCRIPT}</script>`;
  return shell(m.lang, `<noscript><meta http-equiv="refresh" content="${Math.max(1, Math.round(m.refreshSeconds))}"></noscript>`, body);
}

function renderChallenge(m: Extract<WaitingPageModel, { mode: 'challenge' }>): string {
  const t = TEXT[m.lang];
  const time = new Date(m.issuedAt).toLocaleTimeString(m.lang === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'Europe/Paris' });
  const data = `data-c="${escapeHtml(m.challenge)}" data-b="${m.bits}" data-r="${REDEEM_PATH}" data-n="${escapeHtml(m.next)}" data-p="3000" data-j="0.3" data-s="${STATE_PATH}"`;
  const body = `<main id="w" ${data}>${LOGO}<h1>${t.checkHeading}</h1><p>${t.checkIntro(time)}</p><label for="pg">${t.progress}</label><progress id="pg" max="1" value="0"></progress><noscript><p>${t.noscript}</p></noscript></main><script>${PAGE_SCRIPT}</script>`;
  return shell(m.lang, '', body);
}

/** Renders the page for a model. */
export function renderWaitingPage(model: WaitingPageModel): string {
  if (model.mode === 'wait') return renderWait(model);
  if (model.mode === 'challenge') return renderChallenge(model);
  const t = TEXT[model.lang];
  return shell(model.lang, '', `<main>${LOGO}<h1>${t.infoHeading}</h1><p><a href="${escapeHtml(model.next)}">${t.infoLink}</a></p></main>`);
}

/** The page shown instead of a shed page: it reloads itself after the server's Retry-After. */
export function renderBusyPage(lang: Lang, retryAfterSeconds: number, next: string): string {
  const t = TEXT[lang];
  const seconds = Math.max(1, Math.round(retryAfterSeconds));
  return shell(
    lang,
    `<meta http-equiv="refresh" content="${seconds}">`,
    `<main>${LOGO}<h1>${t.busyHeading}</h1><p>${t.busyText(seconds)}</p><p><a href="${escapeHtml(next)}">${t.busyLink}</a></p></main>`,
  );
}

/** A same-origin destination: a path starting with one slash, else `/`. */
export function safeNext(raw: string | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\') || /[\u0000-\u001f]/.test(raw)) return '/';
  return raw;
}
