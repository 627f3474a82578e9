/** The timetable's calls to the server, on the shared HTTP contract (types only). */
import { api, request } from '../../lib/api-client.ts';
import type {
  TCalendarFeed,
  TJoin,
  TLesson,
  TLessonBody,
  TMoveBody,
  TOccurrence,
  TPresence,
  TTimetable,
  TTimetableContext,
} from '../../../../src/modules/timetable/timetable.schemas.ts';

export type { TCalendarFeed, TJoin, TLesson, TLessonBody, TMoveBody, TOccurrence, TPresence, TTimetable, TTimetableContext };
export type Scope = TTimetableContext['scopes'][number];
export type ManagedSchool = TTimetableContext['manage'][number];

const occurrence = (id: string) => `/api/lessons/${encodeURIComponent(id)}`;
const lesson = (id: string) => `/api/timetable/lessons/${encodeURIComponent(id)}`;
const put = <T>(path: string, json: unknown) => request<T>(path, { method: 'PUT', json });
const remove = <T>(path: string) => request<T>(path, { method: 'DELETE' });

export const timetableApi = {
  context: (signal?: AbortSignal) => api.get<TTimetableContext>('/api/timetable/context', { signal }),
  week: (scope: Scope, from: string, to: string, signal?: AbortSignal) =>
    api.get<TTimetable>('/api/timetable', {
      query: {
        from,
        to,
        classId: scope.kind === 'class' ? (scope.id ?? undefined) : undefined,
        pupilId: scope.kind === 'pupil' ? (scope.id ?? undefined) : undefined,
      },
      signal,
    }),
  join: (id: string) => api.post<TJoin>(`${occurrence(id)}/join`),
  presence: (id: string, signal?: AbortSignal) => api.get<TPresence>(`${occurrence(id)}/presence`, { signal }),
  cancel: (id: string, reason: string) => api.post<TOccurrence>(`${occurrence(id)}/cancellation`, { reason }),
  restore: (id: string) => remove<TOccurrence>(`${occurrence(id)}/cancellation`),
  move: (id: string, body: TMoveBody) => put<TOccurrence>(`${occurrence(id)}/move`, body),
  unmove: (id: string) => remove<TOccurrence>(`${occurrence(id)}/move`),
  substitute: (id: string, teacherId: string) => put<TOccurrence>(`${occurrence(id)}/substitute`, { teacherId }),
  unsubstitute: (id: string) => remove<TOccurrence>(`${occurrence(id)}/substitute`),
  setOccurrenceVirtual: (id: string, kind: 'inherit' | 'url' | 'room', url?: string) =>
    put<TOccurrence>(`${occurrence(id)}/virtual`, kind === 'url' ? { kind, url } : { kind }),
  setLessonVirtual: (lessonId: string, kind: 'none' | 'url' | 'room', url?: string) =>
    put<TLesson>(`${lesson(lessonId)}/virtual`, kind === 'url' ? { kind, url } : { kind }),
  lesson: (lessonId: string) => api.get<TLesson>(lesson(lessonId)),
  createLesson: (body: TLessonBody) => api.post<TLesson>('/api/timetable/lessons', body),
  updateLesson: (lessonId: string, body: TLessonBody) => put<TLesson>(lesson(lessonId), body),
  deleteLesson: (lessonId: string) => remove<void>(lesson(lessonId)),
  feed: (signal?: AbortSignal) => api.get<TCalendarFeed>('/api/timetable/calendar-feed', { signal }),
  regenerateFeed: () => api.post<TCalendarFeed>('/api/timetable/calendar-feed'),
  revokeFeed: () => remove<TCalendarFeed>('/api/timetable/calendar-feed'),
};
