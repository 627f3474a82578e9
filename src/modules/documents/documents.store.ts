/**
 * The documents module's SQL. Lists are one query each (folders and shares aggregated with
 * json_agg, shared folders walked with a recursive CTE); id lists go as `= ANY(uuid[])`.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Only well-formed ids reach a `::uuid[]` cast (anything else simply matches nothing). */
export const onlyUuids = (ids: readonly string[]): string[] => [...new Set(ids.filter((id) => UUID.test(id)))];
export const isUuid = (id: string): boolean => UUID.test(id);

/** How deep folders may nest (and how far the recursive queries walk). */
export const MAX_FOLDER_DEPTH = 8;

/** An uploaded file as other modules see it (the `files` row without its storage details). */
export interface FileMeta {
  id: string;
  ownerId: string;
  schoolId: string;
  name: string;
  size: number;
  contentType: string;
  /** Blob key in the BlobStore: pass it (with size, contentType, name) to sendBlob. */
  sha256: string;
  folderId: string | null;
  createdAt: Date;
}

const FILE_META = [
  'f.id',
  'f.owner_id as ownerId',
  'f.school_id as schoolId',
  'f.name',
  'f.size',
  'f.content_type as contentType',
  'f.sha256',
  'f.folder_id as folderId',
  'f.created_at as createdAt',
] as const;

/** The actor's own files, not deleted, among `fileIds` (unknown, deleted or others' ids are left out). */
export async function findOwnedFiles(db: Db, ownerId: string, fileIds: readonly string[]): Promise<FileMeta[]> {
  const ids = onlyUuids(fileIds);
  if (ids.length === 0) return [];
  return db
    .selectFrom('files as f')
    .select(FILE_META)
    .where('f.owner_id', '=', ownerId)
    .where('f.deleted_at', 'is', null)
    .where(sql<boolean>`f.id = ANY(${ids}::uuid[])`)
    .orderBy('f.created_at')
    .execute();
}

