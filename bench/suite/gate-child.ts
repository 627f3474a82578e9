/**
 * Runs bench/gate.ts in a child process of its own (on the server's core, when the servers are
 * idle), so its RSS and heap figures are a clean process's, and reads its JSON.
 */
import { execFile } from 'node:child_process';
import { pinPrefix } from '../lib/affinity.ts';
import { ROOT } from '../lib/preau-server.ts';

interface Timing {
  p50Us: number;
  p99Us: number;
  decisionsPerSecond: number;
}

export interface GateFigures {
  validPass: Timing;
  validTicketNotAdmitted: Timing;
  mintWhenFull: Timing;
  powRedeem: Timing;
  inPageSolverHashesPerSecond: number;
  memory: {
    tickets: number;
    rssBeforeMb: number;
    rssAfterMb: number;
    deltaMb: number;
    heapBeforeMb: number;
    heapAfterMb: number;
    heapBytesPerTicket: number;
  };
}

export async function runGateBench(iterations: number, tickets: number): Promise<GateFigures> {
  const args = [...pinPrefix(0), process.execPath, '--import', 'tsx', 'bench/gate.ts', '--json', `--iterations=${iterations}`, `--tickets=${tickets}`];
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(args[0]!, args.slice(1), { cwd: ROOT, maxBuffer: 1 << 20, timeout: 15 * 60_000 }, (error, out, err) =>
      error ? reject(new Error(`bench/gate.ts failed: ${error.message}\n${err}`)) : resolve(out),
    );
  });
  return JSON.parse(stdout) as GateFigures;
}
