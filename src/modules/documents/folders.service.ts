/** A teacher's (or staff member's) folders: create, rename, move, delete. */
import { safeFileName } from '../../platform/storage/file-names.ts';
import { AppError } from '../../shared/errors.ts';
import { authorize, type Actor } from '../access/index.ts';
import type { TCreateFolder, TFolder, TUpdateFolder } from './documents.schemas.ts';
import * as store from './documents.store.ts';
import { defaultSchoolOf, getOwnFolder, type DocumentsDeps } from './files.service.ts';

const MAX_FOLDER_NAME = 100;

function folderName(raw: string): string {
  return safeFileName(raw, '', MAX_FOLDER_NAME).replace(/^fichier$/, 'Nouveau dossier');
}

const toFolder = (f: store.FolderRow): TFolder => ({ id: f.id, parentId: f.parentId, name: f.name });

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

function nameTaken(name: string): AppError {
  return new AppError('CONFLICT', { message: `Un dossier nommé « ${name} » existe déjà à cet endroit : choisissez un autre nom.` });
}

function tooDeep(): AppError {
  return new AppError('VALIDATION', { message: `Les dossiers s'imbriquent sur ${store.MAX_FOLDER_DEPTH} niveaux au plus.` });
}

async function depthOf(deps: DocumentsDeps, folderId: string | null): Promise<number> {
  return folderId === null ? 0 : (await store.folderAncestry(deps.db, folderId)).length;
}

/** Creates a folder at the root or inside one of the actor's folders. */
export async function createFolder(deps: DocumentsDeps, actor: Actor, input: TCreateFolder): Promise<TFolder> {
  const parent = input.parentId ? await getOwnFolder(deps.db, actor, input.parentId) : null;
  const schoolId = parent?.schoolId ?? defaultSchoolOf(actor);
  authorize(actor, 'documents.folder.create', { schoolId });
  if ((await depthOf(deps, parent?.id ?? null)) >= store.MAX_FOLDER_DEPTH) throw tooDeep();
  const name = folderName(input.name);
  try {
    return toFolder(await store.insertFolder(deps.db, { ownerId: actor.userId, schoolId, parentId: parent?.id ?? null, name }));
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  }
}

/** Renames a folder and/or moves it (with everything inside) under another of the actor's folders, or to the root (null). */
export async function updateFolder(deps: DocumentsDeps, actor: Actor, folderId: string, input: TUpdateFolder): Promise<TFolder> {
  const folder = await getOwnFolder(deps.db, actor, folderId);
  if (input.parentId) {
    const parent = await getOwnFolder(deps.db, actor, input.parentId);
    const ancestry = await store.folderAncestry(deps.db, parent.id);
    if (ancestry.includes(folder.id)) {
      throw new AppError('VALIDATION', { message: 'Un dossier ne peut pas être déplacé dans lui-même ni dans un de ses sous-dossiers.' });
    }
    if (parent.schoolId !== folder.schoolId) throw new AppError('VALIDATION', { message: 'Ce dossier appartient à un autre établissement.' });
    if (ancestry.length + 1 + (await store.subtreeHeight(deps.db, folder.id)) > store.MAX_FOLDER_DEPTH) throw tooDeep();
  }
  const name = input.name === undefined ? folder.name : folderName(input.name);
  try {
    await store.updateFolder(deps.db, folder.id, { name, parentId: input.parentId });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  }
  return toFolder((await store.findFolder(deps.db, folder.id))!);
}

/** Deletes a folder, its subfolders and their shares; the files inside are deleted too. */
export async function deleteFolder(deps: DocumentsDeps, actor: Actor, folderId: string): Promise<void> {
  const folder = await getOwnFolder(deps.db, actor, folderId);
  await deps.db.transaction().execute((tx) => store.deleteFolderTree(tx, folder.id, new Date(deps.clock.now())));
}
