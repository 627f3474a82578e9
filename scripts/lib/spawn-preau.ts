/**
 * Starts one Préau (`src/server.ts`) as a child process and waits until /ready answers: the one
 * helper behind the end-to-end server (e2e/support/server.ts), the bench's server
 * (bench/lib/preau-server.ts) and the local cluster's nodes (scripts/lib/cluster.ts).
 * Stopping sends SIGTERM (the server drains: in-flight requests finish, nothing acknowledged is
 * lost) and waits, with SIGKILL as a last resort; `kill()` is the crash (SIGKILL at once).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface SpawnOptions {
  /** Port on 127.0.0.1; default: a free one. */
  port?: number;
  /** Merged over this process's environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Arguments for node before the script (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Command put before node (e.g. `taskset -c 0`). */
  prefix?: string[];
  /** How long to wait for /ready (default 120 s). */
  readyTimeoutMs?: number;
  /** Told each line the server prints (otherwise kept for output()). */
  onLine?: (line: string) => void;
}

export interface SpawnedPreau {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** The last 20 000 characters the server printed. */
  output(): string;
  /** True while the process runs. */
  isRunning(): boolean;
  /** Resolves when the process has exited. */
  exited(): Promise<void>;
  /** SIGTERM, wait for the drain (SIGKILL after `graceMs`, default 30 s). */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL: the crash of a node. */
  kill(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process, from /proc (Linux); null when unknown. */
export function rssOf(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Polls `${url}/ready` until it answers 200; `isDead` returns an explanation once the process is gone. */
export async function waitForReady(url: string, isDead: () => string | null, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dead = isDead();
    if (dead) throw new Error(dead);
    try {
      const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Préau n'est pas prêt après ${timeoutMs / 1000} s (${url})`);
}

export async function spawnPreau(options: SpawnOptions = {}): Promise<SpawnedPreau> {
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port) };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  env['PORT'] = String(port);
  const command = [...(options.prefix ?? []), process.execPath, ...(options.nodeArgs ?? []), '--import', 'tsx', 'src/server.ts'];
  const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let partial = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    log = (log + text).slice(-20_000);
    if (options.onLine) {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onLine(line);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  const url = `http://127.0.0.1:${port}`;
  const signalAndWait = async (signal: NodeJS.Signals, graceMs: number) => {
    if (!isRunning()) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exit;
    clearTimeout(timer);
  };
  try {
    await waitForReady(url, () => (isRunning() ? null : `Préau s'est arrêté (code ${child.exitCode ?? child.signalCode}) :\n${log}`), options.readyTimeoutMs ?? 120_000);
  } catch (error) {
    await signalAndWait('SIGKILL', 1000);
    throw error;
  }
  return {
    url,
    port,
    pid: child.pid ?? 0,
    child,
    output: () => log,
    isRunning,
    exited: () => exit,
    stop: (graceMs = 30_000) => signalAndWait('SIGTERM', graceMs),
    kill: () => signalAndWait('SIGKILL', 1000),
  };
}
