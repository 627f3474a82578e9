/**
 * The documents module's list queries, one query each whatever the number of folders, files,
 * shares or classes: a teacher's library, what is shared with some classes, the newest shared
 * documents for the dashboard.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { MAX_FOLDER_DEPTH, onlyUuids } from './documents.store.ts';

interface ShareOut {
  id: string;
  classId: string;
  className: string;
  sharedAt: string;
}

export interface LibraryRow {
  folders: Array<{ id: string; parentId: string | null; name: string; createdAt: string; shares: ShareOut[] }>;
  files: Array<{ id: string; folderId: string | null; name: string; size: number; contentType: string; createdAt: string; shares: ShareOut[] }>;
  usedBytes: number;
  /** Classes and groups the person may share with. */
  classes: Array<{ id: string; name: string; kind: 'class' | 'group' }>;
}

const sharesOf = (column: 'file_id' | 'folder_id', id: RawBuilder<unknown>) => sql`
  coalesce((SELECT json_agg(json_build_object('id', s.id, 'classId', s.class_id, 'className', c.name, 'sharedAt', s.shared_at)
                            ORDER BY c.name)
            FROM shares s JOIN classes c ON c.id = s.class_id WHERE s.${sql.ref(column)} = ${id}), '[]')`;

/** A person's folders and files (not deleted) with their shares, their usage, and the classes they may share with. */
export async function findLibrary(
  db: Kysely<DB>,
  ownerId: string,
  scope: { taughtClassIds: readonly string[]; staffSchoolIds: readonly string[] },
): Promise<LibraryRow> {
  const { rows } = await sql<LibraryRow>`
    SELECT
      coalesce((SELECT json_agg(json_build_object('id', fo.id, 'parentId', fo.parent_id, 'name', fo.name,
                                                  'createdAt', fo.created_at, 'shares', ${sharesOf('folder_id', sql`fo.id`)})
                                ORDER BY lower(fo.name))
                FROM folders fo WHERE fo.owner_id = ${ownerId}), '[]') AS folders,
      coalesce((SELECT json_agg(json_build_object('id', f.id, 'folderId', f.folder_id, 'name', f.name, 'size', f.size,
                                                  'contentType', f.content_type, 'createdAt', f.created_at,
                                                  'shares', ${sharesOf('file_id', sql`f.id`)})
                                ORDER BY lower(f.name), f.created_at)
                FROM files f WHERE f.owner_id = ${ownerId} AND f.deleted_at IS NULL), '[]') AS files,
      (SELECT coalesce(sum(size), 0)::float8 FROM files WHERE owner_id = ${ownerId} AND deleted_at IS NULL) AS "usedBytes",
      coalesce((SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'kind', c.kind) ORDER BY c.kind, c.name)
                FROM classes c
                WHERE c.id = ANY(${onlyUuids(scope.taughtClassIds)}::uuid[])
                   OR c.school_id = ANY(${onlyUuids(scope.staffSchoolIds)}::uuid[])), '[]') AS classes`.execute(db);
  return rows[0]!;
}

/**
 * Every (class, file) pair visible through shares with `classIds`: files shared directly (no
 * path), and files of shared folders and their subfolders (with the folder path from the shared
 * folder down). `shared_at` is the share's date, or the file's when it was added later.
 */
const visibleFiles = (classIds: string[]) => sql`
  WITH RECURSIVE shared_folders(folder_id, class_id, shared_at, shared_by, path, depth) AS (
    SELECT s.folder_id, s.class_id, s.shared_at, s.shared_by, ARRAY[fo.name], 0
    FROM shares s JOIN folders fo ON fo.id = s.folder_id
    WHERE s.class_id = ANY(${classIds}::uuid[]) AND s.folder_id IS NOT NULL
    UNION ALL
    SELECT c.id, sf.class_id, sf.shared_at, sf.shared_by, sf.path || c.name, sf.depth + 1
    FROM folders c JOIN shared_folders sf ON c.parent_id = sf.folder_id
    WHERE sf.depth < ${MAX_FOLDER_DEPTH}
  ), visible AS (
    SELECT s.class_id, s.file_id, NULL::text[] AS path, s.shared_at, s.shared_by
    FROM shares s WHERE s.class_id = ANY(${classIds}::uuid[]) AND s.file_id IS NOT NULL
    UNION ALL
    SELECT sf.class_id, f.id, sf.path, greatest(sf.shared_at, f.created_at), sf.shared_by
    FROM shared_folders sf JOIN files f ON f.folder_id = sf.folder_id
  )`;

