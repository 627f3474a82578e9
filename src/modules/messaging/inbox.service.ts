/** Reading and keeping one's messages: the inbox, a thread, read/unread, archive, delete for oneself. */
import { notFound } from '../../shared/errors.ts';
import { authorize, type Actor } from '../access/index.ts';
import type { TInboxPage, TInboxQuery, TThreadStateBody, TThreadSummary, TThreadView } from './messaging.schemas.ts';
import * as store from './messaging.store.ts';
import type { MessagingDeps } from './send.service.ts';

const DEFAULT_PAGE = 20;

const iso = (value: string | Date): string => new Date(value).toISOString();

function toSummary(row: store.InboxRow): TThreadSummary {
  return {
    id: row.id,
    subject: row.subject,
    schoolId: row.schoolId,
    unreadCount: row.unreadCount,
    messageCount: row.messageCount,
    archived: row.archived,
    lastMessage: { ...row.lastMessage, sentAt: iso(row.lastMessage.sentAt) },
    participants: row.participants,
  };
}

/** A page of the person's conversations (inbox or archive), optionally searched: one query. */
export async function listThreads(deps: MessagingDeps, actor: Actor, query: TInboxQuery): Promise<TInboxPage> {
  authorize(actor, 'self.read');
  const limit = query.limit ?? DEFAULT_PAGE;
  const offset = query.offset ?? 0;
  const rows = await store.findInbox(deps.db, { userId: actor.userId, archived: query.folder === 'archive', q: query.q ?? '', limit, offset });
  return { threads: rows.map(toSummary), total: rows[0]?.total ?? 0, limit, offset };
}

/** The newest conversations of one person (the dashboard's card): one query. */
export async function listRecentThreads(deps: MessagingDeps, userId: string, limit: number): Promise<TThreadSummary[]> {
  const rows = await store.findInbox(deps.db, { userId, archived: false, q: '', limit, offset: 0 });
  return rows.map(toSummary);
}

/**
 * A conversation as this person has it (their copies: sent or received, not deleted), which it
 * then marks read. NOT_FOUND when they have none: nobody learns whether it exists.
 */
export async function getThread(deps: MessagingDeps, actor: Actor, threadId: string): Promise<TThreadView> {
  const rows = await store.findThreadMessages(deps.db, actor.userId, threadId);
  const first = rows[0];
  if (!first) throw notFound('Conversation');
  for (const m of rows) {
    authorize(actor, 'messaging.message.read', { senderId: m.sender.id, recipientIds: m.isMine ? [] : [actor.userId] });
  }
  if (rows.some((m) => m.wasUnread)) await store.setThreadRead(deps.db, actor.userId, threadId, true);
  return {
    id: threadId,
    subject: first.subject,
    schoolId: first.schoolId,
    archived: rows.every((m) => m.archived),
    messages: rows.map((m) => ({
      id: m.id,
      sender: m.sender,
      isMine: m.isMine,
      body: m.body,
      sentAt: iso(m.sentAt),
      inReplyTo: m.inReplyTo,
      audience: m.audience,
      recipientCount: m.recipientCount,
      wasUnread: m.wasUnread,
      attachments: m.attachments,
    })),
  };
}

/** Marks a conversation read or unread, archives it or brings it back, for this person only. */
export async function updateThreadState(deps: MessagingDeps, actor: Actor, threadId: string, change: TThreadStateBody): Promise<void> {
  authorize(actor, 'self.read');
  await deps.db.transaction().execute(async (tx) => {
    if (!(await store.hasLiveCopy(tx, actor.userId, threadId))) throw notFound('Conversation');
    if (change.read !== undefined) await store.setThreadRead(tx, actor.userId, threadId, change.read);
    if (change.archived !== undefined) await store.setThreadArchived(tx, actor.userId, threadId, change.archived);
  });
}

/** Deletes a conversation for this person only: others keep theirs; a later reply brings it back. */
export async function deleteThread(deps: MessagingDeps, actor: Actor, threadId: string): Promise<void> {
  authorize(actor, 'self.read');
  if ((await store.deleteThreadCopies(deps.db, actor.userId, threadId)) === 0) throw notFound('Conversation');
}

/** The person's unread messages. */
export async function getUnreadCount(deps: MessagingDeps, actor: Actor): Promise<{ count: number }> {
  authorize(actor, 'self.read');
  const counts = await store.countUnread(deps.db, [actor.userId]);
  return { count: counts[actor.userId] ?? 0 };
}