/** Bytes used by a person's files that are not deleted. */
export async function usedBytes(db: Db, ownerId: string): Promise<number> {
  const row = await db
    .selectFrom('files')
    .select(sql<number>`coalesce(sum(size), 0)::float8`.as('used'))
    .where('owner_id', '=', ownerId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.used;
}

/** Serialises a person's uploads for the rest of the transaction (quota check then insert). */
export async function lockOwner(tx: Transaction<DB>, ownerId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('documents.quota:' || ${ownerId}))`.execute(tx);
}

export async function insertFile(
  db: Db,
  row: { ownerId: string; schoolId: string; sha256: string; size: number; contentType: string; name: string; folderId: string | null },
): Promise<FileMeta> {
  const { id } = await db
    .insertInto('files')
    .values({
      owner_id: row.ownerId,
      school_id: row.schoolId,
      sha256: row.sha256,
      size: row.size,
      content_type: row.contentType,
      name: row.name,
      folder_id: row.folderId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return (await findFile(db, id))!;
}

/** A file (not deleted) with the classes it is shared with, directly or through its folders. */
export async function findFile(db: Db, fileId: string): Promise<(FileMeta & { sharedClassIds: string[] }) | null> {
  if (!isUuid(fileId)) return null;
  const { rows } = await sql<FileMeta & { sharedClassIds: string[] }>`
    WITH RECURSIVE chain(id, depth) AS (
      SELECT folder_id, 0 FROM files WHERE id = ${fileId} AND folder_id IS NOT NULL
      UNION ALL
      SELECT p.parent_id, c.depth + 1 FROM folders p JOIN chain c ON p.id = c.id
      WHERE p.parent_id IS NOT NULL AND c.depth < ${MAX_FOLDER_DEPTH}
    )
    SELECT f.id, f.owner_id AS "ownerId", f.school_id AS "schoolId", f.name, f.size,
           f.content_type AS "contentType", f.sha256, f.folder_id AS "folderId", f.created_at AS "createdAt",
           coalesce((SELECT array_agg(DISTINCT s.class_id::text) FROM shares s
                     WHERE s.file_id = f.id OR s.folder_id IN (SELECT id FROM chain)), '{}') AS "sharedClassIds"
    FROM files f WHERE f.id = ${fileId} AND f.deleted_at IS NULL`.execute(db);
  return rows[0] ?? null;
}

export async function updateFile(db: Db, fileId: string, changes: { name?: string; folderId?: string | null }): Promise<void> {
  await db
    .updateTable('files')
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.folderId === undefined ? {} : { folder_id: changes.folderId }),
    })
    .where('id', '=', fileId)
    .execute();
}

/** Soft-deletes files and withdraws their shares. */
export async function deleteFiles(db: Db, fileIds: readonly string[], now: Date): Promise<void> {
  if (fileIds.length === 0) return;
  await db.deleteFrom('shares').where(sql<boolean>`file_id = ANY(${fileIds}::uuid[])`).execute();
  await db.updateTable('files').set({ deleted_at: now }).where(sql<boolean>`id = ANY(${fileIds}::uuid[])`).where('deleted_at', 'is', null).execute();
}

// ------------------------------------------------------------------------------------------
// Folders

export interface FolderRow {
  id: string;
  ownerId: string;
  schoolId: string;
  parentId: string | null;
  name: string;
}

export async function findFolder(db: Db, folderId: string): Promise<FolderRow | null> {
  if (!isUuid(folderId)) return null;
  const row = await db
    .selectFrom('folders')
    .select(['id', 'owner_id as ownerId', 'school_id as schoolId', 'parent_id as parentId', 'name'])
    .where('id', '=', folderId)
    .executeTakeFirst();
  return row ?? null;
}

/** The folder and its ancestors' ids, nearest first (to refuse moving a folder into itself). */
export async function folderAncestry(db: Db, folderId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE chain(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM folders WHERE id = ${folderId}
      UNION ALL
      SELECT p.id, p.parent_id, c.depth + 1 FROM folders p JOIN chain c ON p.id = c.parent_id WHERE c.depth < ${MAX_FOLDER_DEPTH + 1}
    )
    SELECT id FROM chain ORDER BY depth`.execute(db);
  return rows.map((r) => r.id);
}

/** How many levels of folders hang under this one (0 when it has no subfolder). */
export async function subtreeHeight(db: Db, folderId: string): Promise<number> {
  const { rows } = await sql<{ height: number }>`
    WITH RECURSIVE tree(id, depth) AS (
      SELECT id, 0 FROM folders WHERE id = ${folderId}
      UNION ALL
      SELECT c.id, t.depth + 1 FROM folders c JOIN tree t ON c.parent_id = t.id WHERE t.depth < ${MAX_FOLDER_DEPTH + 1}
    )
    SELECT max(depth)::int AS height FROM tree`.execute(db);
  return rows[0]?.height ?? 0;
}

export async function insertFolder(db: Db, row: { ownerId: string; schoolId: string; parentId: string | null; name: string }): Promise<FolderRow> {
  return db
    .insertInto('folders')
    .values({ owner_id: row.ownerId, school_id: row.schoolId, parent_id: row.parentId, name: row.name })
    .returning(['id', 'owner_id as ownerId', 'school_id as schoolId', 'parent_id as parentId', 'name'])
    .executeTakeFirstOrThrow();
}

export async function updateFolder(db: Db, folderId: string, changes: { name?: string; parentId?: string | null }): Promise<void> {
  await db
    .updateTable('folders')
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.parentId === undefined ? {} : { parent_id: changes.parentId }),
    })
    .where('id', '=', folderId)
    .execute();
}

