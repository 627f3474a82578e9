/**
 * Database queries per dashboard load (issue 6), read from the `x-db-queries` header the server
 * sends when started with PREAU_QUERY_COUNT_HEADER=true (the bench does) to a request that asks
 * with `x-count-queries: 1` (the load lines do not ask). Measured after the load
 * lines: counting runs the request in an AsyncLocalStorage, and on Node 20 its promise hooks, once
 * on, slow every later request a little. Each pupil loads the dashboard once (the first of a class
 * whose cache ran out fills it), then, once the 5-second per-person cache has run out, once more:
 * every class is warm then, so the second pass is what a pupil costs when a classmate came before.
 * Passes are live and actors cached (as a minute after 9:00): the figure is the dashboard's own
 * queries. The cold case (first pupil of a class) is in src/modules/dashboard/class-sections.test.ts.
 */
import { request, type Agent } from 'undici';
import { BENCH_UA } from './provision.ts';

export interface DashboardQueries {
  /** Mean queries per load with the class cache warm. */
  perLoadWarmClass: number;
  /** Mean over the first pass (the first pupil of a class whose cache ran out fills it). */
  perLoadFirstPass: number;
  loads: number;
}

const PER_PERSON_TTL_MS = 5_000;

async function queriesOf(agent: Agent, base: string, cookie: string): Promise<number | null> {
  const res = await request(`${base}/api/dashboard`, { dispatcher: agent, headers: { cookie, accept: 'application/json', 'user-agent': BENCH_UA, 'x-count-queries': '1' } });
  await res.body.dump();
  const header = res.headers['x-db-queries'];
  return res.statusCode === 200 && typeof header === 'string' ? Number(header) : null;
}

export async function measureDashboardQueries(agent: Agent, base: string, passCookies: readonly string[]): Promise<DashboardQueries | null> {
  const pass = async () => {
    const out: number[] = [];
    for (const cookie of passCookies) {
      const q = await queriesOf(agent, base, cookie);
      if (q !== null) out.push(q);
    }
    return out;
  };
  const first = await pass();
  if (first.length === 0) return null;
  await new Promise((resolve) => setTimeout(resolve, PER_PERSON_TTL_MS + 500));
  const warm = await pass();
  const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)) * 100) / 100;
  return { perLoadWarmClass: mean(warm), perLoadFirstPass: mean(first), loads: warm.length };
}
