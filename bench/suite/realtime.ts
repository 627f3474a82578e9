/**
 * Memory per open real-time connection: opens N idle live-update streams (GET /api/live, each on
 * its own socket, signed-in pupils' cookies) to the bench server, waits for every `hello`, then
 * reads the server's resident memory and V8 heap (from /metrics) against the same figures just
 * before, both after a full GC in the server; divides by N; closes them. The figure is the
 * larger of the two: the heap counts every JS object a stream holds (Node's socket and HTTP
 * objects, our record) but not the few native structures behind a socket; RSS counts those, but
 * moves by megabytes as the GC returns pages in a 600 MB process, so it can read low.
 */
import http from 'node:http';

export interface RealtimeFigures {
  connections: number;
  /** Streams that did not open (non-200, or errors). */
  failed: number;
  /** The larger of the RSS growth and the live-heap growth, per stream (the bench's figure). */
  bytesPerConnection: number | null;
  rssBytesPerConnection: number | null;
  heapBytesPerConnection: number | null;
  rssMb: [number, number] | null;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A full GC in the server (bench/lib/gc-on-signal.mjs, preloaded by startPreau), then a pause. */
async function collectGarbage(pid: number): Promise<void> {
  for (let i = 0; i < 2; i++) {
    process.kill(pid, 'SIGUSR2');
    await settle(1_000);
  }
}

async function heapUsed(base: string): Promise<number | null> {
  try {
    const text = await (await fetch(`${base}/metrics`)).text();
    const match = /^preau_nodejs_heap_size_used_bytes (\d+(?:\.\d+)?)/m.exec(text);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

function openStream(url: URL, cookie: string): Promise<http.ClientRequest | null> {
  return new Promise((resolve) => {
    const request = http.get(
      { host: url.hostname, port: url.port, path: '/api/live', agent: false, headers: { cookie, accept: 'text/event-stream', 'user-agent': 'preau-bench' } },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          resolve(null);
          return;
        }
        response.setEncoding('utf8');
        response.once('data', () => resolve(request));
        response.on('data', () => {});
        response.on('error', () => {});
      },
    );
    request.on('error', () => resolve(null));
  });
}

export async function measureRealtime(options: {
  base: string;
  /** The server's process, started by startPreau (which preloads the SIGUSR2 → GC handler). */
  pid: number;
  cookies: readonly string[];
  count: number;
  rssBytes: () => number | null;
}): Promise<RealtimeFigures> {
  const url = new URL(options.base);
  // A first round, closed at once: the server's code paths are compiled and its pools sized
  // before the measured round (otherwise they would count as the streams' memory).
  const warm = await Promise.all(Array.from({ length: Math.min(500, options.count) }, (_, i) => openStream(url, options.cookies[i % options.cookies.length]!)));
  for (const r of warm) r?.destroy();
  // Both readings after a full GC: what is left is what the streams hold, not the garbage of
  // the requests that opened them.
  await collectGarbage(options.pid);
  const rssBefore = options.rssBytes();
  const heapBefore = await heapUsed(options.base);
  const open: http.ClientRequest[] = [];
  let failed = 0;
  for (let i = 0; i < options.count; i += 250) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(250, options.count - i) }, (_, j) => openStream(url, options.cookies[(i + j) % options.cookies.length]!)),
    );
    for (const r of batch) {
      if (r) open.push(r);
      else failed++;
    }
  }
  await settle(1_000);
  await collectGarbage(options.pid);
  const rssAfter = options.rssBytes();
  const heapAfter = await heapUsed(options.base);
  for (const r of open) r.destroy();
  await settle(1_000);
  const n = open.length;
  const per = (before: number | null, after: number | null) => (n > 0 && before !== null && after !== null ? Math.max(0, Math.round((after - before) / n)) : null);
  const rss = per(rssBefore, rssAfter);
  const heap = per(heapBefore, heapAfter);
  return {
    connections: n,
    failed,
    bytesPerConnection: rss === null && heap === null ? null : Math.max(rss ?? 0, heap ?? 0),
    rssBytesPerConnection: rss,
    heapBytesPerConnection: heap,
    rssMb: rssBefore !== null && rssAfter !== null ? [Math.round(rssBefore / 2 ** 18) / 4, Math.round(rssAfter / 2 ** 18) / 4] : null,
  };
}
