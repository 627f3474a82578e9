/**
 * CPU pinning with `taskset` (util-linux) when the machine has it and at least two cores: the
 * server under test gets core 0, the load generator (this process) core 1, so they do not steal
 * each other's time. Without taskset, or on one core, nothing is pinned and the report says so.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

let cached: boolean | null = null;

/** True when `taskset` runs here and there are at least two cores to split. */
export function canPin(): boolean {
  if (cached !== null) return cached;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    cached = cpus().length >= 2;
  } catch {
    cached = false;
  }
  return cached;
}

/** The command prefix that runs a child on `core` (empty when pinning is not possible). */
export function pinPrefix(core: number): string[] {
  return canPin() ? ['taskset', '-c', String(core)] : [];
}

/** Pins every thread of this process to `core`; returns whether it did. */
export function pinSelf(core: number): boolean {
  if (!canPin()) return false;
  try {
    execFileSync('taskset', ['-a', '-cp', String(core), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether a program is on the PATH (wrk, chromium…). */
export function hasProgram(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
