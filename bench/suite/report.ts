/**
 * The benchmark's two outputs: one JSON object with stable fields (compared across commits), and a
 * table for people with the targets of issues 4 and 5 marked PASS or MISS.
 */
import type { RealtimeFigures } from './realtime.ts';
import type { LoadResult, LoadTool } from '../lib/load.ts';
import { round } from '../lib/load.ts';
import type { Machine } from '../lib/machine.ts';
import type { DashboardQueries } from './db-queries.ts';
import type { GateFigures } from './gate-child.ts';
import { RESULT_NAMES, type Scenario } from './scenarios.ts';

export interface LineOutcome {
  scenario: Scenario;
  result: LoadResult | null;
}

export interface ResultFigures {
  rps: number | null;
  p50_ms: number | null;
  p99_ms: number | null;
  ratio: number | null;
  available: boolean;
  non2xx?: number;
  errors?: number;
  generator_cpu?: number | null;
  statuses?: Record<string, number>;
  note?: string;
  /** dashboard only: SQL queries per load with the class cache warm (issue 6), and over a first pass. */
  db_queries_per_load?: number;
  db_queries_first_pass?: number;
}

export interface BenchReport {
  baseline: { rps: number; p50_ms: number; p99_ms: number; runs: [number, number]; drift: number };
  results: Record<string, ResultFigures>;
  gate: { p99_us: number; decisions_per_s: number; kinds: Record<string, { p50_us: number; p99_us: number; decisions_per_s: number }> };
  memory: {
    bytes_per_waiting_person: number;
    /** Over N idle /api/live streams, after a full GC: the larger of the heap and the RSS growth, ÷ N (null when none opened). */
    bytes_per_realtime_connection: number | null;
    realtime: {
      connections: number;
      failed: number;
      heap_bytes_per_connection: number | null;
      rss_bytes_per_connection: number | null;
      rss_mb: [number, number] | null;
    };
    rss_bytes_per_waiting_person: number;
    tickets: number;
    heap_mb: [number, number];
    rss_mb: [number, number];
    server_rss_mb: { idle: number | null; after_load: number | null };
  };
  machine: Machine & { tool: LoadTool; connections: number; duration_s: number; rounds: number; database: string };
  targets: Array<{ what: string; target: string; value: string; pass: boolean }>;
}

interface Inputs {
  machine: Machine;
  tool: LoadTool;
  connections: number;
  durationS: number;
  rounds: number;
  database: string;
  baselineBefore: LoadResult;
  baselineAfter: LoadResult;
  lines: LineOutcome[];
  gate: GateFigures;
  serverRss: { idle: number | null; loaded: number | null };
  realtime: RealtimeFigures;
  dbQueries?: DashboardQueries | null;
}

const mb = (bytes: number | null) => (bytes === null ? null : round(bytes / 2 ** 20, 1));

