/** Starts `src/server.ts` as a child process on a free port with a fresh data directory (scripts/lib/spawn-preau.ts). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnPreau } from '../../scripts/lib/spawn-preau.ts';

export { ROOT } from '../../scripts/lib/spawn-preau.ts';

export interface RunningServer {
  url: string;
  /** The server's DATA_DIR (journeys check what was, or was not, stored under blobs/). */
  dataDir: string;
  stop(): Promise<void>;
}

export async function startServer(): Promise<RunningServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'preau-e2e-'));
  try {
    const server = await spawnPreau({
      readyTimeoutMs: 90_000,
      env: {
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        PREAU_DEMO: 'true',
        // The journeys share 2 cores with Chromium: a CPU spike must not shed or queue them. The
        // waiting room itself is proven with the operator's cap (e2e/waiting-room.e2e.ts).
        LOAD_PROTECTION: 'false',
        // The journeys sign the same demo people in many times from one address; the limits
        // themselves are proven by the unit tests (src/front-door/rate-limits.test.ts).
        RATE_LIMIT_FACTOR: '100',
      },
    });
    return {
      url: server.url,
      dataDir,
      async stop() {
        await server.stop(10_000);
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
