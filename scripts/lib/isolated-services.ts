/**
 * A PostgreSQL and a Redis of their own, for tests that stop and restart them (the cluster's
 * fault tests): nothing else on the machine is disturbed. PostgreSQL is Debian's binaries
 * (/usr/lib/postgresql/<newest>/bin) in a fresh initdb under the temp dir, on a free port, with
 * fsync off (a test's data need not survive a power cut); Redis is redis-server on a free port,
 * with no persistence. Both can be stopped and started again on the same port.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdtemp, readdir, rm, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './spawn-preau.ts';

const run = promisify(execFile);

export interface IsolatedService {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops and removes everything. */
  destroy(): Promise<void>;
}

async function postgresBin(): Promise<string> {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? (await readdir(root)).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const bin = versions.map((v) => path.join(root, v, 'bin')).find((b) => existsSync(path.join(b, 'initdb')));
  if (!bin) throw new Error('PostgreSQL (paquet Debian postgresql) est introuvable sous /usr/lib/postgresql/<version>/bin.');
  return bin;
}

/** PostgreSQL refuses to run as root: run its commands as the `postgres` user then. */
async function asPostgres(): Promise<{ prefix: string[]; uid: number; gid: number } | null> {
  if (userInfo().uid !== 0) return null;
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { prefix: ['runuser', '-u', 'postgres', '--'], uid: Number(stdout.trim()), gid: Number(gid.trim()) };
}

export async function startIsolatedPostgres(): Promise<IsolatedService> {
  const bin = await postgresBin();
  const user = await asPostgres();
  const dir = await mkdtemp(path.join(tmpdir(), 'preau-pg-'));
  await chmod(dir, 0o755);
  if (user) await chown(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const exec = async (tool: string, args: string[]) => {
    const command = [...(user?.prefix ?? []), path.join(bin, tool), ...args];
    return run(command[0]!, command.slice(1), { timeout: 60_000 });
  };
  await exec('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const options = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=200'].join(' ');
  const start = async () => {
    await exec('pg_ctl', ['-D', data, '-l', path.join(dir, 'postgres.log'), '-o', options, '-w', '-t', '60', 'start']);
  };
  const stop = async () => {
    await exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']).catch(() => {});
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    async destroy() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
  });
}

export async function startIsolatedRedis(): Promise<IsolatedService> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
    child = c;
    const deadline = Date.now() + 15_000;
    while (!(await redisPing(port))) {
      if (c.exitCode !== null) throw new Error(`redis-server s'est arrêté (code ${c.exitCode}) sur le port ${port}`);
      if (Date.now() > deadline) throw new Error(`redis-server ne répond pas sur le port ${port}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGTERM');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, stop, destroy: stop };
}
