/**
 * HTTP API of the documents module. `POST /api/files` is the generic upload every module uses
 * (messages, homework, hand-ins reference the returned id); the rest is the espace documentaire.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { sendBlob } from '../../platform/http/blob-response.ts';
import { receiveUpload } from '../../platform/http/uploads.ts';
import type { Auth } from '../identity/index.ts';
import {
  ZCreateFolder,
  ZFile,
  ZFolder,
  ZIdParams,
  ZLibrary,
  ZSetShares,
  ZSharedDocuments,
  ZShares,
  ZUpdateFile,
  ZUpdateFolder,
  ZUploadQuery,
} from './documents.schemas.ts';
import { deleteFile, getReadableFile, prepareUpload, recordUpload, updateFile, type DocumentsDeps } from './files.service.ts';
import { createFolder, deleteFolder, updateFolder } from './folders.service.ts';
import { getLibrary, listShared, setShares, unshare } from './shares.service.ts';

export interface DocumentsRouteDeps {
  documents: DocumentsDeps;
  auth: Auth;
  /** Rate limit on uploads per account (the front door's GCRA catalogue); none in route tests. */
  limits?: { upload(userId: string): Promise<void> };
}

export async function documentsRoutes(appBase: FastifyInstance, deps: DocumentsRouteDeps): Promise<void> {
  const app = appBase.withTypeProvider<TypeBoxTypeProvider>();
  const { auth, documents } = deps;
  const params = ZIdParams;

  // Hand-ins go through here: kept when the platform sheds load.
  app.post('/api/files', { config: { criticality: 'critical' }, schema: { querystring: ZUploadQuery, response: { 201: ZFile } } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    await deps.limits?.upload(actor.userId);
    const prepared = await prepareUpload(documents, actor, request.query);
    const upload = await receiveUpload(request, { store: documents.blobs, maxBytes: prepared.maxBytes, tooLargeMessage: prepared.tooLargeMessage });
    return reply.code(201).send(await recordUpload(documents, actor, prepared, upload));
  });

  app.get('/api/documents', { schema: { response: { 200: ZLibrary } } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    reply.header('cache-control', 'private, no-store');
    return getLibrary(documents, actor);
  });

  app.get(
    '/api/documents/shared',
    { schema: { querystring: Type.Object({ classId: Type.Optional(Type.String({ format: 'uuid' })) }), response: { 200: ZSharedDocuments } } },
    async (request, reply) => {
      const actor = await auth.require(request, reply);
      reply.header('cache-control', 'private, no-store');
      return listShared(documents, actor, request.query.classId);
    },
  );

  app.get('/api/documents/files/:id/content', { schema: { params } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    const file = await getReadableFile(documents, actor, request.params.id);
    return sendBlob(request, reply, documents.blobs, file);
  });

  app.patch('/api/documents/files/:id', { schema: { params, body: ZUpdateFile, response: { 200: ZFile } } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    return updateFile(documents, actor, request.params.id, request.body);
  });

  app.delete('/api/documents/files/:id', { schema: { params } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    await deleteFile(documents, actor, request.params.id);
    return reply.code(204).send();
  });

  app.post('/api/documents/folders', { schema: { body: ZCreateFolder, response: { 201: ZFolder } } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    return reply.code(201).send(await createFolder(documents, actor, request.body));
  });

  app.patch('/api/documents/folders/:id', { schema: { params, body: ZUpdateFolder, response: { 200: ZFolder } } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    return updateFolder(documents, actor, request.params.id, request.body);
  });

  app.delete('/api/documents/folders/:id', { schema: { params } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    await deleteFolder(documents, actor, request.params.id);
    return reply.code(204).send();
  });

  for (const kind of ['file', 'folder'] as const) {
    app.put(`/api/documents/${kind}s/:id/shares`, { schema: { params, body: ZSetShares, response: { 200: ZShares } } }, async (request, reply) => {
      const actor = await auth.require(request, reply);
      return setShares(documents, actor, kind, request.params.id, request.body);
    });
  }

  app.delete('/api/documents/shares/:id', { schema: { params } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    await unshare(documents, actor, request.params.id);
    return reply.code(204).send();
  });
}
