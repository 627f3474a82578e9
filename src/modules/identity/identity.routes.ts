/** Routes of the identity module: thin adapters between HTTP and identity.service. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Auth } from './identity.http.ts';
import { deviceOf } from './identity.http.ts';
import * as service from './identity.service.ts';
import {
  ZActivateBody,
  ZActivationCheck,
  ZActivationCheckBody,
  ZIdParam,
  ZLoginBody,
  ZMe,
  ZSessionList,
  ZUpdateMeBody,
} from './identity.schemas.ts';

export interface IdentityRouteDeps {
  identity: service.IdentityDeps;
  auth: Auth;
  /** Rate-limit hooks supplied by the front door (per account and per address). */
  limits: {
    signIn(login: string, ip: string): Promise<void>;
    signInFailed(login: string, ip: string): Promise<void>;
    activation(ip: string): Promise<void>;
  };
}

const ZCsrf = Type.Object({ csrfToken: Type.String() });
const CRITICAL = { criticality: 'critical' } as const;

export async function identityRoutes(appBase: FastifyInstance, deps: IdentityRouteDeps): Promise<void> {
  const app = appBase.withTypeProvider<TypeBoxTypeProvider>();
  const { identity, auth, limits } = deps;

  const respondMe = async (reply: FastifyReply, userId: string, sessionId: string) => {
    const me = await service.getMe(identity, userId);
    return { ...me, csrfToken: reply.generateCsrf({ userInfo: sessionId }) };
  };

  const startSession = async (request: FastifyRequest, reply: FastifyReply, session: service.NewSession) => {
    auth.setCookies(reply, session);
    const me = await respondMe(reply, session.userId, session.sessionId);
    await auth.grantLane(request, reply, session.userId, me.roles.map((r) => r.role));
    return me;
  };

  app.get('/api/auth/csrf', { config: CRITICAL, schema: { response: { 200: ZCsrf } } }, async (request, reply) => ({
    csrfToken: reply.generateCsrf({ userInfo: auth.sessionIdOf(request) ?? 'anonymous' }),
  }));

  app.post('/api/auth/login', { config: CRITICAL, schema: { body: ZLoginBody, response: { 200: ZMe } } }, async (request, reply) => {
    await limits.signIn(request.body.login, request.ip);
    try {
      const session = await service.signIn(identity, { ...request.body, remember: request.body.remember ?? true }, deviceOf(request));
      return await startSession(request, reply, session);
    } catch (error) {
      await limits.signInFailed(request.body.login, request.ip);
      throw error;
    }
  });

  app.post('/api/auth/logout', { config: CRITICAL }, async (request, reply) => {
    const who = await auth.identify(request, reply);
    if (who) await service.signOut(identity, who.userId, who.sessionId);
    auth.clearCookies(reply);
    return reply.code(204).send();
  });

  app.post('/api/auth/activation/check', { schema: { body: ZActivationCheckBody, response: { 200: ZActivationCheck } } }, async (request) => {
    await limits.activation(request.ip);
    return service.checkActivationCode(identity, request.body.code);
  });

  app.post('/api/auth/activation', { config: CRITICAL, schema: { body: ZActivateBody, response: { 200: ZMe } } }, async (request, reply) => {
    await limits.activation(request.ip);
    const session = await service.activate(identity, { ...request.body, remember: request.body.remember ?? true }, deviceOf(request));
    return startSession(request, reply, session);
  });

  app.get('/api/me', { config: CRITICAL, schema: { response: { 200: ZMe } } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    return respondMe(reply, actor.userId, actor.sessionId);
  });

  app.patch('/api/me', { schema: { body: ZUpdateMeBody, response: { 200: ZMe } } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    const me = await service.updateLocale(identity, actor, request.body.locale);
    return { ...me, csrfToken: reply.generateCsrf({ userInfo: actor.sessionId }) };
  });

  app.get('/api/me/sessions', { schema: { response: { 200: ZSessionList } } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    return { sessions: await service.listSessions(identity, actor) };
  });

  app.delete('/api/me/sessions/:id', { schema: { params: ZIdParam } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    await service.revokeSession(identity, actor, request.params.id);
    if (request.params.id === actor.sessionId) auth.clearCookies(reply);
    return reply.code(204).send();
  });
}
