import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FrontDoorControl } from '../../front-door/front-door.plugin.ts';
import type { Auth } from '../identity/index.ts';
import { ZFrontDoorSettings, ZFrontDoorView } from './operations.schemas.ts';
import { getFrontDoor, updateFrontDoor } from './operations.service.ts';

export async function operationsRoutes(appBase: FastifyInstance, deps: { auth: Auth; frontDoor: FrontDoorControl }): Promise<void> {
  const app = appBase.withTypeProvider<TypeBoxTypeProvider>();
  // Operators must reach these even when the platform sheds load.
  const config = { criticality: 'critical' } as const;
  app.get('/api/operator/front-door', { config, schema: { response: { 200: ZFrontDoorView } } }, async (request, reply) =>
    getFrontDoor(deps.frontDoor, await deps.auth.require(request, reply)),
  );
  app.put('/api/operator/front-door', { config, schema: { body: ZFrontDoorSettings, response: { 200: ZFrontDoorView } } }, async (request, reply) =>
    updateFrontDoor(deps.frontDoor, await deps.auth.require(request, reply), request.body),
  );
}
