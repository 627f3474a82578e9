/** Starts bench/hello-server.ts as a child on the server's core. */
import { spawn } from 'node:child_process';
import { pinPrefix } from '../lib/affinity.ts';
import { freePort, ROOT } from '../lib/preau-server.ts';

export interface HelloServer {
  url: string;
  stop(): Promise<void>;
}

export async function startHello(core: number): Promise<HelloServer> {
  const port = await freePort();
  const command = [...pinPrefix(core), process.execPath, '--import', 'tsx', 'bench/hello-server.ts', String(port)];
  const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  // The hello server has no /ready: any answer on / means it listens.
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`hello server stopped (code ${child.exitCode})`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
