/**
 * A local Préau cluster on this machine: N nodes on loopback ports, all on the same PostgreSQL
 * (DATABASE_URL), Redis (REDIS_URL), signing secret (PREAU_SECRET) and DATA_DIR (the blob store
 * shared as a directory), behind nginx as the load balancer — nginx from Debian, run with its own
 * prefix, configuration and pid file (never the system service). Used by `npm run cluster`
 * (scripts/cluster.ts) and by the fault tests (e2e/cluster/), which kill, stop and restart nodes.
 *
 * nginx's part in surviving faults: `proxy_next_upstream error timeout` sends a request whose
 * connection failed (a dead or draining node refuses connections) to the next node; GETs whose
 * node died mid-answer are retried too, POSTs are not (they might have been applied). A draining
 * node answers with `connection: close`, so nginx's keep-alive pool forgets it before it closes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAX_FILE_BYTES } from '../../src/modules/documents/index.ts';
import { freePort, spawnPreau, type SpawnedPreau } from './spawn-preau.ts';

export interface ClusterOptions {
  /** Number of Préau nodes (default 3). */
  nodes?: number;
  databaseUrl: string;
  redisUrl: string;
  /** PREAU_SECRET shared by every node (at least 32 characters). */
  secret: string;
  /** DATA_DIR shared by every node (its blobs/ is the file store). */
  dataDir: string;
  /** nginx's port on 127.0.0.1 (default: a free one). */
  port?: number;
  /**
   * Keep the X-Forwarded-For a client sends (nginx appends the client's address): only for load
   * generators that speak for many people from this machine. Default: nginx sets the client's own
   * address, so nobody can choose the address their rate limits are counted against.
   */
  passForwardedFor?: boolean;
  /** Extra environment for every node (`undefined` removes a variable). */
  env?: Record<string, string | undefined>;
  /** Seed the demo school (through the first node, once, before the others start). */
  demo?: boolean;
  /** Told what happens (node lines are prefixed with the node's number). */
  log?: (line: string) => void;
}

export interface LocalCluster {
  /** nginx's address: what people (and the rehearsal) use. */
  url: string;
  /** Each node's own address (ports stay the same across restarts). */
  nodeUrls: string[];
  /** nginx's configuration, logs and temporary files. */
  runDir: string;
  isNodeRunning(index: number): boolean;
  /** kill -9: the node dies with whatever it was doing. */
  killNode(index: number): Promise<void>;
  /** SIGTERM: the node drains (not ready, in-flight requests finish) and exits. */
  stopNode(index: number): Promise<void>;
  /** Starts a stopped node again on its port and waits until it is ready. */
  startNode(index: number): Promise<void>;
  /** Stops every node (SIGTERM) and nginx. */
  stop(): Promise<void>;
}

export function findNginx(): string | null {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx']) if (existsSync(candidate)) return candidate;
  const which = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
}

