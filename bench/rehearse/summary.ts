/**
 * The rehearsal's JSON summary (what `npm run rehearse -- --json` prints) and its targets.
 */
import type { Machine } from '../lib/machine.ts';
import type { WaitRecord } from './context.ts';
import { honestWait, orderFidelity, type HonestWait, type OrderFidelity } from './fidelity.ts';
import type { LostWrites } from './lost-writes.ts';
import type { RoomObserver } from './observer.ts';
import { errorCount, type Calibration, type PhaseFigures } from './phases.ts';
import { percentile, totals, type Recorder } from './recorder.ts';

export interface Target {
  what: string;
  target: string;
  value: string;
  pass: boolean | null;
}

export interface RehearsalSummary {
  arrivals: number;
  admitted: number;
  max_waiting: number;
  errors: { timeouts: number; server_5xx: number; connection: number; other_4xx: number; total: number; by_status: Record<string, number> };
  gave_up: number;
  lost_writes: (LostWrites & { note?: string }) | { checked: 0; lost: null; note: string };
  dashboard_ms: { p50: number | null; p99: number | null; count: number };
  honest_wait: HonestWait & { target: number };
  order_fidelity: OrderFidelity & { resolution_ms: number; target: number; as_experienced: OrderFidelity; note: string };
  goodput: {
    peak_per_s: number | null;
    capacity_arrivals_per_s: number | null;
    by_factor: Record<string, { arrival_rate_per_s: number; goodput_per_s: number; goodput_window_per_s: number; overloaded_s: number; ratio_to_peak: number | null; errors: number; dashboard_p99_ms: number | null; arrivals: number; admitted: number; max_waiting: number; unfinished: number }>;
  };
  phases: PhaseFigures[];
  /**
   * Second by second: what the simulated people saw (arrivals, dashboards loaded, waiting, answers,
   * useful answers, latency p50/p99 in ms) and what the server said of itself (admission budget per
   * second, busy time 0–1; null where /metrics was not read).
   */
  timeline: Array<{ s: number; arrivals: number; admitted: number; waiting: number; answers: number; useful: number; p50: number | null; p99: number | null; budget: number | null; busy: number | null; client_busy: number | null }>;
  /** Seconds in which the rehearsal itself was the bottleneck (its event loop ≥ 95 % busy): their latencies measure it too. */
  load_generator: { saturated_seconds: number; busy_max: number | null; note: string };
  targets: Target[];
  machine: Machine;
  config: Record<string, unknown>;
  report_html: string | null;
}

export interface SummaryInputs {
  rec: Recorder;
  waits: WaitRecord[];
  observer: RoomObserver;
  phases: PhaseFigures[];
  calibration: Calibration | null;
  overload: PhaseFigures[];
  factors: number[];
  lostWrites: RehearsalSummary['lost_writes'];
  gaveUp: number;
  machine: Machine;
  config: Record<string, unknown>;
}

export function summarize(x: SummaryInputs): RehearsalSummary {
  const all = totals(x.rec.window());
  const e = all.errors;
  const waited = x.waits.filter((w) => w.waited && w.shown);
  const honest = honestWait(waited.map((w) => ({ lowS: w.shown!.lowS, highS: w.shown!.highS, waitedS: (w.admittedMs - w.firstSeenMs) / 1000 })));
  // Server-side admission: when the frontier passed the ticket (seen by the observer), else the entry.
  const admittedAt = (w: WaitRecord) => (w.position === null ? w.admittedMs : Math.min(w.admittedMs, x.observer.eligibleAt(w.lane, w.position, w.arrivalMs) ?? w.admittedMs));
  const order = orderFidelity(x.waits.map((w) => ({ lane: w.lane, arrivalMs: w.arrivalMs, admittedMs: admittedAt(w) })));
  const experienced = orderFidelity(x.waits.map((w) => ({ lane: w.lane, arrivalMs: w.arrivalMs, admittedMs: w.admittedMs })));
  const peak = x.calibration?.peak_goodput_per_s ?? null;
  const byFactor: RehearsalSummary['goodput']['by_factor'] = {};
  x.overload.forEach((f, i) => {
    byFactor[String(x.factors[i])] = {
      arrival_rate_per_s: f.rate_per_s ?? 0,
      goodput_per_s: f.goodput_per_s,
      goodput_window_per_s: f.goodput_window_per_s,
      overloaded_s: f.overloaded_s,
      ratio_to_peak: peak ? Math.round((f.goodput_per_s / peak) * 1000) / 1000 : null,
      errors: errorCount(f),
      dashboard_p99_ms: f.dashboard_ms.p99,
      arrivals: f.arrivals,
      admitted: f.admitted,
      max_waiting: f.max_waiting,
      unfinished: f.unfinished,
    };
  });
  const summary: RehearsalSummary = {
    arrivals: all.arrivals,
    admitted: all.admitted,
    max_waiting: Math.max(all.maxWaiting, ...x.observer.waitingBySecond(x.rec.t0)),
    errors: { timeouts: e.timeout, server_5xx: e.server_5xx, connection: e.connection, other_4xx: e.other_4xx, total: e.timeout + e.server_5xx + e.connection + e.other_4xx, by_status: Object.fromEntries(x.rec.errorStatuses) },
    gave_up: x.gaveUp,
    lost_writes: x.lostWrites,
    dashboard_ms: { p50: rnd(percentile(all.dashboards, 50)), p99: rnd(percentile(all.dashboards, 99)), count: all.dashboards.length },
    honest_wait: { ...honest, target: 0.8 },
    order_fidelity: {
      ...order,
      resolution_ms: 100,
      target: 0.999,
      as_experienced: experienced,
      note: 'admission = when the frontier passed the ticket (room document polled every 250 ms); as_experienced = when the browser came back in (its own polling adds seconds)',
    },
    goodput: { peak_per_s: peak, capacity_arrivals_per_s: x.calibration?.capacity_arrivals_per_s ?? null, by_factor: byFactor },
    phases: x.phases,
    timeline: timelineOf(x.rec, x.observer),
    load_generator: loadGeneratorOf(x.rec),
    targets: [],
    machine: x.machine,
    config: x.config,
    report_html: null,
  };
  summary.targets = targetsOf(summary, x.factors);
  return summary;
}

