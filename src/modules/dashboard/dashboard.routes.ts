import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { countQueries } from '../../platform/db/db.ts';
import { EncodedBody, pickEncoding } from '../../platform/http/encoded-body.ts';
import type { Auth } from '../identity/index.ts';
import { ZClassRoster, ZDashboard } from './dashboard.schemas.ts';
import type { DashboardCache } from './dashboard.cache.ts';
import { getClassRoster, getDashboard, type DashboardDeps } from './dashboard.service.ts';

export interface DashboardRouteDeps {
  dashboard: DashboardDeps;
  auth: Auth;
  cache: DashboardCache<EncodedBody>;
  /**
   * Benchmarks: a request that says `x-count-queries: 1` is answered with `x-db-queries`, the SQL
   * queries it sent (identity included). Only such requests run in the counter's AsyncLocalStorage:
   * on Node 20 its promise hooks, once on, slow every request, so the bench's load lines must not
   * turn them on.
   */
  countQueries?: boolean;
}

export async function dashboardRoutes(appBase: FastifyInstance, deps: DashboardRouteDeps): Promise<void> {
  const app = appBase.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/dashboard', { config: { criticality: 'critical' }, schema: { response: { 200: ZDashboard } } }, async (request, reply) => {
    const load = async (): Promise<EncodedBody> => {
      const actor = await deps.auth.require(request, reply);
      // Serialised once per build by the route's compiled schema (only its fields), then sent as is
      // (compressed once per build for the browsers that accept it).
      return deps.cache.getOrBuild(
        actor.userId,
        [...actor.enrolledClassIds, ...actor.childClassIds, ...actor.taughtClassIds],
        async () => new EncodedBody(reply.serialize(await getDashboard(deps.dashboard, actor)) as string),
      );
    };
    let body: EncodedBody;
    if (deps.countQueries && request.headers['x-count-queries'] === '1') {
      const counted = await countQueries(load);
      reply.header('x-db-queries', String(counted.queries));
      body = counted.result;
    } else {
      body = await load();
    }
    // Never kept by a shared computer's browser for the next person who signs in.
    // (Typed as the schema's object; the already serialised JSON goes out unchanged.)
    const out = reply as FastifyReply;
    out.header('cache-control', 'private, no-store').header('vary', 'accept-encoding').type('application/json; charset=utf-8');
    const encoding = pickEncoding(request.headers['accept-encoding']);
    const compressed = body.encoded(encoding);
    return compressed ? out.header('content-encoding', encoding).send(compressed) : out.send(body.json);
  });

  app.get(
    '/api/classes/:classId',
    { schema: { params: Type.Object({ classId: Type.String({ format: 'uuid' }) }), response: { 200: ZClassRoster } } },
    async (request, reply) => {
      const actor = await deps.auth.require(request, reply);
      return getClassRoster(deps.dashboard, actor, request.params.classId);
    },
  );
}
