/**
 * `npm run rehearse [-- --json] [--pupils N] [--compress K] [--overload 2,5,10] [--url URL]
 *                   [--database-url URL | --pg [URL]] [--png] [--profile DIR]`
 *
 * Starts Préau (or targets --url), provisions a school through the real import and activation
 * API, replays the morning with open-loop arrivals, optionally calibrates capacity and surges to
 * k × capacity, checks every acknowledged write in the database, and writes an HTML report and a
 * JSON summary under bench/results/. `--json` prints the summary alone on stdout.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pinSelf } from '../lib/affinity.ts';
import { createAgent } from '../lib/http.ts';
import { machine } from '../lib/machine.ts';
import { createScratchDatabase, type ScratchDatabase } from '../lib/pg-scratch.ts';
import { ROOT, startPreau, type PreauServer } from '../lib/preau-server.ts';
import { newWrites, type Context, type Person } from './context.ts';
import { DEFAULT_CURVE, morningArrivals } from './curve.ts';
import { checkWrites } from './lost-writes.ts';
import { RoomObserver } from './observer.ts';
import { readOptions } from './options.ts';
import { calibrate, poolPicker, runPhase, type Calibration, type PhaseFigures } from './phases.ts';
import { Progress } from './progress.ts';
import { provision } from './provision.ts';
import { Recorder } from './recorder.ts';
import { renderReport } from './report-html.ts';
import { renderPng } from './screenshot.ts';
import { summarize, type RehearsalSummary } from './summary.ts';
import { constantRateArrivals } from './curve.ts';

const o = readOptions(process.argv.slice(2));
const say = (line: string) => process.stderr.write(`${line}\n`);
const startedMachine = machine();
pinSelf(1);

let scratch: ScratchDatabase | null = null;
let server: PreauServer | null = null;
if (!o.url && o.pg) scratch = await createScratchDatabase(o.pg);
if (!o.url) {
  server = await startPreau({ core: 0, trustProxy: true, databaseUrl: scratch?.url ?? null, cpuProfDir: o.profileDir, keepDataDir: true });
  say(`rehearse: Préau started at ${server.url} (pid ${server.pid}, ${scratch ? 'scratch PostgreSQL' : `PGlite in ${server.dataDir}`}, TRUST_PROXY=true: each simulated person speaks from an address of 198.18.0.0/15 in X-Forwarded-For)`);
} else {
  say(`rehearse: targeting ${o.url} (it must run with TRUST_PROXY=true and the demo school)`);
}
const base = o.url ?? server!.url;
const agent = createAgent(4096);
let rec = new Recorder();
const writes = newWrites();
const pollMs = Math.max(2_000, 60_000 / o.compress);
const baseOptions = { timeoutMs: o.timeoutMs, pollMs, stayPolls: o.stayPolls, patienceMs: o.patienceS * 1000, openDocument: 0.3, handIn: 0.1, sendMessage: 0.05 };

try {
  const prov = await provision(agent, base, o.pupils, writes, say);
  say(`rehearse: provisioned in ${prov.seconds.toFixed(0)} s; features: ${JSON.stringify(prov.features)}`);
  rec = new Recorder(); // the report's clock starts with the morning
  const halted = { value: false };
  const ctx: Context = { agent, base, rec, features: prov.features, writes, waits: [], options: { ...baseOptions, sendMessage: prov.features.sendMessage ? baseOptions.sendMessage : 0 }, gaveUp: { count: 0 }, halted };
  const observer = new RoomObserver(agent, base);
  observer.start();
  ctx.serverDuring = (from, to) => observer.serverDuring(from, to);
  const progress = new Progress(rec);
  progress.start();

  // The morning: activated pupils and teachers, a third of the activated parents, and the pupils who activate today.
  const remembered = prov.people.filter((p) => p.remembered);
  const morning: Array<{ person: Person; kind: 'resume' | 'password' | 'activate' }> = [];
  prov.people.forEach((p, i) => {
    if (!p.remembered && p.activationCode && p.role === 'pupil') morning.push({ person: p, kind: 'activate' });
    else if (p.remembered && (p.role !== 'parent' || i % 3 === 0)) morning.push({ person: p, kind: Math.random() < o.passwordShare ? 'password' : 'resume' });
  });
  morning.sort(() => Math.random() - 0.5);
  const offsets = morningArrivals(morning.length, DEFAULT_CURVE, o.compress, o.seed);
  const windowS = (DEFAULT_CURVE.windowMinutes * 60) / o.compress;
  progress.phase = 'morning';
  const phases: PhaseFigures[] = [await runPhase(ctx, 'morning', offsets, (i) => morning[i]!, windowS, 60 + pollMs * o.stayPolls / 1000, null)];

  let calibration: Calibration | null = null;
  const overload: PhaseFigures[] = [];
  if (o.overload.length > 0) {
    const surgeCtx: Context = { ...ctx, options: { ...ctx.options, stayPolls: 1 } };
    // Up to 14 steps of ×1.5 (4/s → ~1 000/s): the calibration ends at the first unhealthy step, not
    // before, or the "10×" surges would only be a few times what the machine serves.
    calibration = await calibrate(surgeCtx, poolPicker(remembered, o.passwordShare, 1), o.calibrationStartRate, 8, 14, (s) => (progress.phase = s));
    phases.push(...calibration.steps);
    say(`\nrehearse: capacity ≈ ${calibration.capacity_arrivals_per_s.toFixed(1)} arrivals/s, peak goodput ${calibration.peak_goodput_per_s} useful answers/s`);
    for (const k of o.overload) {
      const rate = k * calibration.capacity_arrivals_per_s;
      progress.phase = `overload ${k}×`;
      const f = await runPhase(surgeCtx, `overload ${k}×`, constantRateArrivals(rate, o.surgeS, 200 + k), poolPicker(remembered, o.passwordShare, 1000 * k), o.surgeS, Math.min(o.patienceS, 60 + o.surgeS * k * 1.5), Math.round(rate * 10) / 10);
      overload.push(f);
      phases.push(f);
    }
  }
  progress.stop();
  observer.stop();
  halted.value = true;

  let lostWrites: RehearsalSummary['lost_writes'] = { checked: 0, lost: null, note: 'not checked: give --database-url for a running server on PostgreSQL' };
  if (server) {
    await server.stop();
    lostWrites = await checkWrites(writes, scratch ? { databaseUrl: scratch.url } : { dataDir: server.dataDir });
  } else if (o.databaseUrl) {
    lostWrites = await checkWrites(writes, { databaseUrl: o.databaseUrl });
  }
  const config = { when: new Date().toISOString(), server: o.url ?? (scratch ? 'Préau child on scratch PostgreSQL' : 'Préau child on PGlite'), pupils: o.pupils, people: prov.people.length, morning_arrivals: morning.length, compress: o.compress, curve: DEFAULT_CURVE, password_share: o.passwordShare, browser_poll_ms: pollMs, stay_polls: o.stayPolls, overload: o.overload, surge_s: o.surgeS, features: prov.features, provisioning_s: Math.round(prov.seconds) };
  const summary = summarize({ rec, waits: ctx.waits, observer, phases, calibration, overload, factors: o.overload, lostWrites, gaveUp: ctx.gaveUp.count, machine: startedMachine, config });
  const dir = path.join(ROOT, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const stem = o.out ?? path.join(dir, `rehearsal-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  summary.report_html = `${stem}.html`;
  await writeFile(`${stem}.html`, renderReport(summary, rec, observer));
  await writeFile(`${stem}.json`, `${JSON.stringify(summary, null, 2)}\n`);
  if (o.png) await renderPng(`${stem}.html`, `${stem}.png`);
  if (o.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    const lines = summary.targets.map((t) => `  ${t.pass === null ? '  — ' : t.pass ? 'PASS' : 'MISS'}  ${t.what.padEnd(48)} ${t.target.padEnd(10)} ${t.value}`);
    process.stdout.write(`\nrehearsal: ${summary.arrivals} arrivals, ${summary.admitted} admitted, max ${summary.max_waiting} waiting, dashboard p50/p99 ${summary.dashboard_ms.p50}/${summary.dashboard_ms.p99} ms, errors ${JSON.stringify(summary.errors)}\n${lines.join('\n')}\nreport: ${stem}.html (and .json${o.png ? ', .png' : ''})\n`);
  }
} finally {
  await agent.close();
  if (server) {
    await server.stop();
    await server.cleanup();
  }
  if (scratch) await scratch.drop();
}