/** The nginx configuration of the cluster (exported for its unit test). */
export function nginxConfig(o: { runDir: string; port: number; nodePorts: number[]; passForwardedFor: boolean; runAsRoot: boolean }): string {
  const tmp = path.join(o.runDir, 'tmp');
  const forwardedFor = o.passForwardedFor ? '$proxy_add_x_forwarded_for' : '$remote_addr';
  const bodyMb = Math.ceil(MAX_FILE_BYTES / 1024 / 1024) + 1;
  return `# Written by scripts/lib/cluster.ts: the local Préau cluster's load balancer.
${o.runAsRoot ? 'user nobody nogroup;\n' : ''}worker_processes 1;
daemon off;
pid ${path.join(o.runDir, 'nginx.pid')};
error_log ${path.join(o.runDir, 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  # Uploads: the largest file Préau accepts, plus the multipart envelope.
  client_max_body_size ${bodyMb}m;

  upstream preau {
${o.nodePorts.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join('\n')}
    keepalive 64;
    # Shorter than a node's drain delay (SHUTDOWN_DRAIN_DELAY_MS, 3 s with Redis): by the time a
    # draining node closes its listener, nginx holds no idle connection to it that it could reuse.
    keepalive_timeout 2s;
  }

  server {
    listen 127.0.0.1:${o.port};
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For ${forwardedFor};
    proxy_set_header X-Forwarded-Proto $scheme;
    # A node that refuses the connection (dead, or draining) or never answers: try the next one.
    proxy_next_upstream error timeout;
    proxy_next_upstream_tries 3;
    proxy_next_upstream_timeout 15s;
    proxy_connect_timeout 2s;
    proxy_send_timeout 60s;
    proxy_read_timeout 60s;

    # Live updates (Server-Sent Events): no buffering, a long read timeout; a node that dies
    # ends the stream and the browser reconnects through nginx to another node.
    location /api/live {
      proxy_pass http://preau;
      proxy_buffering off;
      proxy_cache off;
      proxy_read_timeout 1h;
    }

    location / {
      proxy_pass http://preau;
    }
  }
}
`;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} : pas prêt après ${timeoutMs / 1000} s`);
}

export async function startCluster(options: ClusterOptions): Promise<LocalCluster> {
  const count = options.nodes ?? 3;
  const log = options.log ?? (() => {});
  const nginxBin = findNginx();
  if (!nginxBin) throw new Error("nginx est introuvable : installez-le (apt-get install nginx) ou lancez « npm run cluster », qui l'installe.");
  const nodePorts: number[] = [];
  while (nodePorts.length < count) {
    const p = await freePort();
    if (!nodePorts.includes(p)) nodePorts.push(p);
  }
  const port = options.port ?? (await freePort());

  // nginx's own directory under the system temp dir, readable by its worker (nobody when we are root).
  const runDir = await mkdtemp(path.join(tmpdir(), 'preau-cluster-'));
  await chmod(runDir, 0o755);
  await mkdir(path.join(runDir, 'tmp'), { recursive: true });
  await chmod(path.join(runDir, 'tmp'), 0o777);
  await mkdir(options.dataDir, { recursive: true });

  const nodes: Array<SpawnedPreau | null> = nodePorts.map(() => null);
  let nginx: ChildProcess | null = null;

  const startNode = async (index: number, demo = false): Promise<void> => {
    if (nodes[index]?.isRunning()) return;
    const node = await spawnPreau({
      port: nodePorts[index]!,
      env: {
        LOG_LEVEL: 'warn',
        ...options.env,
        DATABASE_URL: options.databaseUrl,
        REDIS_URL: options.redisUrl,
        PREAU_SECRET: options.secret,
        PREAU_SECRET_PREVIOUS: undefined,
        DATA_DIR: options.dataDir,
        TRUST_PROXY: 'true',
        PREAU_DEMO: demo ? 'true' : 'false',
      },
      onLine: (line) => {
        if (line.trim()) log(`[nœud ${index + 1}] ${line}`);
      },
    });
    nodes[index] = node;
    log(`nœud ${index + 1} prêt sur ${node.url} (pid ${node.pid})`);
  };

  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map(async (n) => n?.stop(30_000)));
    if (nginx && nginx.exitCode === null && nginx.signalCode === null) {
      const exited = new Promise((resolve) => nginx!.once('exit', resolve));
      nginx.kill('SIGQUIT');
      const timer = setTimeout(() => nginx?.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(runDir, { recursive: true, force: true });
  };

  try {
    // The first node alone first: it applies the migrations and seeds the demo once.
    await startNode(0, options.demo ?? false);
    await Promise.all(nodePorts.slice(1).map((_, i) => startNode(i + 1)));

    const conf = path.join(runDir, 'nginx.conf');
    await writeFile(conf, nginxConfig({ runDir, port, nodePorts, passForwardedFor: options.passForwardedFor ?? false, runAsRoot: process.getuid?.() === 0 }));
    const args = ['-p', runDir, '-c', conf, '-e', path.join(runDir, 'error.log')];
    const test = spawnSync(nginxBin, [...args, '-t'], { encoding: 'utf8' });
    if (test.status !== 0) throw new Error(`configuration nginx refusée :\n${test.stderr}`);
    const child = spawn(nginxBin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    nginx = child;
    let nginxErr = '';
    child.stderr?.on('data', (c: Buffer) => (nginxErr = (nginxErr + c.toString()).slice(-4000)));
    const url = `http://127.0.0.1:${port}`;
    await waitFor('nginx', async () => {
      if (child.exitCode !== null) throw new Error(`nginx s'est arrêté : ${nginxErr}`);
      return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).ok;
    }, 15_000);
    log(`nginx répartit ${url} entre ${count} nœud(s)`);

    return {
      url,
      nodeUrls: nodePorts.map((p) => `http://127.0.0.1:${p}`),
      runDir,
      isNodeRunning: (i) => nodes[i]?.isRunning() ?? false,
      killNode: async (i) => {
        await nodes[i]?.kill();
        log(`nœud ${i + 1} tué (SIGKILL)`);
      },
      stopNode: async (i) => {
        await nodes[i]?.stop(30_000);
        log(`nœud ${i + 1} arrêté (SIGTERM, requêtes en cours terminées)`);
      },
      startNode: (i) => startNode(i),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
