/**
 * Gate micro-benchmark: `npx tsx bench/gate.ts [--json] [--iterations=N] [--tickets=N]`.
 *
 * Measures the synchronous gate decision (cookie parsing, soft binding, HMAC verification, frontier
 * check) for a valid pass, a valid ticket not yet admitted, and a newcomer minted a ticket while
 * the platform is full; the proof-of-work redemption; the in-page solver's hash rate on this
 * machine; and RSS before and after minting and checking 1 000 000 tickets (it must stay flat:
 * the server keeps nothing per waiting person).
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { solveChallenge } from '../src/front-door/attack-mode.ts';
import { createTestNode, gateRequest } from '../src/front-door/front-door.test-support.ts';
import { POW_WORKER_SOURCE } from '../src/front-door/waiting-page-client.ts';
import { bindOf } from '../src/front-door/tickets.ts';
import { createMemoryState } from '../src/platform/shared-state/memory.ts';
import { manualClock } from '../src/shared/time.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const iterations = Number(args.find((a) => a.startsWith('--iterations='))?.split('=')[1] ?? 1_000_000);
/** Tickets minted and checked for the memory figure (after a warm-up of a fifth as many). */
const ticketCount = Number(args.find((a) => a.startsWith('--tickets='))?.split('=')[1] ?? 1_000_000);
const UA = 'Mozilla/5.0 (Linux; Android 10; SM-A105FN) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36';
const OTHER_COOKIES = 'preau_sid=abcdefghijklmnopqrstuvwxyz0123456789; preau_csrf=0123456789abcdef; theme=dark';

interface Timing {
  p50Us: number;
  p99Us: number;
  decisionsPerSecond: number;
}

/** Times `fn` per call (p50/p99) and, separately, in a tight loop (throughput). */
function measure(n: number, fn: (i: number) => void): Timing {
  for (let i = 0; i < Math.min(n, 20_000); i++) fn(i);
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn(i);
    samples[i] = performance.now() - t;
  }
  samples.sort();
  const start = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  const elapsed = performance.now() - start;
  return {
    p50Us: round(samples[Math.floor(n * 0.5)]! * 1000),
    p99Us: round(samples[Math.floor(n * 0.99)]! * 1000),
    decisionsPerSecond: Math.round(n / (elapsed / 1000)),
  };
}

const round = (x: number): number => Math.round(x * 100) / 100;
const memory = (): { rss: number; heap: number } => {
  gc();
  const m = process.memoryUsage();
  return { rss: round(m.rss / 1024 / 1024), heap: round(m.heapUsed / 1024 / 1024) };
};
const ipOf = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

async function main(): Promise<void> {
  const clock = manualClock();
  const state = createMemoryState();
  const full = createTestNode({ state, clock, hasRoom: () => false, powBits: 16 });
  await full.admission.start(false);
  await full.admission.setControl({ capPerMinute: 600 });
  await full.admission.pump();
  const now = clock.now();

  const bind = bindOf(UA, '192.0.2.10');
  const pass = full.passes.issue('general', bind, now);
  const passRequest = gateRequest({ ip: '192.0.2.10', ua: UA, pass });
  passRequest.cookieHeader = `${OTHER_COOKIES}; ${passRequest.cookieHeader ?? ''}`;
  const ticket = full.tickets.issue({ lane: 'general', tArr: now + 1_000, exp: now + 600_000, bind, id: 'bench1' });
  const ticketRequest = gateRequest({ ip: '192.0.2.10', ua: UA, ticket });
  ticketRequest.cookieHeader = `${OTHER_COOKIES}; ${ticketRequest.cookieHeader ?? ''}`;

  const passTiming = measure(iterations, () => {
    if (full.gate.decide(passRequest, now).kind !== 'pass') throw new Error('pass refused');
  });
  const ticketTiming = measure(iterations, () => {
    if (full.gate.decide(ticketRequest, now).kind !== 'wait') throw new Error('ticket not waiting');
  });
  const mintRequests = Array.from({ length: 4_096 }, (_, i) => gateRequest({ ip: ipOf(i), ua: UA }));
  const mintTiming = measure(iterations, (i) => {
    if (full.gate.decide(mintRequests[i & 4_095]!, now).kind !== 'wait') throw new Error('newcomer not queued');
  });

  const challenges = Array.from({ length: 64 }, () => {
    const c = full.pow.issue('general', bind, now);
    return { c, k: solveChallenge(c, 16)! };
  });
  const redeemTiming = measure(20_000, (i) => {
    const x = challenges[i & 63]!;
    if (full.gate.redeem(x.c, x.k, gateRequest({ ip: '192.0.2.10', ua: UA }), now).kind !== 'wait') throw new Error('redeem failed');
  });

  const hashRate = solverHashRate();
  const mem = await mintAndCheckMillion();
  await full.admission.stop();
  await state.close();

  const result = {
    node: process.version,
    iterations,
    validPass: passTiming,
    validTicketNotAdmitted: ticketTiming,
    mintWhenFull: mintTiming,
    powRedeem: redeemTiming,
    inPageSolverHashesPerSecond: hashRate,
    memory: mem,
  };
  if (asJson) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const line = (name: string, t: Timing) =>
    `${name.padEnd(34)} p50 ${t.p50Us.toFixed(2).padStart(6)} µs   p99 ${t.p99Us.toFixed(2).padStart(6)} µs   ${t.decisionsPerSecond.toLocaleString('en-US').padStart(9)} /s`;
  process.stdout.write(
    [
      `Gate decision, ${iterations.toLocaleString('en-US')} iterations, Node ${process.version}`,
      line('valid pass', passTiming),
      line('valid ticket, not yet admitted', ticketTiming),
      line('newcomer, platform full (mint)', mintTiming),
      line('proof-of-work redemption', redeemTiming),
      `in-page SHA-256 solver (this CPU)   ${hashRate.toLocaleString('en-US')} hashes/s`,
      `RSS ${mem.rssBeforeMb} MB before, ${mem.rssAfter100kMb} MB after ${(mem.tickets / 10).toLocaleString('en-US')}, ${mem.rssAfterMb} MB after ${mem.tickets.toLocaleString('en-US')} tickets minted and checked (Δ ${mem.deltaMb} MB)`,
      `live heap ${mem.heapBeforeMb} → ${mem.heapAfterMb} MB (${mem.heapBytesPerTicket} bytes per ticket); leader histogram ${mem.histogramBuckets} buckets, ${mem.storeKeys} keys in the store`,
      '',
    ].join('\n'),
  );
}

