/**
 * Line charts as inline SVG, with no library: one x axis in seconds, one or more series, phase
 * bands in the background, a few round ticks. Enough for a self-contained HTML report.
 */

export interface Series {
  name: string;
  color: string;
  values: ReadonlyArray<number | null>;
}

export interface Band {
  name: string;
  fromS: number;
  toS: number;
}

const W = 920;
const H = 220;
const M = { left: 56, right: 12, top: 14, bottom: 28 };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function niceMax(x: number): number {
  if (x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

const fmt = (x: number) => (x >= 10_000 ? `${Math.round(x / 1000)}k` : x >= 1000 ? `${(x / 1000).toFixed(1)}k` : String(Math.round(x * 100) / 100));

export function lineChart(title: string, unit: string, series: readonly Series[], bands: readonly Band[] = []): string {
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null))));
  const x = (i: number) => M.left + (i / Math.max(1, n - 1)) * (W - M.left - M.right);
  const y = (v: number) => H - M.bottom - (v / max) * (H - M.top - M.bottom);
  const parts: string[] = [`<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(title)}">`];
  bands.forEach((b, i) => {
    const x0 = x(Math.max(0, b.fromS));
    const x1 = x(Math.min(n - 1, b.toS));
    parts.push(`<rect x="${x0.toFixed(1)}" y="${M.top}" width="${Math.max(0, x1 - x0).toFixed(1)}" height="${H - M.top - M.bottom}" fill="${i % 2 ? '#eef3f8' : '#f5f0e6'}"/>`);
    parts.push(`<text x="${(x0 + 3).toFixed(1)}" y="${M.top + 10}" font-size="10" fill="#667">${esc(b.name)}</text>`);
  });
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${M.left - 6}" y="${(y(v) + 3).toFixed(1)}" font-size="10" text-anchor="end" fill="#555">${fmt(v)}</text>`);
  }
  const step = niceMax(n / 8);
  for (let s = 0; s < n; s += step) parts.push(`<text x="${x(s).toFixed(1)}" y="${H - 10}" font-size="10" text-anchor="middle" fill="#555">${s}s</text>`);
  for (const s of series) {
    let d = '';
    s.values.forEach((v, i) => {
      if (v === null) return;
      d += `${d === '' || s.values[i - 1] === null ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    });
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.6"/>`);
  }
  parts.push('</svg>');
  const legend = series.map((s) => `<span style="color:${s.color}">■</span> ${esc(s.name)}`).join(' &nbsp; ');
  return `<figure><figcaption><b>${esc(title)}</b> <span class="unit">(${esc(unit)})</span> — ${legend}</figcaption>${parts.join('')}</figure>`;
}
