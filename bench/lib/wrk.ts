/**
 * wrk (Debian package `wrk`) as the load generator: one thread, pinned to the generator's core,
 * with a generated Lua script that cycles the header sets and prints its figures as JSON at the
 * end (latency in microseconds, hence finer than autocannon's milliseconds).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pinPrefix } from './affinity.ts';
import type { LoadResult, LoadSpec } from './load.ts';

/** A Lua string literal for any text (bytes outside printable ASCII as decimal escapes). */
export function luaString(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, 'utf8')) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte}`;
  }
  return `${out}"`;
}

export function wrkScript(spec: LoadSpec): string {
  const common = spec.headers ?? {};
  const variants = spec.rotate && spec.rotate.length > 0 ? spec.rotate : [{ headers: {} }];
  const table = (h: Record<string, string>) => `{${Object.entries(h).map(([k, v]) => `[${luaString(k)}]=${luaString(v)}`).join(',')}}`;
  const bodyOf = (body: string | undefined) => (body === undefined ? 'nil' : luaString(body));
  return [
    `local sets = {${variants.map((v) => table({ ...common, ...v.headers })).join(',\n')}}`,
    `local bodies = {${variants.map((v) => bodyOf(v.body ?? spec.body)).join(',\n')}}`,
    'local i = 0',
    `local method, path = ${luaString(spec.method ?? 'GET')}, ${luaString(spec.path)}`,
    'request = function() i = i % #sets + 1; return wrk.format(method, path, sets[i], bodies[i]) end',
    'done = function(s, latency, r)',
    '  local e = s.errors',
    '  io.write(string.format("WRKJSON {\\"requests\\":%d,\\"duration_us\\":%d,\\"p50_us\\":%d,\\"p99_us\\":%d,\\"status\\":%d,\\"errors\\":%d}\\n",',
    '    s.requests, s.duration, latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))',
    'end',
  ].join('\n');
}

interface WrkFigures {
  requests: number;
  duration_us: number;
  p50_us: number;
  p99_us: number;
  status: number;
  errors: number;
}

export async function runWrk(spec: LoadSpec): Promise<LoadResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'preau-wrk-'));
  const script = path.join(dir, 'bench.lua');
  await writeFile(script, wrkScript(spec));
  const args = [...pinPrefix(1), 'wrk', '-t1', `-c${spec.connections}`, `-d${spec.durationS}s`, '--timeout', '30s', '-s', script, spec.base + spec.path];
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(args[0]!, args.slice(1), { maxBuffer: 1 << 20 }, (error, out) => (error ? reject(new Error(`wrk failed: ${error.message}`)) : resolve(out)));
    });
    const line = stdout.split('\n').find((l) => l.startsWith('WRKJSON '));
    if (!line) throw new Error(`wrk printed no figures:\n${stdout}`);
    const f = JSON.parse(line.slice(8)) as WrkFigures;
    const seconds = f.duration_us / 1e6;
    return {
      tool: 'wrk',
      rps: Math.round(((f.requests - f.status) / seconds) * 100) / 100,
      p50_ms: f.p50_us / 1000,
      p99_ms: f.p99_us / 1000,
      requests: f.requests,
      non2xx: f.status,
      errors: f.errors,
      generator_cpu: null,
      statuses: {},
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
