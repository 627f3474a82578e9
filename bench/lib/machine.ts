/** What the figures were measured on. */
import { cpus, loadavg, totalmem } from 'node:os';
import { canPin } from './affinity.ts';

export interface Machine {
  cores: number;
  node: string;
  cpu: string;
  memory_gb: number;
  /** 1-minute load average when the run started: others' work on a shared machine shows here. */
  load_average_1m: number;
  pinned: boolean;
}

export function machine(): Machine {
  return {
    // All the machine's cores (availableParallelism would count only those this process is pinned to).
    cores: cpus().length,
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    memory_gb: Math.round(totalmem() / 2 ** 30),
    load_average_1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    pinned: canPin(),
  };
}
