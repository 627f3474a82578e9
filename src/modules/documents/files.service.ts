/**
 * Uploaded files: the generic upload (documents page, message attachments, homework, hand-ins),
 * renaming, moving, deleting, and deciding who may download.
 *
 * An upload is two steps around the streaming done by the route: `prepareUpload` checks the
 * folder, the school and the quota and says how many bytes may come; `recordUpload` re-checks the
 * quota under a per-person lock and inserts the `files` row.
 */
import type { Kysely } from 'kysely';
import type { EventPublisher } from '../../platform/events.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { BlobStore } from '../../platform/storage/blob-store.ts';
import { safeFileName } from '../../platform/storage/file-names.ts';
import { fileTooLarge, formatMegabytes } from '../../platform/storage/too-large.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import type { Clock } from '../../shared/time.ts';
import { authorize, can, type Actor } from '../access/index.ts';
import { MAX_FILE_BYTES, quotaOf } from './documents.config.ts';
import type { TFile, TUpdateFile, TUploadQuery } from './documents.schemas.ts';
import * as store from './documents.store.ts';
import type { FileMeta } from './documents.store.ts';

export interface DocumentsDeps {
  db: Kysely<DB>;
  blobs: BlobStore;
  clock: Clock;
  /** Told after shares change: the classes' open pages update (live updates). */
  events?: EventPublisher;
}

/** What the route needs to stream an upload, and what recordUpload needs afterwards. */
export interface PreparedUpload {
  schoolId: string;
  folderId: string | null;
  /** Most bytes accepted: the per-file limit or what is left of the quota, whichever is smaller. */
  maxBytes: number;
  /** The 413 message when the file is over maxBytes. */
  tooLargeMessage: string;
}

export const toFile = (f: FileMeta): TFile => ({
  id: f.id,
  name: f.name,
  size: f.size,
  contentType: f.contentType,
  folderId: f.folderId,
  createdAt: new Date(f.createdAt).toISOString(),
});

function quotaMessage(used: number, quota: number): string {
  const left = Math.max(0, quota - used);
  return left === 0
    ? `Votre espace de stockage est plein (${formatMegabytes(quota)}). Supprimez des fichiers pour en envoyer d'autres.`
    : `Ce fichier dépasse la place qui vous reste : ${formatMegabytes(left)} sur ${formatMegabytes(quota)}. Supprimez des fichiers pour libérer de la place.`;
}

/** One of the actor's folders, or NOT_FOUND (someone else's folder is not revealed). */
export async function getOwnFolder(db: Kysely<DB>, actor: Actor, folderId: string): Promise<store.FolderRow> {
  const folder = await store.findFolder(db, folderId);
  if (!folder || !can(actor, 'documents.folder.manage', { ownerId: folder.ownerId })) throw notFound('Dossier');
  return folder;
}

/**
 * The school a new file or folder belongs to when nothing says: where the person works (teacher,
 * staff) first, else where they are a pupil or parent; the first by id when several.
 */
export function defaultSchoolOf(actor: Actor): string {
  const working = actor.roles.filter((r) => r.schoolId !== null && r.role !== 'pupil' && r.role !== 'parent').map((r) => r.schoolId!);
  const school = [...working.sort(), ...[...actor.schoolIds].sort()][0];
  if (school === undefined) throw new AppError('FORBIDDEN', { message: "Votre compte n'est rattaché à aucun établissement : vous ne pouvez pas déposer de fichier." });
  return school;
}

/**
 * Checks where an upload goes (the actor's folder, their school) and how much room is left.
 * Throws NOT_FOUND (unknown folder), FORBIDDEN (not of that school) or PAYLOAD_TOO_LARGE (quota full).
 */
