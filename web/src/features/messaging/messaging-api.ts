/** The messagerie's HTTP calls, typed by the server's own schemas. */
import { api, request } from '../../lib/api-client.ts';
import type {
  TInboxPage,
  TNewThreadBody,
  TRecipientOptions,
  TReplyBody,
  TRule,
  TRulesView,
  TSent,
  TThreadStateBody,
  TThreadView,
} from '../../../../src/modules/messaging/messaging.schemas.ts';

export type {
  TAttachment,
  TAudience,
  TGroup,
  TGroupRef,
  TInboxPage,
  TMessageView,
  TPersonRef,
  TRecipientOptions,
  TRecipientPerson,
  TRule,
  TRulesView,
  TThreadSummary,
  TThreadView,
} from '../../../../src/modules/messaging/messaging.schemas.ts';

const thread = (id: string): string => `/api/messages/threads/${encodeURIComponent(id)}`;

export const messagingApi = {
  inbox: (query: { folder?: 'inbox' | 'archive'; q?: string; limit?: number; offset?: number }, signal?: AbortSignal) =>
    api.get<TInboxPage>('/api/messages/threads', { query, signal }),
  thread: (id: string, signal?: AbortSignal) => api.get<TThreadView>(thread(id), { signal }),
  start: (body: TNewThreadBody) => api.post<TSent>('/api/messages/threads', body),
  reply: (threadId: string, body: TReplyBody) => api.post<TSent>(`${thread(threadId)}/replies`, body),
  setState: (threadId: string, state: TThreadStateBody) => api.patch<void>(thread(threadId), state),
  remove: (threadId: string) => api.delete(thread(threadId)),
  recipients: (query: { schoolId?: string; q?: string; limit?: number }, signal?: AbortSignal) =>
    api.get<TRecipientOptions>('/api/messages/recipients', { query, signal }),
  unreadCount: () => api.get<{ count: number }>('/api/messages/unread-count', { redirectOn401: false }),
  rules: (schoolId: string, signal?: AbortSignal) => api.get<TRulesView>(`/api/schools/${encodeURIComponent(schoolId)}/messaging-rules`, { signal }),
  saveRules: (schoolId: string, rules: TRule[]) =>
    request<TRulesView>(`/api/schools/${encodeURIComponent(schoolId)}/messaging-rules`, { method: 'PUT', json: { rules } }),
};