export function buildReport(x: Inputs): BenchReport {
  const baselineRps = (x.baselineBefore.rps + x.baselineAfter.rps) / 2;
  const results: Record<string, ResultFigures> = {};
  for (const { scenario, result } of x.lines) {
    results[scenario.name] = result
      ? { rps: result.rps, p50_ms: result.p50_ms, p99_ms: result.p99_ms, ratio: round(result.rps / baselineRps, 3), available: true, non2xx: result.non2xx, errors: result.errors, generator_cpu: result.generator_cpu, statuses: result.statuses }
      : { rps: null, p50_ms: null, p99_ms: null, ratio: null, available: false, note: `not available: ${scenario.unavailable ?? ''}` };
  }
  for (const name of RESULT_NAMES) results[name] ??= { rps: null, p50_ms: null, p99_ms: null, ratio: null, available: false };
  if (x.dbQueries) Object.assign(results['dashboard']!, { db_queries_per_load: x.dbQueries.perLoadWarmClass, db_queries_first_pass: x.dbQueries.perLoadFirstPass });
  const g = x.gate;
  const kinds = {
    valid_pass: g.validPass,
    waiting_ticket: g.validTicketNotAdmitted,
    newcomer_mint: g.mintWhenFull,
  };
  const kindFigures = Object.fromEntries(Object.entries(kinds).map(([k, t]) => [k, { p50_us: t.p50Us, p99_us: t.p99Us, decisions_per_s: t.decisionsPerSecond }]));
  const m = g.memory;
  const report: BenchReport = {
    baseline: {
      rps: round(baselineRps),
      p50_ms: x.baselineBefore.p50_ms,
      p99_ms: x.baselineBefore.p99_ms,
      runs: [x.baselineBefore.rps, x.baselineAfter.rps],
      drift: round(x.baselineAfter.rps / x.baselineBefore.rps - 1, 3),
    },
    results,
    gate: {
      p99_us: Math.max(...Object.values(kinds).map((t) => t.p99Us)),
      decisions_per_s: Math.min(...Object.values(kinds).map((t) => t.decisionsPerSecond)),
      kinds: kindFigures,
    },
    memory: {
      bytes_per_waiting_person: Math.max(0, round(m.heapBytesPerTicket, 2)),
      bytes_per_realtime_connection: x.realtime.bytesPerConnection,
      realtime: {
        connections: x.realtime.connections,
        failed: x.realtime.failed,
        heap_bytes_per_connection: x.realtime.heapBytesPerConnection,
        rss_bytes_per_connection: x.realtime.rssBytesPerConnection,
        rss_mb: x.realtime.rssMb,
      },
      rss_bytes_per_waiting_person: Math.max(0, round((m.deltaMb * 2 ** 20) / m.tickets, 2)),
      tickets: m.tickets,
      heap_mb: [m.heapBeforeMb, m.heapAfterMb],
      rss_mb: [m.rssBeforeMb, m.rssAfterMb],
      server_rss_mb: { idle: mb(x.serverRss.idle), after_load: mb(x.serverRss.loaded) },
    },
    machine: { ...x.machine, tool: x.tool, connections: x.connections, duration_s: x.durationS, rounds: x.rounds, database: x.database },
    targets: [],
  };
  report.targets = targetsOf(report);
  return report;
}

