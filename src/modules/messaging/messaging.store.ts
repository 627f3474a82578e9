/**
 * The SQL of reading and keeping messages. Everything a person sees is read through their own
 * copies (message_copies), so a message they neither sent nor received is never in a result:
 * an inbox page is one query, a thread one query (+ one to mark it read).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { TAttachment, TAudience, TPersonRef, TRule } from './messaging.schemas.ts';
import { containsPattern } from './recipients.store.ts';

// ---------------------------------------------------------------------------------------------
// Writing

export async function insertThread(db: Kysely<DB>, thread: { id: string; schoolId: string; subject: string; createdBy: string; at?: Date }): Promise<void> {
  await db
    .insertInto('message_threads')
    .values({ id: thread.id, school_id: thread.schoolId, subject: thread.subject, created_by: thread.createdBy, ...(thread.at ? { created_at: thread.at } : {}) })
    .execute();
}

export async function insertMessage(
  db: Kysely<DB>,
  message: { id: string; threadId: string; senderId: string; inReplyTo: string | null; body: string; audience: TAudience; at?: Date },
): Promise<void> {
  await db
    .insertInto('messages')
    .values({
      id: message.id,
      thread_id: message.threadId,
      sender_id: message.senderId,
      in_reply_to: message.inReplyTo,
      body: message.body,
      audience: JSON.stringify(message.audience),
      ...(message.at ? { sent_at: message.at } : {}),
    })
    .execute();
}

/** Attaches files to a message, in order: one statement. */
export async function insertAttachments(db: Kysely<DB>, messageId: string, fileIds: readonly string[]): Promise<void> {
  if (fileIds.length === 0) return;
  await sql`
    INSERT INTO message_attachments (message_id, file_id, position)
    SELECT ${messageId}::uuid, t.file_id, t.ord - 1
    FROM unnest(${[...fileIds]}::uuid[]) WITH ORDINALITY AS t(file_id, ord)`.execute(db);
}

export interface AttachmentRow {
  senderId: string;
  isRecipient: boolean;
  sha256: string;
  size: number;
  contentType: string;
  name: string;
}

/** A file attached to a message that `userId` has (sent or received, not deleted); null otherwise. */
export async function findAttachment(db: Kysely<DB>, userId: string, messageId: string, fileId: string): Promise<AttachmentRow | null> {
  const { rows } = await sql<AttachmentRow>`
    SELECT m.sender_id AS "senderId", NOT c.is_sender AS "isRecipient", f.sha256, f.size, f.content_type AS "contentType", f.name
    FROM message_copies c
    JOIN messages m ON m.id = c.message_id
    JOIN message_attachments a ON a.message_id = m.id AND a.file_id = ${fileId}
    JOIN files f ON f.id = a.file_id
    WHERE c.user_id = ${userId} AND c.message_id = ${messageId} AND c.deleted_at IS NULL`.execute(db);
  return rows[0] ?? null;
}

export interface ReplyTargetRow {
  id: string;
  threadId: string;
  schoolId: string;
  senderId: string;
  sender: TPersonRef;
  audience: TAudience;
  isRecipient: boolean;
}

