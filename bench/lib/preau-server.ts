/**
 * Starts Préau itself (`src/server.ts`) as a child process for a benchmark or a rehearsal: a free
 * port on 127.0.0.1, a fresh DATA_DIR (PGlite) unless a PostgreSQL URL is given, the demo school,
 * pinned to one core when possible, optionally under `node --cpu-prof`. Stopping sends SIGTERM
 * (the server drains and closes its database, so nothing acknowledged is lost) and waits.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinPrefix } from './affinity.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerOptions {
  /** Core to pin the server to (when taskset is available). */
  core?: number;
  /** postgres:// URL; default: embedded PGlite in a fresh DATA_DIR. */
  databaseUrl?: string | null;
  /** Trust X-Forwarded-For (the load generator then speaks for many addresses). */
  trustProxy?: boolean;
  /** Directory for `node --cpu-prof` output; none: no profiling. */
  cpuProfDir?: string | null;
  /** Extra environment. */
  env?: Record<string, string>;
  /** Keep the data directory after stop (lost-write checks open it). */
  keepDataDir?: boolean;
}

export interface PreauServer {
  url: string;
  pid: number;
  dataDir: string;
  /** The server's resident memory now (bytes), from /proc; null when unknown. */
  rssBytes(): number | null;
  /** The last lines of the server's output. */
  output(): string;
  stop(): Promise<void>;
  /** Removes the data directory (after a stop with keepDataDir). */
  cleanup(): Promise<void>;
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

/** Resident memory of a process, from /proc (Linux). */
export function rssOf(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

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
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Préau is not ready after ${timeoutMs / 1000} s`);
}

export async function startPreau(options: ServerOptions = {}): Promise<PreauServer> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'preau-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    PREAU_DEMO: 'true',
    NODE_ENV: 'development',
    TRUST_PROXY: options.trustProxy ? 'true' : 'false',
    SHUTDOWN_GRACE_SECONDS: '20',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.env ?? {}),
  };
  if (!options.databaseUrl) delete env['DATABASE_URL'];
  delete env['REDIS_URL'];
  if (options.env?.['REDIS_URL']) env['REDIS_URL'] = options.env['REDIS_URL'];
  const prof = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  const command = [...pinPrefix(options.core ?? 0), process.execPath, ...prof, '--import', 'tsx', 'src/server.ts'];
  const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const isDead = () => (child.exitCode !== null ? `Préau stopped (code ${child.exitCode}):\n${log}` : null);
  try {
    await waitForReady(url, isDead, 120_000);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const pid = child.pid ?? 0;
  const cleanup = () => rm(dataDir, { recursive: true, force: true });
  return {
    url,
    pid,
    dataDir,
    rssBytes: () => rssOf(pid),
    output: () => log,
    cleanup,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }
      if (!options.keepDataDir) await cleanup();
    },
  };
}
