/**
 * Test support for the Redis-backed tests: a TCP proxy in front of Redis that can be stopped and
 * restarted on the same port (Redis "going down" without touching the shared server), and the
 * cleanup of a run's keys.
 */
import net from 'node:net';
import type { Redis } from 'ioredis';

/** The Redis server the tests use. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Deletes every key under `prefix` (SCAN on the prefix, then DEL), without blocking Redis. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** A proxy whose port stays the same across stop()/start(). */
export interface TcpProxy {
  readonly port: number;
  /** Closes the listener and cuts every open connection. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

/** Starts a proxy on a free local port forwarding to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;

  function track(socket: net.Socket): void {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  function forward(client: net.Socket): void {
    const upstream = net.connect(target.port, target.host);
    track(client);
    track(upstream);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  }

  async function start(): Promise<void> {
    const listener = net.createServer(forward);
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(port, '127.0.0.1', () => resolve());
    });
    const address = listener.address();
    if (address && typeof address === 'object') port = address.port;
    server = listener;
  }

  async function stop(): Promise<void> {
    const listener = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    if (listener) await new Promise<void>((resolve) => listener.close(() => resolve()));
  }

  await start();
  return {
    get port() {
      return port;
    },
    stop,
    start,
  };
}

/** The same Redis URL (credentials, db) pointed at another local port. */
export function redisUrlThroughPort(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(port);
  return parsed.toString();
}

/** Starts a proxy in front of TEST_REDIS_URL and returns it with the URL that goes through it. */
export async function startRedisProxy(): Promise<{ proxy: TcpProxy; url: string }> {
  const target = new URL(TEST_REDIS_URL);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
  return { proxy, url: redisUrlThroughPort(TEST_REDIS_URL, proxy.port) };
}
