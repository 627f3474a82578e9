import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Auth } from '../identity/index.ts';
import { ZActivationCode, ZImportQuery, ZImportResult, ZPeoplePage, ZPeopleQuery, ZPersonParam, ZSchoolParam } from './schools.schemas.ts';
import { importSchoolPeople, listPeople, reissueActivationCode, type SchoolsDeps } from './schools.service.ts';

/** CSV files up to 10 MB (a lycée of 2 500 pupils with parents is well under 1 MB). */
export const IMPORT_BODY_LIMIT = 10 * 1024 * 1024;

export async function schoolsRoutes(appBase: FastifyInstance, deps: { schools: SchoolsDeps; auth: Auth }): Promise<void> {
  const app = appBase.withTypeProvider<TypeBoxTypeProvider>();
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );

  app.post(
    '/api/schools/:schoolId/imports',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: { params: ZSchoolParam, querystring: ZImportQuery, body: Type.String(), response: { 200: ZImportResult } },
    },
    async (request, reply) => {
      const actor = await deps.auth.require(request, reply);
      return importSchoolPeople(deps.schools, actor, {
        schoolId: request.params.schoolId,
        csv: request.body,
        dryRun: request.query.dryRun ?? false,
      });
    },
  );

  app.get(
    '/api/schools/:schoolId/people',
    // A search: the first thing shed under overload.
    { config: { criticality: 'sheddable' }, schema: { params: ZSchoolParam, querystring: ZPeopleQuery, response: { 200: ZPeoplePage } } },
    async (request, reply) => {
      const actor = await deps.auth.require(request, reply);
      return listPeople(deps.schools, actor, request.params.schoolId, request.query);
    },
  );

  app.post(
    '/api/schools/:schoolId/people/:userId/activation-code',
    { schema: { params: ZPersonParam, response: { 200: ZActivationCode } } },
    async (request, reply) => {
      const actor = await deps.auth.require(request, reply);
      return reissueActivationCode(deps.schools, actor, request.params.schoolId, request.params.userId);
    },
  );
}
