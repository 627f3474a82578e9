/**
 * Homework over HTTP: the cahier de textes of a class and subject, homework items and lesson
 * entries, hand-ins and reviews, and downloads of attachments and handed-in files. Thin: parse,
 * `auth.require`, call the service, send. Files are uploaded beforehand through POST /api/files
 * (documents module) and referenced here by id.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sendBlob } from '../../platform/http/blob-response.ts';
import type { BlobStore } from '../../platform/storage/blob-store.ts';
import type { Auth } from '../identity/index.ts';
import * as cahier from './cahier.service.ts';
import * as S from './homework.schemas.ts';
import type { HomeworkDeps } from './homework.service.ts';
import * as submissions from './submissions.service.ts';

export interface HomeworkRouteDeps {
  homework: HomeworkDeps;
  auth: Auth;
  blobs: BlobStore;
}

const PRIVATE = 'private, no-store';

export async function homeworkRoutes(appBase: FastifyInstance, deps: HomeworkRouteDeps): Promise<void> {
  const app = appBase.withTypeProvider<TypeBoxTypeProvider>();
  const { auth, homework: hw } = deps;
  // Pupils' work and marks are never kept by a shared computer's browser (downloads set their own).
  app.addHook('onSend', async (request, reply) => {
    if (request.method === 'GET' && !reply.hasHeader('cache-control')) reply.header('cache-control', PRIVATE);
  });

  app.get('/api/homework/teaching', { schema: { response: { 200: S.ZTeachingList } } }, async (request, reply) =>
    cahier.listTeaching(hw, await auth.require(request, reply)),
  );

  app.get('/api/homework/pupils', { schema: { response: { 200: S.ZFollowedPupils } } }, async (request, reply) =>
    submissions.listFollowedPupils(hw, await auth.require(request, reply)),
  );

  app.get(
    '/api/classes/:classId/homework',
    { schema: { params: S.ZClassParam, querystring: S.ZClassHomeworkQuery, response: { 200: S.ZClassHomework } } },
    async (request, reply) => cahier.getClassHomework(hw, await auth.require(request, reply), request.params.classId, request.query),
  );

  app.post(
    '/api/classes/:classId/homework',
    { schema: { params: S.ZClassParam, body: S.ZHomeworkBody, response: { 201: S.ZHomework } } },
    async (request, reply) => {
      const actor = await auth.require(request, reply);
      return reply.code(201).send(await cahier.createHomework(hw, actor, request.params.classId, request.body));
    },
  );

  app.post(
    '/api/classes/:classId/homework/lessons',
    { schema: { params: S.ZClassParam, body: S.ZLessonBody, response: { 201: S.ZLesson } } },
    async (request, reply) => {
      const actor = await auth.require(request, reply);
      return reply.code(201).send(await cahier.createLesson(hw, actor, request.params.classId, request.body));
    },
  );

  app.patch(
    '/api/homework/lessons/:lessonId',
    { schema: { params: S.ZLessonParam, body: S.ZLessonPatch, response: { 200: S.ZLesson } } },
    async (request, reply) => cahier.updateLesson(hw, await auth.require(request, reply), request.params.lessonId, request.body),
  );

  app.delete('/api/homework/lessons/:lessonId', { schema: { params: S.ZLessonParam } }, async (request, reply) => {
    await cahier.deleteLesson(hw, await auth.require(request, reply), request.params.lessonId);
    return reply.code(204).send();
  });

  app.patch(
    '/api/homework/:homeworkId',
    { schema: { params: S.ZHomeworkParam, body: S.ZHomeworkPatch, response: { 200: S.ZHomework } } },
    async (request, reply) => cahier.updateHomework(hw, await auth.require(request, reply), request.params.homeworkId, request.body),
  );

  app.delete('/api/homework/:homeworkId', { schema: { params: S.ZHomeworkParam } }, async (request, reply) => {
    await cahier.deleteHomework(hw, await auth.require(request, reply), request.params.homeworkId);
    return reply.code(204).send();
  });

  for (const [action, closed] of [['close', true], ['reopen', false]] as const) {
    app.post(
      `/api/homework/:homeworkId/${action}`,
      { schema: { params: S.ZHomeworkParam, response: { 200: S.ZHomework } } },
      async (request, reply) => cahier.setHomeworkClosed(hw, await auth.require(request, reply), request.params.homeworkId, closed),
    );
  }

  app.get('/api/homework/:homeworkId/attachments/:fileId/content', { config: { criticality: 'critical' }, schema: { params: S.ZAttachmentParam } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    const file = await cahier.openAttachment(hw, actor, request.params.homeworkId, request.params.fileId);
    return sendBlob(request, reply, deps.blobs, file);
  });

  app.get(
    '/api/homework/:homeworkId/submissions',
    { schema: { params: S.ZHomeworkParam, response: { 200: S.ZReviewPage } } },
    async (request, reply) => submissions.getReviewPage(hw, await auth.require(request, reply), request.params.homeworkId),
  );

  // A hand-in near its deadline is kept when the platform sheds load.
  app.put(
    '/api/homework/:homeworkId/submission',
    { config: { criticality: 'critical' }, schema: { params: S.ZHomeworkParam, body: S.ZSubmissionBody, response: { 200: S.ZSubmission } } },
    async (request, reply) => submissions.handIn(hw, await auth.require(request, reply), request.params.homeworkId, request.body),
  );

  app.get(
    '/api/pupils/:pupilId/homework',
    { schema: { params: S.ZPupilParam, querystring: S.ZRangeQuery, response: { 200: S.ZPupilHomework } } },
    async (request, reply) => submissions.getPupilHomework(hw, await auth.require(request, reply), request.params.pupilId, request.query),
  );

  app.get(
    '/api/submissions/:submissionId',
    { schema: { params: S.ZSubmissionParam, response: { 200: S.ZSubmission } } },
    async (request, reply) => submissions.getSubmission(hw, await auth.require(request, reply), request.params.submissionId),
  );

  app.put(
    '/api/submissions/:submissionId/review',
    { schema: { params: S.ZSubmissionParam, body: S.ZReviewBody, response: { 200: S.ZSubmission } } },
    async (request, reply) => submissions.reviewSubmission(hw, await auth.require(request, reply), request.params.submissionId, request.body),
  );

  app.get('/api/submissions/:submissionId/files/:fileId/content', { config: { criticality: 'critical' }, schema: { params: S.ZSubmissionFileParam } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    const file = await submissions.openSubmissionFile(hw, actor, request.params.submissionId, request.params.fileId);
    return sendBlob(request, reply, deps.blobs, file);
  });
}