/** A message of a thread as `userId` can see it (their live copy), to answer it; null otherwise. */
export async function findVisibleMessage(db: Kysely<DB>, userId: string, threadId: string, messageId: string): Promise<ReplyTargetRow | null> {
  const { rows } = await sql<ReplyTargetRow>`
    SELECT m.id, m.thread_id AS "threadId", t.school_id AS "schoolId", m.sender_id AS "senderId", m.audience,
      json_build_object('id', s.id, 'firstName', s.first_name, 'lastName', s.last_name) AS sender,
      NOT c.is_sender AS "isRecipient"
    FROM message_copies c
    JOIN messages m ON m.id = c.message_id
    JOIN message_threads t ON t.id = m.thread_id
    JOIN users s ON s.id = m.sender_id
    WHERE c.user_id = ${userId} AND c.message_id = ${messageId} AND c.thread_id = ${threadId} AND c.deleted_at IS NULL`.execute(db);
  return rows[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// The inbox

export interface InboxRow {
  id: string;
  subject: string;
  schoolId: string;
  unreadCount: number;
  messageCount: number;
  archived: boolean;
  total: number;
  lastMessage: { id: string; sender: TPersonRef; isMine: boolean; snippet: string; sentAt: string };
  participants: TAudience;
}

/** The messages of the thread `c.thread_id` that `userId` still has. */
const myLiveCopies = (userId: string, alias: string, threadColumn: RawBuilder<unknown>) =>
  sql`${sql.ref(`${alias}.user_id`)} = ${userId} AND ${sql.ref(`${alias}.thread_id`)} = ${threadColumn} AND ${sql.ref(`${alias}.deleted_at`)} IS NULL`;

function searchCondition(userId: string, q: string): RawBuilder<unknown> {
  const words = q.trim();
  if (!words) return sql`true`;
  const pattern = containsPattern(words);
  const query = sql`websearch_to_tsquery('french', messaging_fold(${words}))`;
  return sql`(
    t.search @@ ${query} OR messaging_fold(t.subject) LIKE messaging_fold(${pattern})
    OR EXISTS (
      SELECT 1 FROM message_copies c2 JOIN messages m2 ON m2.id = c2.message_id JOIN users s2 ON s2.id = m2.sender_id
      WHERE ${myLiveCopies(userId, 'c2', sql.ref('mine.thread_id'))}
        AND (m2.search @@ ${query}
             OR messaging_fold(m2.body) LIKE messaging_fold(${pattern})
             OR messaging_fold(s2.first_name || ' ' || s2.last_name) LIKE messaging_fold(${pattern}))))`;
}

/**
 * A page of a person's conversations, newest first, with for each: its last message, its unread
 * count, and everyone else in it as this person sees them. One query, whatever the page.
 */
export async function findInbox(
  db: Kysely<DB>,
  input: { userId: string; archived: boolean; q: string; limit: number; offset: number },
): Promise<InboxRow[]> {
  const { userId, archived, q, limit, offset } = input;
  const { rows } = await sql<InboxRow>`
    WITH mine AS (
      SELECT c.thread_id, max(c.sent_at) AS last_at, count(*)::int AS messages,
             (count(*) FILTER (WHERE c.read_at IS NULL))::int AS unread,
             bool_and(c.archived_at IS NOT NULL) AS archived
      FROM message_copies c
      WHERE c.user_id = ${userId} AND c.deleted_at IS NULL
      GROUP BY c.thread_id
    ), page AS (
      SELECT mine.*, t.subject, t.school_id, count(*) OVER () AS total
      FROM mine JOIN message_threads t ON t.id = mine.thread_id
      WHERE mine.archived = ${archived} AND ${searchCondition(userId, q)}
      ORDER BY mine.last_at DESC, mine.thread_id
      LIMIT ${limit} OFFSET ${offset}
    )
    SELECT p.thread_id AS id, p.subject, p.school_id AS "schoolId", p.unread AS "unreadCount", p.messages AS "messageCount",
      p.archived, p.total::int AS total,
      (SELECT json_build_object('id', m.id, 'isMine', m.sender_id = ${userId}, 'snippet', left(m.body, 160), 'sentAt', m.sent_at,
                'sender', json_build_object('id', s.id, 'firstName', s.first_name, 'lastName', s.last_name))
       FROM message_copies c JOIN messages m ON m.id = c.message_id JOIN users s ON s.id = m.sender_id
       WHERE ${myLiveCopies(userId, 'c', sql.ref('p.thread_id'))}
       ORDER BY c.sent_at DESC, c.message_id DESC LIMIT 1) AS "lastMessage",
      json_build_object(
        'groups', coalesce((SELECT jsonb_agg(DISTINCT g) FROM message_copies c JOIN messages m ON m.id = c.message_id,
                              jsonb_array_elements(m.audience -> 'groups') g
                            WHERE ${myLiveCopies(userId, 'c', sql.ref('p.thread_id'))}), '[]'),
        'people', coalesce((SELECT jsonb_agg(x.person ORDER BY x.person ->> 'lastName', x.person ->> 'firstName') FROM (
                              SELECT DISTINCT jsonb_build_object('id', s.id, 'firstName', s.first_name, 'lastName', s.last_name) AS person
                              FROM message_copies c JOIN messages m ON m.id = c.message_id JOIN users s ON s.id = m.sender_id
                              WHERE ${myLiveCopies(userId, 'c', sql.ref('p.thread_id'))} AND m.sender_id <> ${userId}
                              UNION
                              SELECT pp FROM message_copies c JOIN messages m ON m.id = c.message_id,
                                jsonb_array_elements(m.audience -> 'people') pp
                              WHERE ${myLiveCopies(userId, 'c', sql.ref('p.thread_id'))} AND pp ->> 'id' <> ${userId}::text
                              LIMIT 20) x), '[]')
      ) AS participants
    FROM page p
    ORDER BY p.last_at DESC, p.thread_id`.execute(db);
  return rows;
}

/** Unread messages per person (copies not read, not deleted): one query for many people. */
/** Who received a message (its copies, the sender's own left out). */
export async function findRecipientIds(db: Kysely<DB>, messageId: string): Promise<string[]> {
  const rows = await db.selectFrom('message_copies').select('user_id').where('message_id', '=', messageId).where('is_sender', '=', false).execute();
  return rows.map((r) => r.user_id);
}

export async function countUnread(db: Kysely<DB>, userIds: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(userIds.map((id) => [id, 0]));
  if (userIds.length === 0) return counts;
  const { rows } = await sql<{ user_id: string; n: number }>`
    SELECT user_id, count(*)::int AS n FROM message_copies
    WHERE user_id = ANY(${[...userIds]}::uuid[]) AND read_at IS NULL AND deleted_at IS NULL
    GROUP BY user_id`.execute(db);
  for (const row of rows) counts[row.user_id] = row.n;
  return counts;
}

// ---------------------------------------------------------------------------------------------
// A thread

export interface ThreadMessageRow {
  id: string;
  subject: string;
  schoolId: string;
  sender: TPersonRef;
  isMine: boolean;
  body: string;
  sentAt: Date;
  inReplyTo: string | null;
  audience: TAudience;
  recipientCount: number;
  wasUnread: boolean;
  archived: boolean;
  attachments: TAttachment[];
}

/** The messages of a thread that `userId` has (sent or received, not deleted), oldest first. */
export async function findThreadMessages(db: Kysely<DB>, userId: string, threadId: string): Promise<ThreadMessageRow[]> {
  const { rows } = await sql<ThreadMessageRow>`
    SELECT m.id, t.subject, t.school_id AS "schoolId", m.sender_id = ${userId} AS "isMine", m.body, m.sent_at AS "sentAt",
      m.in_reply_to AS "inReplyTo", m.audience, m.recipient_count AS "recipientCount",
      c.read_at IS NULL AS "wasUnread", c.archived_at IS NOT NULL AS archived,
      json_build_object('id', s.id, 'firstName', s.first_name, 'lastName', s.last_name) AS sender,
      coalesce((SELECT json_agg(json_build_object('id', f.id, 'name', f.name, 'size', f.size, 'contentType', f.content_type) ORDER BY a.position)
                FROM message_attachments a JOIN files f ON f.id = a.file_id WHERE a.message_id = m.id), '[]') AS attachments
    FROM message_copies c
    JOIN messages m ON m.id = c.message_id
    JOIN message_threads t ON t.id = c.thread_id
    JOIN users s ON s.id = m.sender_id
    WHERE c.user_id = ${userId} AND c.thread_id = ${threadId} AND c.deleted_at IS NULL
    ORDER BY c.sent_at, c.message_id`.execute(db);
  return rows;
}

type CopyChange = { read_at?: RawBuilder<Date> | null; archived_at?: RawBuilder<Date> | null; deleted_at?: RawBuilder<Date> };

/** Changes this person's live copies of a thread (`onlyUnread`: those not read yet); returns how many. */
async function updateMyCopies(db: Kysely<DB>, userId: string, threadId: string, change: CopyChange, onlyUnread = false): Promise<number> {
  let query = db
    .updateTable('message_copies')
    .set(change)
    .where('user_id', '=', userId)
    .where('thread_id', '=', threadId)
    .where('deleted_at', 'is', null);
  if (onlyUnread) query = query.where('read_at', 'is', null);
  return Number((await query.executeTakeFirst()).numUpdatedRows);
}

/** Marks every live copy of the thread read (or the latest received one unread); returns the copies touched. */
export async function setThreadRead(db: Kysely<DB>, userId: string, threadId: string, read: boolean): Promise<number> {
  if (read) return updateMyCopies(db, userId, threadId, { read_at: sql<Date>`now()` }, true);
  const { rows } = await sql<{ message_id: string }>`
    UPDATE message_copies SET read_at = NULL
    WHERE user_id = ${userId} AND message_id = (
      SELECT message_id FROM message_copies
      WHERE user_id = ${userId} AND thread_id = ${threadId} AND deleted_at IS NULL AND NOT is_sender
      ORDER BY sent_at DESC, message_id DESC LIMIT 1)
    RETURNING message_id`.execute(db);
  return rows.length;
}

/** Archives (or brings back) the thread for this person; returns the copies touched. */
export function setThreadArchived(db: Kysely<DB>, userId: string, threadId: string, archived: boolean): Promise<number> {
  return updateMyCopies(db, userId, threadId, { archived_at: archived ? sql<Date>`now()` : null });
}

/** Deletes the thread for this person only (their copies so far); returns the copies touched. */
export function deleteThreadCopies(db: Kysely<DB>, userId: string, threadId: string): Promise<number> {
  return updateMyCopies(db, userId, threadId, { deleted_at: sql<Date>`now()` });
}

/** Does this person still have a copy in the thread? */
export async function hasLiveCopy(db: Kysely<DB>, userId: string, threadId: string): Promise<boolean> {
  const row = await db
    .selectFrom('message_copies')
    .select('message_id')
    .where('user_id', '=', userId)
    .where('thread_id', '=', threadId)
    .where('deleted_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Rules of a school

export async function findRuleOverrides(db: Kysely<DB>, schoolId: string): Promise<TRule[]> {
  const rows = await db.selectFrom('messaging_rules').select(['from_role', 'to_role', 'reach']).where('school_id', '=', schoolId).execute();
  return rows.map((r) => ({ from: r.from_role, to: r.to_role, reach: r.reach }));
}

/** Stores a school's overrides: `keep` are upserted, `reset` go back to the defaults. One transaction. */
export async function saveRuleOverrides(db: Kysely<DB>, schoolId: string, updatedBy: string, keep: readonly TRule[], reset: readonly TRule[]): Promise<void> {
  await db.transaction().execute(async (tx) => {
    if (reset.length > 0) {
      await sql`
        DELETE FROM messaging_rules
        WHERE school_id = ${schoolId}
          AND (from_role, to_role) IN (SELECT * FROM unnest(${reset.map((r) => r.from)}::text[], ${reset.map((r) => r.to)}::text[]))`.execute(tx);
    }
    if (keep.length > 0) {
      await tx
        .insertInto('messaging_rules')
        .values(keep.map((r) => ({ school_id: schoolId, from_role: r.from, to_role: r.to, reach: r.reach, updated_by: updatedBy })))
        .onConflict((oc) =>
          oc.columns(['school_id', 'from_role', 'to_role']).doUpdateSet((eb) => ({
            reach: eb.ref('excluded.reach'),
            updated_by: eb.ref('excluded.updated_by'),
            updated_at: sql<Date>`now()`,
          })),
        )
        .execute();
    }
  });
}