export async function prepareUpload(deps: DocumentsDeps, actor: Actor, input: TUploadQuery): Promise<PreparedUpload> {
  const folder = input.folderId === undefined ? null : await getOwnFolder(deps.db, actor, input.folderId);
  const schoolId = folder?.schoolId ?? input.schoolId ?? defaultSchoolOf(actor);
  authorize(actor, 'documents.file.upload', { schoolId });
  const quota = quotaOf(actor);
  const used = await store.usedBytes(deps.db, actor.userId);
  if (used >= quota) throw fileTooLarge(0, quotaMessage(used, quota));
  const left = quota - used;
  return {
    schoolId,
    folderId: folder?.id ?? null,
    maxBytes: Math.min(MAX_FILE_BYTES, left),
    tooLargeMessage:
      left < MAX_FILE_BYTES ? quotaMessage(used, quota) : `Le fichier dépasse la taille maximale autorisée (${formatMegabytes(MAX_FILE_BYTES)} par fichier).`,
  };
}

/**
 * Records a stored blob as the actor's file. The quota is checked again under a per-person lock
 * (two uploads at once cannot both squeeze in). A refused upload's blob is left to blobs-gc, which
 * removes contents no record needs once they are an hour old: deleting it here raced with an
 * identical upload by someone else (same contents, same blob) stored but not yet recorded — its
 * file would have lost its contents.
 */
export async function recordUpload(
  deps: DocumentsDeps,
  actor: Actor,
  prepared: PreparedUpload,
  upload: { sha256: string; size: number; contentType: string; name: string },
): Promise<TFile> {
  const file = await deps.db.transaction().execute(async (tx) => {
    await store.lockOwner(tx, actor.userId);
    const quota = quotaOf(actor);
    const used = await store.usedBytes(tx, actor.userId);
    if (used + upload.size > quota) throw fileTooLarge(quota - used, quotaMessage(used, quota));
    if (prepared.folderId !== null && !(await store.findFolder(tx, prepared.folderId))) throw notFound('Dossier');
    return store.insertFile(tx, { ...upload, ownerId: actor.userId, schoolId: prepared.schoolId, folderId: prepared.folderId });
  });
  return toFile(file);
}

/** A file the actor may read, or NOT_FOUND (unknown, deleted, or not theirs to see: never revealed). */
export async function getReadableFile(deps: DocumentsDeps, actor: Actor, fileId: string): Promise<FileMeta> {
  const file = await store.findFile(deps.db, fileId);
  if (!file || !can(actor, 'documents.file.read', { ownerId: file.ownerId, schoolId: file.schoolId, sharedClassIds: file.sharedClassIds })) {
    throw notFound('Fichier');
  }
  return file;
}

async function getOwnFile(deps: DocumentsDeps, actor: Actor, fileId: string): Promise<FileMeta> {
  const file = await getReadableFile(deps, actor, fileId);
  authorize(actor, 'documents.file.manage', { ownerId: file.ownerId, schoolId: file.schoolId });
  return file;
}

/** Renames a file and/or moves it to one of the actor's folders (null: to the root). */
export async function updateFile(deps: DocumentsDeps, actor: Actor, fileId: string, input: TUpdateFile): Promise<TFile> {
  const file = await getOwnFile(deps, actor, fileId);
  if (input.folderId) {
    const folder = await getOwnFolder(deps.db, actor, input.folderId);
    if (folder.schoolId !== file.schoolId) {
      throw new AppError('VALIDATION', { message: "Ce dossier appartient à un autre établissement que le fichier : choisissez un dossier du même établissement." });
    }
  }
  const name = input.name === undefined ? undefined : safeFileName(input.name);
  await store.updateFile(deps.db, file.id, { name, folderId: input.folderId });
  return toFile((await store.findFile(deps.db, file.id))!);
}

/** Deletes a file (soft: messages and homework that point to it keep their row) and withdraws its shares. */
export async function deleteFile(deps: DocumentsDeps, actor: Actor, fileId: string): Promise<void> {
  const file = await getOwnFile(deps, actor, fileId);
  await deps.db.transaction().execute((tx) => store.deleteFiles(tx, [file.id], new Date(deps.clock.now())));
}
