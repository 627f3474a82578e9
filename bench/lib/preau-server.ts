/**
 * Starts Préau itself (`src/server.ts`) as a child process for a benchmark or a rehearsal: a free
 * port on 127.0.0.1, a fresh DATA_DIR (PGlite) unless a PostgreSQL URL is given, the demo school,
 * pinned to one core when possible, optionally under `node --cpu-prof`. Stopping sends SIGTERM
 * (the server drains and closes its database, so nothing acknowledged is lost) and waits.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rssOf, spawnPreau } from '../../scripts/lib/spawn-preau.ts';
import { pinPrefix } from './affinity.ts';

export { freePort, ROOT, rssOf, waitForReady } from '../../scripts/lib/spawn-preau.ts';

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

const GC_ON_SIGNAL = new URL('./gc-on-signal.mjs', import.meta.url).href;

export async function startPreau(options: ServerOptions = {}): Promise<PreauServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'preau-bench-'));
  const cleanup = () => rm(dataDir, { recursive: true, force: true });
  let server;
  try {
    server = await spawnPreau({
      prefix: pinPrefix(options.core ?? 0),
      // --expose-gc and a SIGUSR2 handler: the memory figures read the server after a full GC.
      nodeArgs: ['--expose-gc', '--import', GC_ON_SIGNAL, ...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [])],
      env: {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        PREAU_DEMO: 'true',
        NODE_ENV: 'development',
        TRUST_PROXY: options.trustProxy ? 'true' : 'false',
        SHUTDOWN_GRACE_SECONDS: '20',
        DATABASE_URL: options.databaseUrl ?? undefined,
        REDIS_URL: undefined,
        ...(options.env ?? {}),
      },
    });
  } catch (error) {
    await cleanup();
    throw error;
  }
  const running = server;
  return {
    url: running.url,
    pid: running.pid,
    dataDir,
    rssBytes: () => rssOf(running.pid),
    output: () => running.output(),
    cleanup,
    async stop() {
      await running.stop(30_000);
      if (!options.keepDataDir) await cleanup();
    },
  };
}
