/**
 * One closed-loop measurement of one route: N keep-alive connections for D seconds, each sending
 * the next request as soon as the previous answer arrived. autocannon runs in this process (pinned
 * to the generator's core); wrk, when installed and chosen, runs as a child on the same core.
 * Rotating header sets (cookies, addresses) are cycled request by request.
 */
import autocannon from 'autocannon';
import { runWrk } from './wrk.ts';

export interface LoadSpec {
  name: string;
  base: string;
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Variants cycled one per request: headers merged over `headers`, and a body of their own. */
  rotate?: readonly Variant[];
  body?: string;
  connections: number;
  durationS: number;
}

export interface Variant {
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  tool: 'autocannon' | 'wrk';
  /** Useful answers (2xx/3xx) per second. */
  rps: number;
  p50_ms: number;
  p99_ms: number;
  requests: number;
  /** Answers that were not 2xx/3xx. */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Share of one core the generator used (autocannon only): near 1, it is the bottleneck. */
  generator_cpu: number | null;
  /** Answers by status code (autocannon only). */
  statuses: Record<string, number>;
}

export type LoadTool = 'autocannon' | 'wrk';

export async function runLoad(spec: LoadSpec, tool: LoadTool): Promise<LoadResult> {
  return tool === 'wrk' ? runWrk(spec) : runAutocannon(spec);
}

async function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  const rotate = spec.rotate ?? [];
  let i = 0;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const result = await autocannon({
    url: spec.base,
    connections: spec.connections,
    duration: spec.durationS,
    timeout: 30,
    requests: [
      {
        method: spec.method ?? 'GET',
        path: spec.path,
        headers: spec.headers ?? {},
        ...(spec.body !== undefined ? { body: spec.body } : {}),
        ...(rotate.length > 0
          ? {
              setupRequest: (req: autocannon.Request) => {
                const v = rotate[i++ % rotate.length]!;
                return { ...req, headers: { ...req.headers, ...v.headers }, ...(v.body !== undefined ? { body: v.body } : {}) };
              },
            }
          : {}),
      },
    ],
  });
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - wallBefore;
  const ok = result['2xx'] + result['3xx'];
  return {
    tool: 'autocannon',
    rps: round(ok / result.duration),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    generator_cpu: round((cpu.user + cpu.system) / 1000 / wallMs),
    statuses: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0])),
  };
}

export const round = (x: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