/** Deletes a folder with its subfolders and shares; the files inside are soft-deleted. */
export async function deleteFolderTree(db: Db, folderId: string, now: Date): Promise<void> {
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE tree(id, depth) AS (
      SELECT id, 0 FROM folders WHERE id = ${folderId}
      UNION ALL
      SELECT c.id, t.depth + 1 FROM folders c JOIN tree t ON c.parent_id = t.id WHERE t.depth < ${MAX_FOLDER_DEPTH + 1}
    )
    SELECT f.id FROM files f WHERE f.folder_id IN (SELECT id FROM tree) AND f.deleted_at IS NULL`.execute(db);
  await deleteFiles(
    db,
    rows.map((r) => r.id),
    now,
  );
  await db.deleteFrom('folders').where('id', '=', folderId).execute();
}

// ------------------------------------------------------------------------------------------
// Shares

export interface ClassRef {
  id: string;
  name: string;
  kind: 'class' | 'group';
  schoolId: string;
}

export async function findClasses(db: Db, classIds: readonly string[]): Promise<ClassRef[]> {
  const ids = onlyUuids(classIds);
  if (ids.length === 0) return [];
  return db
    .selectFrom('classes')
    .select(['id', 'name', 'kind', 'school_id as schoolId'])
    .where(sql<boolean>`id = ANY(${ids}::uuid[])`)
    .orderBy('name')
    .execute();
}

export type ShareSubject = { fileId: string } | { folderId: string };

/**
 * Makes `classIds` exactly the classes the file or folder is shared with: new ones are added
 * (by `sharedBy`, now), missing ones removed, the others keep their date.
 */
export async function replaceShares(db: Db, subject: ShareSubject, classIds: readonly string[], sharedBy: string, now: Date): Promise<void> {
  const column = 'fileId' in subject ? 'file_id' : 'folder_id';
  const id = 'fileId' in subject ? subject.fileId : subject.folderId;
  await db
    .deleteFrom('shares')
    .where(column, '=', id)
    .where(sql<boolean>`NOT (class_id = ANY(${[...classIds]}::uuid[]))`)
    .execute();
  if (classIds.length === 0) return;
  await sql`
    INSERT INTO shares (file_id, folder_id, class_id, shared_by, shared_at)
    SELECT ${'fileId' in subject ? id : null}::uuid, ${'folderId' in subject ? id : null}::uuid, c, ${sharedBy}::uuid, ${now}
    FROM unnest(${[...classIds]}::uuid[]) AS c
    WHERE NOT EXISTS (SELECT 1 FROM shares s WHERE s.${sql.ref(column)} = ${id}::uuid AND s.class_id = c)`.execute(db);
}

/** The classes and groups a file or folder is shared with, by class name. */
export async function findSharesOf(db: Db, subject: ShareSubject): Promise<Array<{ id: string; classId: string; className: string; sharedAt: Date }>> {
  return db
    .selectFrom('shares as s')
    .innerJoin('classes as c', 'c.id', 's.class_id')
    .select(['s.id', 's.class_id as classId', 'c.name as className', 's.shared_at as sharedAt'])
    .where('fileId' in subject ? 's.file_id' : 's.folder_id', '=', 'fileId' in subject ? subject.fileId : subject.folderId)
    .orderBy('c.name')
    .execute();
}

export interface ShareRow {
  id: string;
  fileId: string | null;
  folderId: string | null;
  classId: string;
  sharedBy: string;
  /** Owner and school of the shared file or folder. */
  ownerId: string;
  schoolId: string;
}

export async function findShare(db: Db, shareId: string): Promise<ShareRow | null> {
  if (!isUuid(shareId)) return null;
  const { rows } = await sql<ShareRow>`
    SELECT s.id, s.file_id AS "fileId", s.folder_id AS "folderId", s.class_id AS "classId", s.shared_by AS "sharedBy",
           coalesce(f.owner_id, fo.owner_id) AS "ownerId", coalesce(f.school_id, fo.school_id) AS "schoolId"
    FROM shares s LEFT JOIN files f ON f.id = s.file_id LEFT JOIN folders fo ON fo.id = s.folder_id
    WHERE s.id = ${shareId} AND (f.id IS NULL OR f.deleted_at IS NULL)`.execute(db);
  return rows[0] ?? null;
}

export async function deleteShare(db: Db, shareId: string): Promise<void> {
  await db.deleteFrom('shares').where('id', '=', shareId).execute();
}
