import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Auth } from '../identity/index.ts';
import { ZClassRoster, ZDashboard } from './dashboard.schemas.ts';
import type { DashboardCache } from './dashboard.cache.ts';
import { getClassRoster, getDashboard, type DashboardDeps } from './dashboard.service.ts';

export async function dashboardRoutes(appBase: FastifyInstance, deps: { dashboard: DashboardDeps; auth: Auth; cache: DashboardCache }): Promise<void> {
  const app = appBase.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/dashboard', { config: { criticality: 'critical' }, schema: { response: { 200: ZDashboard } } }, async (request, reply) => {
    const actor = await deps.auth.require(request, reply);
    // Never kept by a shared computer's browser for the next person who signs in.
    reply.header('cache-control', 'private, no-store');
    return deps.cache.getOrBuild(actor.userId, () => getDashboard(deps.dashboard, actor));
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
