/** HTTP routes of the timetable: thin — parse, identify, call the use case, send. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Auth } from '../identity/index.ts';
import { getFeed, regenerateFeed, renderFeed, revokeFeed } from './calendar-feed.service.ts';
import { getPresence, joinOccurrence } from './join.service.ts';
import { createLesson, deleteLesson, getLesson, setLessonVirtual, updateLesson } from './lessons.service.ts';
import {
  cancelOccurrence,
  moveOccurrence,
  restoreOccurrence,
  setOccurrenceVirtual,
  setSubstitute,
  unmoveOccurrence,
} from './occurrence-changes.service.ts';
import {
  ZCalendarFeed,
  ZCancelBody,
  ZFeedParams,
  ZJoin,
  ZLesson,
  ZLessonBody,
  ZLessonParams,
  ZLessonVirtualBody,
  ZMoveBody,
  ZOccurrence,
  ZOccurrenceParams,
  ZOccurrenceVirtualBody,
  ZPresence,
  ZSubstituteBody,
  ZTimetable,
  ZTimetableContext,
  ZTimetableQuery,
} from './timetable.schemas.ts';
import { getTimetable, getTimetableContext, type TimetableDeps } from './timetable.service.ts';

/** At 9:00 the week, « Rejoindre » and the page's context are what must answer (front door shedding classes). */
const CRITICAL = { criticality: 'critical' } as const;

export interface TimetableRouteDeps {
  timetable: TimetableDeps;
  auth: Auth;
}

export async function timetableRoutes(appBase: FastifyInstance, deps: TimetableRouteDeps): Promise<void> {
  const app = appBase.withTypeProvider<TypeBoxTypeProvider>();
  const { auth, timetable: d } = deps;
  const occurrence = { params: ZOccurrenceParams, response: { 200: ZOccurrence } };
  const lesson = { params: ZLessonParams, response: { 200: ZLesson } };

  app.get('/api/timetable', { config: CRITICAL, schema: { querystring: ZTimetableQuery, response: { 200: ZTimetable } } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    reply.header('cache-control', 'private, no-store');
    return getTimetable(d, actor, request.query);
  });
  app.get('/api/timetable/context', { config: CRITICAL, schema: { response: { 200: ZTimetableContext } } }, async (request, reply) =>
    getTimetableContext(d, await auth.require(request, reply)),
  );

  app.post('/api/timetable/lessons', { schema: { body: ZLessonBody, response: { 201: ZLesson } } }, async (request, reply) => {
    const created = await createLesson(d, await auth.require(request, reply), request.body);
    return reply.code(201).send(created);
  });
  app.get('/api/timetable/lessons/:lessonId', { schema: lesson }, async (request, reply) =>
    getLesson(d, await auth.require(request, reply), request.params.lessonId),
  );
  app.put('/api/timetable/lessons/:lessonId', { schema: { ...lesson, body: ZLessonBody } }, async (request, reply) =>
    updateLesson(d, await auth.require(request, reply), request.params.lessonId, request.body),
  );
  app.delete('/api/timetable/lessons/:lessonId', { schema: { params: ZLessonParams } }, async (request, reply) => {
    await deleteLesson(d, await auth.require(request, reply), request.params.lessonId);
    return reply.code(204).send();
  });
  app.put('/api/timetable/lessons/:lessonId/virtual', { schema: { ...lesson, body: ZLessonVirtualBody } }, async (request, reply) =>
    setLessonVirtual(d, await auth.require(request, reply), request.params.lessonId, request.body),
  );

  app.post('/api/lessons/:occurrenceId/cancellation', { schema: { ...occurrence, body: ZCancelBody } }, async (request, reply) =>
    cancelOccurrence(d, await auth.require(request, reply), request.params.occurrenceId, request.body),
  );
  app.delete('/api/lessons/:occurrenceId/cancellation', { schema: occurrence }, async (request, reply) =>
    restoreOccurrence(d, await auth.require(request, reply), request.params.occurrenceId),
  );
  app.put('/api/lessons/:occurrenceId/move', { schema: { ...occurrence, body: ZMoveBody } }, async (request, reply) =>
    moveOccurrence(d, await auth.require(request, reply), request.params.occurrenceId, request.body),
  );
  app.delete('/api/lessons/:occurrenceId/move', { schema: occurrence }, async (request, reply) =>
    unmoveOccurrence(d, await auth.require(request, reply), request.params.occurrenceId),
  );
  app.put('/api/lessons/:occurrenceId/substitute', { schema: { ...occurrence, body: ZSubstituteBody } }, async (request, reply) =>
    setSubstitute(d, await auth.require(request, reply), request.params.occurrenceId, request.body),
  );
  app.delete('/api/lessons/:occurrenceId/substitute', { schema: occurrence }, async (request, reply) =>
    setSubstitute(d, await auth.require(request, reply), request.params.occurrenceId, null),
  );
  app.put('/api/lessons/:occurrenceId/virtual', { schema: { ...occurrence, body: ZOccurrenceVirtualBody } }, async (request, reply) =>
    setOccurrenceVirtual(d, await auth.require(request, reply), request.params.occurrenceId, request.body),
  );
  app.post('/api/lessons/:occurrenceId/join', { config: CRITICAL, schema: { params: ZOccurrenceParams, response: { 200: ZJoin } } }, async (request, reply) =>
    joinOccurrence(d, await auth.require(request, reply), request.params.occurrenceId),
  );
  app.get('/api/lessons/:occurrenceId/presence', { schema: { params: ZOccurrenceParams, response: { 200: ZPresence } } }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    reply.header('cache-control', 'private, no-store');
    return getPresence(d, actor, request.params.occurrenceId);
  });

  const feed = { response: { 200: ZCalendarFeed } };
  app.get('/api/timetable/calendar-feed', { schema: feed }, async (request, reply) => {
    const actor = await auth.require(request, reply);
    reply.header('cache-control', 'private, no-store');
    return getFeed(d, actor);
  });
  app.post('/api/timetable/calendar-feed', { schema: feed }, async (request, reply) => regenerateFeed(d, await auth.require(request, reply)));
  app.delete('/api/timetable/calendar-feed', { schema: feed }, async (request, reply) => revokeFeed(d, await auth.require(request, reply)));

  // The private calendar feed: no session (calendar apps have none); the token in the URL is the credential.
  // Sheddable: under overload a calendar app simply tries again later (Retry-After).
  app.get('/ical/:file', { config: { criticality: 'sheddable' }, schema: { params: ZFeedParams, response: { 200: Type.String() } } }, async (request, reply) => {
    const text = await renderFeed(d, request.params.file);
    return reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('content-disposition', 'inline; filename="preau.ics"')
      .header('cache-control', 'private, max-age=300')
      .header('x-robots-tag', 'noindex')
      .send(text);
  });
}
