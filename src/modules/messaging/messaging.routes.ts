/** Routes of the messagerie: thin adapters between HTTP and the messaging services. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sendBlob } from '../../platform/http/blob-response.ts';
import type { BlobStore } from '../../platform/storage/blob-store.ts';
import type { Auth } from '../identity/index.ts';
import { getAttachment } from './attachments.service.ts';
import { deleteThread, getThread, getUnreadCount, listThreads, updateThreadState } from './inbox.service.ts';
import {
  ZAttachmentParam,
  ZInboxPage,
  ZInboxQuery,
  ZNewThreadBody,
  ZRecipientOptions,
  ZRecipientQuery,
  ZReplyBody,
  ZRulesBody,
  ZRulesView,
  ZSchoolParam,
  ZSent,
  ZThreadParam,
  ZThreadStateBody,
  ZThreadView,
  ZUnreadCount,
} from './messaging.schemas.ts';
import { getRules, listRecipientOptions, setRules } from './recipients.service.ts';
import { replyToThread, startThread, type MessagingDeps } from './send.service.ts';

export interface MessagingRouteDeps {
  messaging: MessagingDeps;
  auth: Auth;
  /** Where attachments' contents are (the documents module's store). */
  blobs: BlobStore;
  /** Rate limit on sending, supplied by the front door (throws RATE_LIMITED when spent). */
  limits?: { send(userId: string): Promise<void> };
}

/** Messages are private: never kept by a shared computer's browser for the next person. */
/**
 * Reading and writing messages is among what must keep working under load (the front door sheds
 * `normal` routes first): the rules pages stay `normal`.
 */
const CRITICAL = { criticality: 'critical' } as const;
/** The inbox is critical; a search in it (`?q=`) is sheddable, shed first under load. */
const INBOX = { criticality: (request: FastifyRequest) => ((request.query as { q?: unknown }).q ? 'sheddable' : 'critical') } as const;

const privately = (reply: FastifyReply): FastifyReply => reply.header('cache-control', 'private, no-store');

export async function messagingRoutes(appBase: FastifyInstance, deps: MessagingRouteDeps): Promise<void> {
  const app = appBase.withTypeProvider<TypeBoxTypeProvider>();
  const { messaging, auth, limits } = deps;

  app.get('/api/messages/threads', { config: INBOX, schema: { querystring: ZInboxQuery, response: { 200: ZInboxPage } } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    privately(reply);
    return listThreads(messaging, actor, request.query);
  });

  app.post('/api/messages/threads', { config: CRITICAL, schema: { body: ZNewThreadBody, response: { 201: ZSent } } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    await limits?.send(actor.userId);
    return reply.code(201).send(await startThread(messaging, actor, request.body));
  });

  app.get('/api/messages/threads/:threadId', { config: CRITICAL, schema: { params: ZThreadParam, response: { 200: ZThreadView } } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    privately(reply);
    return getThread(messaging, actor, request.params.threadId);
  });

  app.patch('/api/messages/threads/:threadId', { config: CRITICAL, schema: { params: ZThreadParam, body: ZThreadStateBody } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    await updateThreadState(messaging, actor, request.params.threadId, request.body);
    return reply.code(204).send();
  });

  app.delete('/api/messages/threads/:threadId', { config: CRITICAL, schema: { params: ZThreadParam } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    await deleteThread(messaging, actor, request.params.threadId);
    return reply.code(204).send();
  });

  app.post(
    '/api/messages/threads/:threadId/replies',
    { config: CRITICAL, schema: { params: ZThreadParam, body: ZReplyBody, response: { 201: ZSent } } },
    async (request, reply) => {
      const actor = await auth.require(request, reply);
      await limits?.send(actor.userId);
      return reply.code(201).send(await replyToThread(messaging, actor, request.params.threadId, request.body));
    },
  );

  app.get(
    '/api/messages/:messageId/attachments/:fileId/content',
    { config: CRITICAL, schema: { params: ZAttachmentParam } },
    async (request, reply) => {
      const actor = await auth.require(request, reply);
      const file = await getAttachment(messaging, actor, request.params.messageId, request.params.fileId);
      return sendBlob(request, reply, deps.blobs, file);
    },
  );

  app.get('/api/messages/unread-count', { config: CRITICAL, schema: { response: { 200: ZUnreadCount } } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    privately(reply);
    return getUnreadCount(messaging, actor);
  });

  app.get('/api/messages/recipients', { config: CRITICAL, schema: { querystring: ZRecipientQuery, response: { 200: ZRecipientOptions } } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    privately(reply);
    return listRecipientOptions(messaging, actor, request.query);
  });

  app.get('/api/schools/:schoolId/messaging-rules', { schema: { params: ZSchoolParam, response: { 200: ZRulesView } } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    return getRules(messaging, actor, request.params.schoolId);
  });

  app.put(
    '/api/schools/:schoolId/messaging-rules',
    { schema: { params: ZSchoolParam, body: ZRulesBody, response: { 200: ZRulesView } } },
    async (request, reply) => {
      const actor = await auth.require(request, reply);
      return setRules(messaging, actor, request.params.schoolId, request.body);
    },
  );
}