export interface SharedFileRow {
  classId: string;
  className: string;
  /** Folder names from the shared folder down, or null for a file shared on its own. */
  path: string[] | null;
  id: string;
  name: string;
  size: number;
  contentType: string;
  sharedAt: Date;
  sharedBy: { firstName: string; lastName: string };
}

/**
 * What is shared with these classes, each file once per class (in its folder when shared both
 * ways), leaving out the files of `exceptOwnerId` (a teacher sees their own in their library).
 */
export async function findSharedWithClasses(db: Kysely<DB>, classIds: readonly string[], exceptOwnerId: string | null = null): Promise<SharedFileRow[]> {
  const ids = onlyUuids(classIds);
  if (ids.length === 0) return [];
  const { rows } = await sql<SharedFileRow>`
    ${visibleFiles(ids)}
    SELECT * FROM (
      SELECT DISTINCT ON (v.class_id, f.id)
             v.class_id AS "classId", c.name AS "className", v.path, f.id, f.name, f.size, f.content_type AS "contentType",
             v.shared_at AS "sharedAt", json_build_object('firstName', u.first_name, 'lastName', u.last_name) AS "sharedBy"
      FROM visible v
      JOIN files f ON f.id = v.file_id AND f.deleted_at IS NULL AND f.owner_id IS DISTINCT FROM ${exceptOwnerId}::uuid
      JOIN classes c ON c.id = v.class_id
      JOIN users u ON u.id = v.shared_by
      ORDER BY v.class_id, f.id, v.path NULLS LAST, v.shared_at DESC
    ) t
    ORDER BY "className", path NULLS FIRST, lower(name)`.execute(db);
  return rows;
}

export interface NewestDocument {
  id: string;
  name: string;
  size: number;
  contentType: string;
  /** ISO timestamp: when it was shared (or added to a shared folder). */
  sharedAt: string;
  sharedBy: { firstName: string; lastName: string };
  /** Which of the requested classes it is shared with. */
  classIds: string[];
}

/**
 * The newest documents shared with any of `classIds` (a pupil's classes and groups, or all of
 * a parent's children's), newest first, each once: one query whatever the number of classes.
 * Download through `GET /api/documents/files/:id/content`.
 */
export async function findNewestDocuments(db: Kysely<DB>, input: { classIds: string[]; limit: number }): Promise<NewestDocument[]> {
  const ids = onlyUuids(input.classIds);
  if (ids.length === 0 || input.limit <= 0) return [];
  const { rows } = await sql<Omit<NewestDocument, 'sharedAt'> & { sharedAt: Date }>`
    ${visibleFiles(ids)}, per_file AS (
      SELECT file_id, max(shared_at) AS shared_at, array_agg(DISTINCT class_id::text) AS class_ids,
             (array_agg(shared_by ORDER BY shared_at DESC))[1] AS shared_by
      FROM visible GROUP BY file_id
    )
    SELECT f.id, f.name, f.size, f.content_type AS "contentType", p.shared_at AS "sharedAt",
           json_build_object('firstName', u.first_name, 'lastName', u.last_name) AS "sharedBy", p.class_ids AS "classIds"
    FROM per_file p
    JOIN files f ON f.id = p.file_id AND f.deleted_at IS NULL
    JOIN users u ON u.id = p.shared_by
    ORDER BY p.shared_at DESC, f.id
    LIMIT ${Math.min(Math.floor(input.limit), 100)}`.execute(db);
  return rows.map((r) => ({ ...r, sharedAt: new Date(r.sharedAt).toISOString() }));
}