/** Runs the page's worker source on 16-bit challenges for 2 s and reports tries per second. */
function solverHashRate(): number {
  let tries = 0;
  const context = vm.createContext({
    postMessage: (m: { k?: string }) => {
      if (m.k !== undefined) tries += Number(m.k) + 1;
    },
  });
  vm.runInContext(POW_WORKER_SOURCE, context);
  const onmessage = (context as { onmessage: (e: { data: unknown }) => void }).onmessage;
  const start = performance.now();
  for (let i = 0; performance.now() - start < 2_000; i++) {
    onmessage({ data: { c: `c1|1788764400000|16|abcdefghijk|general|seed${i}.k1.${'m'.repeat(43)}`, b: 16 } });
  }
  return Math.round(tries / ((performance.now() - start) / 1000));
}

/**
 * Mints and checks a million tickets (`--tickets`; 1 ms apart, the background loop running) after a
 * warm-up of a fifth as many (JIT, heap sizing, the bounded per-address table filling up), and
 * reports RSS and the live heap after a full GC.
 */
async function mintAndCheckMillion() {
  const clock = manualClock();
  const state = createMemoryState();
  const node = createTestNode({ state, clock, hasRoom: () => false });
  await node.admission.start(false);
  await node.admission.setControl({ capPerMinute: 6_000 });
  const t0 = clock.now();
  const tickets = ticketCount;
  const warmUp = Math.round(tickets / 5);
  const run = async (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      clock.set(t0 + i);
      const req = gateRequest({ ip: ipOf(i % 65_536), ua: UA });
      const d = node.gate.decide(req, clock.now());
      if (d.kind !== 'wait' || !d.setTicket) throw new Error('expected a ticket');
      req.cookieHeader = `preau_tkt=${d.setTicket}`;
      const again = node.gate.decide(req, clock.now());
      if (again.kind !== 'wait' && again.kind !== 'enter') throw new Error('ticket refused');
      if (i % 50 === 0) await node.admission.pump();
    }
  };
  await run(0, warmUp);
  const before = memory();
  await run(warmUp, warmUp + Math.round(tickets / 10));
  const after100k = memory();
  await run(warmUp + Math.round(tickets / 10), warmUp + tickets);
  const after = memory();
  const { histogramBuckets } = node.admission.footprint();
  const storeKeys = state.storedKeyCount();
  await node.admission.stop();
  await state.close();
  return {
    tickets,
    rssBeforeMb: before.rss,
    rssAfter100kMb: after100k.rss,
    rssAfterMb: after.rss,
    deltaMb: round(after.rss - before.rss),
    heapBeforeMb: before.heap,
    heapAfterMb: after.heap,
    heapBytesPerTicket: round(((after.heap - before.heap) * 1024 * 1024) / tickets),
    histogramBuckets,
    storeKeys,
  };
}

await main();