function targetsOf(r: BenchReport) {
  const out: BenchReport['targets'] = [];
  const ratioTarget = (name: string, min: number) => {
    const ratio = r.results[name]?.ratio ?? null;
    out.push({ what: `${name} ÷ baseline`, target: `≥ ${min}`, value: ratio === null ? 'n/a' : ratio.toFixed(3), pass: ratio !== null && ratio >= min });
  };
  ratioTarget('dashboard', 0.5);
  ratioTarget('waiting_room_refresh', 0.8);
  out.push({ what: 'gate p99', target: '≤ 50 µs', value: `${r.gate.p99_us} µs`, pass: r.gate.p99_us <= 50 });
  out.push({ what: 'gate decisions on one core', target: '≥ 50 000 /s', value: `${r.gate.decisions_per_s.toLocaleString('en-US')} /s`, pass: r.gate.decisions_per_s >= 50_000 });
  const perPerson = r.memory.bytes_per_waiting_person;
  out.push({ what: 'memory per waiting person (live heap)', target: '0 B (flat over the tickets)', value: `${perPerson} B`, pass: perPerson < 1 });
  // 100 000 idle live-update streams per GiB: 2^30 / 100 000 = 10 737 B each.
  const perStream = r.memory.bytes_per_realtime_connection;
  out.push({ what: 'memory per real-time connection', target: '≤ 10 737 B (100 000 / GiB)', value: perStream === null ? 'n/a' : `${perStream} B`, pass: perStream !== null && perStream <= 10_737 });
  return out;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
const fmt = (x: number | null, digits = 0) => (x === null ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

export function printHuman(r: BenchReport, lines: LineOutcome[]): void {
  const m = r.machine;
  const out: string[] = [];
  out.push(`Préau benchmark — ${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.database}; ${m.pinned ? 'server on core 0, load generator on core 1' : 'no CPU pinning'}`);
  out.push(`${m.tool}, ${m.connections} connections, ${m.duration_s} s per line, median of ${m.rounds}; load average at start ${m.load_average_1m}`);
  out.push('');
  out.push(`${pad('line', 52)}${lpad('req/s', 10)}${lpad('p50 ms', 9)}${lpad('p99 ms', 9)}${lpad('× base', 8)}   target`);
  out.push(`${pad('baseline: hello-world Fastify (mean of 2 runs)', 52)}${lpad(fmt(r.baseline.rps), 10)}${lpad(fmt(r.baseline.p50_ms, 1), 9)}${lpad(fmt(r.baseline.p99_ms, 1), 9)}${lpad('1.000', 8)}`);
  for (const { scenario } of lines) {
    const f = r.results[scenario.name]!;
    if (!f.available) {
      out.push(`${pad(scenario.label, 52)}${lpad('not available', 36)}   (${f.note ?? ''})`);
      continue;
    }
    const verdict = scenario.target === null ? '' : `≥ ${scenario.target}  ${f.ratio !== null && f.ratio >= scenario.target ? 'PASS' : 'MISS'}`;
    const codes = Object.entries(f.statuses ?? {}).filter(([c]) => !c.startsWith('2') && !c.startsWith('3')).map(([c, n]) => `${n}×${c}`).join(' ');
    const warn = (f.non2xx ?? 0) > 0 || (f.errors ?? 0) > 0 ? `  (${f.non2xx ?? 0} non-2xx${codes ? `: ${codes}` : ''}, ${f.errors ?? 0} errors)` : '';
    const gen = (f.generator_cpu ?? 0) > 0.9 ? '  [generator-bound]' : '';
    out.push(`${pad(scenario.label, 52)}${lpad(fmt(f.rps), 10)}${lpad(fmt(f.p50_ms, 1), 9)}${lpad(fmt(f.p99_ms, 1), 9)}${lpad(fmt(f.ratio, 3), 8)}   ${verdict}${warn}${gen}`);
  }
  const dq = r.results['dashboard'];
  if (dq?.db_queries_per_load !== undefined) out.push(`database queries per dashboard load: ${dq.db_queries_per_load} with the class cache warm (first pass: ${dq.db_queries_first_pass ?? '—'})`);
  out.push(`baseline drift between first and last run: ${(r.baseline.drift * 100).toFixed(1)} % (${r.baseline.runs.map((x) => fmt(x)).join(' → ')} req/s)`);
  out.push('');
  out.push(`gate decision (worst of pass / waiting ticket / mint): p99 ${r.gate.p99_us} µs, ${fmt(r.gate.decisions_per_s)} decisions/s on one core`);
  out.push(`memory per waiting person: ${r.memory.bytes_per_waiting_person} B of live heap, ${r.memory.rss_bytes_per_waiting_person} B of RSS over ${fmt(r.memory.tickets)} tickets (heap ${r.memory.heap_mb.join(' → ')} MB, RSS ${r.memory.rss_mb.join(' → ')} MB)`);
  const rt = r.memory.realtime;
  out.push(
    `memory per real-time connection: ${r.memory.bytes_per_realtime_connection ?? '—'} B (live heap ${rt.heap_bytes_per_connection ?? '—'} B, RSS ${rt.rss_bytes_per_connection ?? '—'} B, after a full GC) over ${fmt(rt.connections)} idle streams${rt.failed > 0 ? ` (${rt.failed} refused)` : ''} (RSS ${rt.rss_mb?.join(' → ') ?? '—'} MB)`,
  );
  out.push(`Préau server RSS: ${fmt(r.memory.server_rss_mb.idle, 1)} MB idle, ${fmt(r.memory.server_rss_mb.after_load, 1)} MB after the lines`);
  out.push('');
  out.push('targets:');
  for (const t of r.targets) out.push(`  ${t.pass ? 'PASS' : 'MISS'}  ${pad(t.what, 40)} ${pad(t.target, 28)} ${t.value}`);
  process.stdout.write(`${out.join('\n')}\n`);
}
