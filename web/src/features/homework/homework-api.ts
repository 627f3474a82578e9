/**
 * The homework pages' calls, typed by the server's schemas (types only: nothing of TypeBox
 * reaches the bundle). Files go first to POST /api/files (documents module), then by id.
 */
import { currentMe } from '../../app/session.ts';
import { api, ApiError, request, setCsrfToken } from '../../lib/api-client.ts';
import type {
  TClassHomework,
  TFileRef,
  TFollowedPupils,
  THomework,
  THomeworkBody,
  THomeworkPatch,
  TLesson,
  TLessonBody,
  TPupilHomework,
  TReviewBody,
  TReviewPage,
  TSubmission,
  TSubmissionBody,
  TTeachingList,
} from '../../../../src/modules/homework/homework.schemas.ts';

export type {
  TClassHomework,
  TFileRef,
  TFollowedPupils,
  THomework,
  THomeworkStatus,
  TLesson,
  TPupilHomework,
  TPupilHomeworkItem,
  TReviewPage,
  TSubmission,
  TTeachingList,
} from '../../../../src/modules/homework/homework.schemas.ts';

const id = encodeURIComponent;

export const homeworkApi = {
  teaching: (signal?: AbortSignal) => api.get<TTeachingList>('/api/homework/teaching', { signal }),
  pupils: (signal?: AbortSignal) => api.get<TFollowedPupils>('/api/homework/pupils', { signal }),
  classHomework: (classId: string, subject: string, signal?: AbortSignal) =>
    api.get<TClassHomework>(`/api/classes/${id(classId)}/homework`, { query: { subject }, signal }),
  createHomework: (classId: string, body: THomeworkBody) => api.post<THomework>(`/api/classes/${id(classId)}/homework`, body),
  updateHomework: (homeworkId: string, body: THomeworkPatch) => api.patch<THomework>(`/api/homework/${id(homeworkId)}`, body),
  deleteHomework: (homeworkId: string) => api.delete(`/api/homework/${id(homeworkId)}`),
  setClosed: (homeworkId: string, closed: boolean) => api.post<THomework>(`/api/homework/${id(homeworkId)}/${closed ? 'close' : 'reopen'}`),
  createLesson: (classId: string, body: TLessonBody) => api.post<TLesson>(`/api/classes/${id(classId)}/homework/lessons`, body),
  deleteLesson: (lessonId: string) => api.delete(`/api/homework/lessons/${id(lessonId)}`),
  pupilHomework: (pupilId: string, signal?: AbortSignal) => api.get<TPupilHomework>(`/api/pupils/${id(pupilId)}/homework`, { signal }),
  handIn: (homeworkId: string, body: TSubmissionBody) => request<TSubmission>(`/api/homework/${id(homeworkId)}/submission`, { method: 'PUT', json: body }),
  review: (homeworkId: string, signal?: AbortSignal) => api.get<TReviewPage>(`/api/homework/${id(homeworkId)}/submissions`, { signal }),
  saveReview: (submissionId: string, body: TReviewBody) => request<TSubmission>(`/api/submissions/${id(submissionId)}/review`, { method: 'PUT', json: body }),
};

export const attachmentUrl = (homeworkId: string, fileId: string): string => `/api/homework/${id(homeworkId)}/attachments/${id(fileId)}/content`;
export const submissionFileUrl = (submissionId: string, fileId: string): string => `/api/submissions/${id(submissionId)}/files/${id(fileId)}/content`;

let uploadToken: string | null = null;

/** Multipart uploads, which the shared client does not send: same CSRF header, same error shape. */
async function postForm<T>(path: string, form: FormData, retry = true): Promise<T> {
  const token = uploadToken ?? currentMe()?.csrfToken ?? '';
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers: { accept: 'application/json', 'x-csrf-token': token }, body: form, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Le serveur ne répond pas. Vérifiez votre connexion.');
  }
  const json: unknown = await response.json().catch(() => null);
  if (response.ok) return json as T;
  const error = (json as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  const failure = new ApiError(response.status, error?.code ?? 'HTTP', error?.message ?? response.statusText, error?.details);
  if (retry && response.status === 403 && /csrf/i.test(`${failure.code} ${failure.message}`)) {
    uploadToken = (await api.get<{ csrfToken: string }>('/api/auth/csrf')).csrfToken;
    setCsrfToken(uploadToken);
    return postForm<T>(path, form, false);
  }
  throw failure;
}

/** Uploads one file to the person's files; returns its reference to attach. */
export async function uploadFile(file: File): Promise<TFileRef> {
  const form = new FormData();
  form.append('file', file, file.name);
  const uploaded = await postForm<TFileRef | { file: TFileRef }>('/api/files', form);
  return 'file' in uploaded ? uploaded.file : uploaded;
}
