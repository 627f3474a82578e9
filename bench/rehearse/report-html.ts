/**
 * The rehearsal's HTML report: self-contained (inline CSS and SVG, no script), with the plots of
 * the whole run (arrivals, admitted, waiting, throughput and goodput, latency percentiles, the
 * server's admission budget and busy time, errors by kind) over the phases, then the summary table
 * and the targets.
 */
import type { RoomObserver } from './observer.ts';
import { ERROR_KINDS, percentile, type Recorder } from './recorder.ts';
import type { RehearsalSummary } from './summary.ts';
import { lineChart, type Band } from './svg.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const COLORS = { a: '#2f6f62', b: '#c0392b', c: '#2563eb', d: '#b7791f', e: '#7c3aed' };

export function renderReport(s: RehearsalSummary, rec: Recorder, observer: RoomObserver): string {
  const seconds = rec.all();
  const bands: Band[] = rec.phases.map((p) => ({ name: p.name, fromS: p.startMs / 1000, toS: p.endMs / 1000 }));
  const pct = (p: number) => seconds.map((x) => percentile([...x.latencies].sort((a, b) => a - b), p));
  const serverWaiting = observer.waitingBySecond(rec.t0);
  const charts = [
    lineChart('Arrivals and people admitted', 'people per second', [
      { name: 'arrivals', color: COLORS.c, values: seconds.map((x) => x.arrivals) },
      { name: 'admitted (dashboard loaded)', color: COLORS.a, values: seconds.map((x) => x.admitted) },
    ], bands),
    lineChart('People waiting', 'people', [
      { name: 'waiting (simulated browsers)', color: COLORS.d, values: seconds.map((x) => x.waitingMax) },
      { name: 'waiting (room document)', color: COLORS.e, values: serverWaiting },
    ], bands),
    lineChart('Throughput', 'answers per second', [
      { name: 'all answers', color: COLORS.c, values: seconds.map((x) => x.answers) },
      { name: 'useful answers (goodput)', color: COLORS.a, values: seconds.map((x) => x.useful) },
    ], bands),
    lineChart('Latency of every request', 'ms', [
      { name: 'p50', color: COLORS.a, values: pct(50) },
      { name: 'p90', color: COLORS.d, values: pct(90) },
      { name: 'p99', color: COLORS.b, values: pct(99) },
    ], bands),
    lineChart('What the server said of itself (/metrics)', 'per second, and %', [
      { name: 'admission budget (entries per second)', color: COLORS.a, values: s.timeline.map((x) => x.budget) },
      { name: 'server busy (% of its core)', color: COLORS.b, values: s.timeline.map((x) => (x.busy === null ? null : Math.round(x.busy * 100))) },
      { name: 'load generator busy (%)', color: COLORS.e, values: s.timeline.map((x) => (x.client_busy === null ? null : Math.round(x.client_busy * 100))) },
    ], bands),
    lineChart('Errors by kind (honest waiting excluded)', 'per second', ERROR_KINDS.map((k, i) => ({ name: k, color: Object.values(COLORS)[i + 1] ?? '#000', values: seconds.map((x) => x.errors[k]) })), bands),
  ];
  const phaseRows = s.phases
    .map((p) => `<tr><td>${esc(p.name)}</td><td>${p.rate_per_s ?? '—'}</td><td>${p.arrivals}</td><td>${p.admitted}</td><td>${p.max_waiting}</td><td>${p.goodput_per_s}</td><td>${p.dashboard_ms.p50 ?? '—'} / ${p.dashboard_ms.p99 ?? '—'}</td><td>${p.errors.timeouts} / ${p.errors.server_5xx} / ${p.errors.connection} / ${p.errors.other_4xx}</td><td>${p.unfinished}</td></tr>`)
    .join('');
  const targets = s.targets.map((t) => `<tr class="${t.pass === null ? '' : t.pass ? 'pass' : 'miss'}"><td>${t.pass === null ? '—' : t.pass ? 'PASS' : 'MISS'}</td><td>${esc(t.what)}</td><td>${esc(t.target)}</td><td>${esc(t.value)}</td></tr>`).join('');
  const statuses = Object.entries(s.errors.by_status).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `<li><code>${esc(k)}</code> × ${v}</li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Préau — 9:00 rehearsal</title><style>
body{font:14px/1.45 system-ui,sans-serif;max-width:980px;margin:1.5rem auto;color:#1f2a2e;padding:0 1rem}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.6rem}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border-bottom:1px solid #ddd;padding:.25rem .4rem;text-align:left}tr.pass td:first-child{color:#2f6f62;font-weight:700}tr.miss td:first-child{color:#c0392b;font-weight:700}
figure{margin:.8rem 0}figcaption{font-size:13px;margin-bottom:.2rem}.unit{color:#667}.kpi{display:flex;gap:1.2rem;flex-wrap:wrap}.kpi div{background:#f4f6f5;border-radius:.5rem;padding:.5rem .8rem}.kpi b{display:block;font-size:1.3rem}</style></head><body>
<h1>Préau — the 9:00 rehearsal</h1>
<p>${esc(String(s.config['when']))} · ${esc(s.machine.cpu)}, ${s.machine.cores} cores, Node ${esc(s.machine.node)}, load average at start ${s.machine.load_average_1m} · ${esc(String(s.config['server']))} · ${String(s.config['pupils'])} pupils, time compressed ×${String(s.config['compress'])}</p>
<div class="kpi"><div><b>${s.arrivals}</b>arrivals</div><div><b>${s.admitted}</b>admitted</div><div><b>${s.max_waiting}</b>max waiting</div><div><b>${s.dashboard_ms.p50 ?? '—'} / ${s.dashboard_ms.p99 ?? '—'} ms</b>dashboard p50 / p99</div><div><b>${s.errors.total}</b>errors</div><div><b>${s.lost_writes.lost ?? '—'}</b>lost writes of ${s.lost_writes.checked}</div></div>
<h2>Targets</h2><table><tr><th></th><th>what</th><th>target</th><th>measured</th></tr>${targets}</table>
<h2>Over time</h2>${charts.join('')}
<h2>Phases</h2><table><tr><th>phase</th><th>rate /s</th><th>arrivals</th><th>admitted</th><th>max waiting</th><th>goodput /s</th><th>dashboard p50 / p99 ms</th><th>errors: timeouts / 5xx / connection / 4xx</th><th>unfinished</th></tr>${phaseRows}</table>
<h2>Errors in detail</h2><ul>${statuses || '<li>none</li>'}</ul>
<h2>Waiting room</h2><p>Honest wait: ${s.honest_wait.inside} of ${s.honest_wait.waits} waits inside the range shown (${s.honest_wait.early} shorter, ${s.honest_wait.late} longer). Order fidelity at 100 ms: ${s.order_fidelity.share === null ? '—' : (s.order_fidelity.share * 100).toFixed(2)} % of ${s.order_fidelity.pairs} pairs (as experienced by browsers: ${s.order_fidelity.as_experienced.share === null ? '—' : (s.order_fidelity.as_experienced.share * 100).toFixed(2)} %).</p>
<h2>Configuration</h2><pre>${esc(JSON.stringify(s.config, null, 2))}</pre>
</body></html>`;
}