const rnd = (v: number | null) => (v === null ? null : Math.round(v));

function loadGeneratorOf(rec: Recorder): RehearsalSummary['load_generator'] {
  const busy = rec.all().flatMap((s) => (s.clientBusy === null ? [] : [s.clientBusy]));
  return {
    saturated_seconds: busy.filter((b) => b >= 0.95).length,
    busy_max: busy.length ? Math.max(...busy) : null,
    note: 'the simulated browsers run on one core (pinned to core 1 when taskset exists); in a saturated second, latencies include the generator’s own delay',
  };
}

function timelineOf(rec: Recorder, observer: RoomObserver): RehearsalSummary['timeline'] {
  const server = new Map<number, { budget: number; busy: number }>();
  for (const s of observer.server) server.set(Math.floor((s.atMs - rec.t0) / 1000), { budget: Math.round(s.budget * 10) / 10, busy: Math.round(s.busy * 100) / 100 });
  return rec.all().map((sec, i) => {
    const sorted = [...sec.latencies].sort((a, b) => a - b);
    return {
      s: i,
      arrivals: sec.arrivals,
      admitted: sec.admitted,
      waiting: sec.waitingMax,
      answers: sec.answers,
      useful: sec.useful,
      p50: rnd(percentile(sorted, 50)),
      p99: rnd(percentile(sorted, 99)),
      budget: server.get(i)?.budget ?? null,
      busy: server.get(i)?.busy ?? null,
      client_busy: sec.clientBusy,
    };
  });
}

function targetsOf(s: RehearsalSummary, factors: number[]): Target[] {
  const out: Target[] = [];
  out.push({ what: 'errors other than honest waiting (whole run)', target: '0', value: String(s.errors.total), pass: s.errors.total === 0 });
  out.push({ what: 'p99 of admitted dashboard loads (whole run)', target: '< 1000 ms', value: `${s.dashboard_ms.p99 ?? '—'} ms`, pass: s.dashboard_ms.p99 !== null && s.dashboard_ms.p99 < 1000 });
  out.push({ what: 'lost writes', target: '0', value: s.lost_writes.lost === null ? 'not checked' : `${s.lost_writes.lost} of ${s.lost_writes.checked}`, pass: s.lost_writes.lost === null ? null : s.lost_writes.lost === 0 });
  const h = s.honest_wait;
  out.push({ what: 'honest wait (waits inside the range shown)', target: '≥ 80 %', value: h.share === null ? 'nobody waited' : `${(h.share * 100).toFixed(1)} % of ${h.waits}`, pass: h.share === null ? null : h.share >= 0.8 });
  const o = s.order_fidelity;
  out.push({ what: 'order fidelity (100 ms)', target: '≥ 99.9 %', value: o.share === null ? 'no pairs' : `${(o.share * 100).toFixed(2)} % of ${o.pairs} pairs`, pass: o.share === null ? null : o.share >= 0.999 });
  const top = factors.length > 0 ? s.goodput.by_factor[String(Math.max(...factors))] : undefined;
  if (top) {
    const k = Math.max(...factors);
    out.push({ what: `errors at ${k}× (other than honest waiting)`, target: '0', value: String(top.errors), pass: top.errors === 0 });
    out.push({ what: `p99 of admitted dashboard loads at ${k}×`, target: '< 1000 ms', value: `${top.dashboard_p99_ms ?? '—'} ms`, pass: top.dashboard_p99_ms !== null && top.dashboard_p99_ms < 1000 });
    out.push({ what: `goodput at ${k}× ÷ peak`, target: '≥ 0.90', value: top.ratio_to_peak === null ? '—' : top.ratio_to_peak.toFixed(3), pass: top.ratio_to_peak !== null && top.ratio_to_peak >= 0.9 });
  }
  return out;
}
