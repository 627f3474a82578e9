/**
 * `npm run bench [-- --json] [--quick] [--duration S] [--connections N] [--tool autocannon|wrk]
 *                [--pg [URL]] [--profile DIR] [--only LINE,LINE] [--rounds N] [--doc-kb KB]`
 *
 * Starts a minimal Fastify server (the machine's baseline) and Préau itself (fresh DATA_DIR with
 * the demo school, or a scratch PostgreSQL database with --pg), both pinned to core 0, pins this
 * process (the load generator) to core 1, and measures each line of bench/README.md with
 * autocannon (or wrk when installed). Then runs bench/gate.ts for the gate and the memory per
 * waiting person. `--json` prints one JSON object on stdout; progress goes to stderr.
 */
import { hasProgram, pinSelf } from './lib/affinity.ts';
import { boolFlag, numberFlag, parseFlags, stringFlag } from './lib/args.ts';
import { createAgent } from './lib/http.ts';
import { runLoad, type LoadResult, type LoadTool } from './lib/load.ts';
import { machine } from './lib/machine.ts';
import { createScratchDatabase, DEFAULT_PG_URL, type ScratchDatabase } from './lib/pg-scratch.ts';
import { startPreau } from './lib/preau-server.ts';
import { measureDashboardQueries } from './suite/db-queries.ts';
import { runGateBench } from './suite/gate-child.ts';
import { startHello } from './suite/hello.ts';
import { provisionBench } from './suite/provision.ts';
import { measureRealtime } from './suite/realtime.ts';
import { buildReport, printHuman, type LineOutcome } from './suite/report.ts';
import { buildScenarios, type LineSpec } from './suite/scenarios.ts';

const flags = parseFlags(process.argv.slice(2));
const quick = boolFlag(flags, 'quick');
const asJson = boolFlag(flags, 'json');
const durationS = numberFlag(flags, 'duration', quick ? 4 : 8, 1, 120);
const warmupS = numberFlag(flags, 'warmup', quick ? 1 : 2, 0, 60);
const connections = numberFlag(flags, 'connections', 64, 1, 4096);
const rounds = numberFlag(flags, 'rounds', 1, 1, 10);
const docKb = numberFlag(flags, 'doc-kb', 100, 1, 50_000);
const tickets = numberFlag(flags, 'tickets', quick ? 200_000 : 1_000_000, 1_000, 10_000_000);
const iterations = numberFlag(flags, 'iterations', quick ? 50_000 : 200_000, 1_000, 10_000_000);
const requestedTool = stringFlag(flags, 'tool');
const tool: LoadTool = requestedTool === 'autocannon' || requestedTool === 'wrk' ? requestedTool : hasProgram('wrk') ? 'wrk' : 'autocannon';
const pgFlag = flags.get('pg');
const profileDir = stringFlag(flags, 'profile');
/** `--only dashboard,sign_in`: measure these lines only (profiling one route). */
const only = new Set((stringFlag(flags, 'only') ?? '').split(',').filter(Boolean));
const say = (line: string) => process.stderr.write(`${line}\n`);

if (tool === 'wrk' && !hasProgram('wrk')) throw new Error('--tool wrk: wrk is not installed (apt-get install wrk)');
const pinned = pinSelf(1);
const startedMachine = machine();
say(`bench: ${tool}, ${connections} connections, ${warmupS} s warm-up + ${durationS} s per line × ${rounds}; ${pinned ? 'server on core 0, load on core 1' : 'no CPU pinning'}; load average ${startedMachine.load_average_1m}`);

let scratch: ScratchDatabase | null = null;
if (pgFlag !== undefined) {
  scratch = await createScratchDatabase(pgFlag === true ? DEFAULT_PG_URL : pgFlag);
  say(`bench: scratch PostgreSQL database ${new URL(scratch.url).pathname.slice(1)}`);
}
const hello = await startHello(0);
const preau = await startPreau({ core: 0, trustProxy: true, databaseUrl: scratch?.url ?? null, cpuProfDir: profileDir, env: { PREAU_QUERY_COUNT_HEADER: 'true' } });
const agent = createAgent(16);

async function measure(build: () => Promise<LineSpec>): Promise<LoadResult> {
  const runs: LoadResult[] = [];
  for (let r = 0; r < rounds; r++) {
    const spec = await build();
    const c = spec.connections ?? connections;
    if (warmupS > 0) await runLoad({ ...spec, connections: c, durationS: warmupS }, tool);
    runs.push(await runLoad({ ...spec, connections: c, durationS: Math.max(durationS, spec.minDurationS ?? 0) }, tool));
  }
  runs.sort((a, b) => a.rps - b.rps);
  return runs[Math.floor(runs.length / 2)]!;
}

try {
  const idleRss = preau.rssBytes();
  const fixtures = await provisionBench(agent, preau.url, docKb);
  say(`bench: ${fixtures.sessionCookies.length} demo pupils signed in, ${fixtures.logins.length} accounts for the sign-in line`);
  const baselineSpec = () => Promise.resolve({ name: 'baseline', base: hello.url, path: '/', headers: { accept: 'application/json' } });
  say('bench: baseline (hello world)…');
  const baselineBefore = await measure(baselineSpec);
  const lines: LineOutcome[] = [];
  for (const scenario of buildScenarios(preau.url, fixtures, docKb)) {
    if (only.size > 0 && !only.has(scenario.name)) continue;
    if (!scenario.spec) {
      say(`bench: ${scenario.name}: not available (${scenario.unavailable ?? ''})`);
      lines.push({ scenario, result: null });
      continue;
    }
    say(`bench: ${scenario.name}…`);
    lines.push({ scenario, result: await measure(scenario.spec) });
  }
  say('bench: baseline again (drift check)…');
  const baselineAfter = await measure(baselineSpec);
  const loadedRss = preau.rssBytes();
  await hello.stop();
  const wantsDashboard = only.size === 0 || only.has('dashboard') || only.has('dashboard_with_pass');
  if (wantsDashboard) say('bench: database queries per dashboard load…');
  const dbQueries = wantsDashboard ? await measureDashboardQueries(agent, preau.url, await fixtures.passCookies()) : null;
  const liveCount = numberFlag(flags, 'live-connections', quick ? 2_000 : 5_000, 1, 9_000);
  say(`bench: memory per real-time connection (${liveCount.toLocaleString('en-US')} idle /api/live streams)…`);
  const realtime = await measureRealtime({ base: preau.url, pid: preau.pid, cookies: await fixtures.passCookies(), count: liveCount, rssBytes: () => preau.rssBytes() });
  say(`bench: gate and memory (bench/gate.ts, ${iterations.toLocaleString('en-US')} decisions, ${tickets.toLocaleString('en-US')} tickets)…`);
  const gate = await runGateBench(iterations, tickets);
  const report = buildReport({ machine: startedMachine, tool, connections, durationS, rounds, database: scratch ? 'postgresql' : 'pglite', baselineBefore, baselineAfter, lines, gate, serverRss: { idle: idleRss, loaded: loadedRss }, realtime, dbQueries });
  if (asJson) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else printHuman(report, lines);
} finally {
  await agent.close();
  await hello.stop();
  await preau.stop();
  if (scratch) await scratch.drop();
}
