/** Kysely types of the documents tables (migration 0002_documents.sql), kept in step with it by hand. */
import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from '../schema.ts';

export interface FoldersTable {
  id: Generated<string>;
  owner_id: string;
  school_id: string;
  parent_id: string | null;
  name: string;
  created_at: Timestamp;
}

export interface FilesTable {
  id: Generated<string>;
  owner_id: string;
  school_id: string;
  /** Lowercase hex SHA-256 of the contents: the key in the BlobStore. */
  sha256: string;
  size: number;
  content_type: string;
  name: string;
  folder_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface SharesTable {
  id: Generated<string>;
  file_id: string | null;
  folder_id: string | null;
  class_id: string;
  shared_by: string;
  shared_at: Timestamp;
}

export interface DocumentsTables {
  folders: FoldersTable;
  files: FilesTable;
  shares: SharesTable;
}
