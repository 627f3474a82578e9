/** Kysely types of the messaging tables (migration 0003_messaging.sql), kept in step with it by hand. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** Computed by PostgreSQL (generated columns): never written. */
type Computed<T> = ColumnType<T, never, never>;

export type MessagingRoleColumn = 'pupil' | 'parent' | 'teacher' | 'staff';
export type MessagingReachColumn = 'none' | 'linked' | 'school';

export interface MessagingRulesTable {
  school_id: string;
  from_role: MessagingRoleColumn;
  to_role: MessagingRoleColumn;
  reach: MessagingReachColumn;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface MessageThreadsTable {
  id: Generated<string>;
  school_id: string;
  subject: string;
  created_by: string | null;
  created_at: Timestamp;
  search: Computed<string>;
}

export interface MessagesTable {
  id: Generated<string>;
  thread_id: string;
  sender_id: string;
  in_reply_to: string | null;
  body: string;
  /** JSON text on insert; parsed object on select. */
  audience: ColumnType<unknown, string, string>;
  recipient_count: ColumnType<number, number | undefined, number>;
  sent_at: Timestamp;
  search: Computed<string>;
}

export interface MessageCopiesTable {
  message_id: string;
  user_id: string;
  thread_id: string;
  sent_at: Timestamp;
  is_sender: boolean;
  read_at: NullableTimestamp;
  archived_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
}

export interface MessageAttachmentsTable {
  message_id: string;
  file_id: string;
  position: number;
}

export interface MessagingTables {
  messaging_rules: MessagingRulesTable;
  message_threads: MessageThreadsTable;
  messages: MessagesTable;
  message_copies: MessageCopiesTable;
  message_attachments: MessageAttachmentsTable;
}
