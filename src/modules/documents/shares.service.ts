/**
 * Sharing: a teacher's library (folders, files, shares, quota, classes to share with), sharing a
 * file or folder with classes and groups, unsharing, and what pupils and parents see.
 */
import { AppError, notFound } from '../../shared/errors.ts';
import { authorize, can, hasRole, type Actor } from '../access/index.ts';
import { MAX_FILE_BYTES, quotaOf } from './documents.config.ts';
import type { TLibrary, TSetShares, TShare, TShares, TSharedDocuments } from './documents.schemas.ts';
import * as store from './documents.store.ts';
import { getOwnFolder, getReadableFile, type DocumentsDeps } from './files.service.ts';
import * as lists from './lists.store.ts';

const iso = (value: string | Date): string => new Date(value).toISOString();
const toShares = (shares: TShare[]): TShare[] => shares.map((s) => ({ ...s, sharedAt: iso(s.sharedAt) }));

const staffSchoolsOf = (actor: Actor): string[] => [...new Set([...actor.staffSchoolIds, ...actor.adminSchoolIds])];

/** The actor's folders and files with their shares, quota, and the classes they may share with (one query). */
export async function getLibrary(deps: DocumentsDeps, actor: Actor): Promise<TLibrary> {
  authorize(actor, 'self.read');
  const row = await lists.findLibrary(deps.db, actor.userId, { taughtClassIds: [...actor.taughtClassIds], staffSchoolIds: staffSchoolsOf(actor) });
  return {
    folders: row.folders.map((f) => ({ ...f, createdAt: iso(f.createdAt), shares: toShares(f.shares) })),
    files: row.files.map((f) => ({ ...f, createdAt: iso(f.createdAt), shares: toShares(f.shares) })),
    quota: { usedBytes: row.usedBytes, limitBytes: quotaOf(actor), maxFileBytes: MAX_FILE_BYTES },
    classes: row.classes,
    canShare: hasRole(actor, 'teacher') || staffSchoolsOf(actor).length > 0,
  };
}

/** What a share is about: the actor's own file or folder. */
async function shareSubject(deps: DocumentsDeps, actor: Actor, kind: 'file' | 'folder', id: string): Promise<{ subject: store.ShareSubject; ownerId: string; schoolId: string }> {
  if (kind === 'folder') {
    const folder = await getOwnFolder(deps.db, actor, id);
    return { subject: { folderId: folder.id }, ownerId: folder.ownerId, schoolId: folder.schoolId };
  }
  const file = await getReadableFile(deps, actor, id);
  return { subject: { fileId: file.id }, ownerId: file.ownerId, schoolId: file.schoolId };
}

async function currentShares(deps: DocumentsDeps, subject: store.ShareSubject): Promise<TShare[]> {
  return (await store.findSharesOf(deps.db, subject)).map((s) => ({ ...s, sharedAt: iso(s.sharedAt) }));
}

/**
 * Makes `classIds` exactly the classes and groups a file or folder is shared with (an empty list
 * unshares it everywhere). Classes newly added must be taught by the actor (any class of the
 * school for staff); unknown classes or classes of another school are NOT_FOUND.
 */
export async function setShares(deps: DocumentsDeps, actor: Actor, kind: 'file' | 'folder', id: string, input: TSetShares): Promise<TShares> {
  const { subject, ownerId, schoolId } = await shareSubject(deps, actor, kind, id);
  const classes = await store.findClasses(deps.db, input.classIds);
  if (classes.length !== input.classIds.length || classes.some((c) => c.schoolId !== schoolId)) {
    throw new AppError('NOT_FOUND', {
      message: 'Classe ou groupe introuvable dans votre établissement.',
      details: { classIds: input.classIds.filter((cid) => !classes.some((c) => c.id === cid && c.schoolId === schoolId)) },
    });
  }
  const before = await currentShares(deps, subject);
  const added = input.classIds.filter((cid) => !before.some((s) => s.classId === cid));
  authorize(actor, 'documents.share', { ownerId, schoolId, classIds: added });
  await deps.db.transaction().execute((tx) => store.replaceShares(tx, subject, input.classIds, actor.userId, new Date(deps.clock.now())));
  const changed = [...added, ...before.map((s) => s.classId).filter((cid) => !input.classIds.includes(cid))];
  if (changed.length > 0) void deps.events?.publish({ type: 'documents.changed', classIds: changed });
  return { shares: await currentShares(deps, subject) };
}

/** Withdraws one share (its owner, who shared it, or the school's staff). */
export async function unshare(deps: DocumentsDeps, actor: Actor, shareId: string): Promise<void> {
  const share = await store.findShare(deps.db, shareId);
  const target = share && { ownerId: share.ownerId, sharedBy: share.sharedBy, schoolId: share.schoolId };
  if (!share || !target || !can(actor, 'documents.unshare', target)) throw notFound('Partage');
  await store.deleteShare(deps.db, share.id);
  void deps.events?.publish({ type: 'documents.changed', classIds: [share.classId] });
}

/**
 * Documents shared with the actor's classes and groups (a pupil's, a parent's children's, a
 * teacher's), or with one of them (`classId`): per class, grouped by folder, leaving out the
 * actor's own files (they are in their library). One query.
 */
export async function listShared(deps: DocumentsDeps, actor: Actor, classId?: string): Promise<TSharedDocuments> {
  const mine = [...new Set([...actor.enrolledClassIds, ...actor.childClassIds, ...actor.taughtClassIds])];
  let classIds = mine;
  if (classId !== undefined) {
    const [cls] = await store.findClasses(deps.db, [classId]);
    if (!cls || !can(actor, 'documents.shared.list', { classId, schoolId: cls.schoolId })) throw notFound('Classe');
    classIds = [classId];
  }
  const rows = await lists.findSharedWithClasses(deps.db, classIds, actor.userId);
  const classes: TSharedDocuments['classes'] = [];
  for (const row of rows) {
    let cls = classes.at(-1);
    if (cls?.id !== row.classId) classes.push((cls = { id: row.classId, name: row.className, groups: [] }));
    let group = cls.groups.at(-1);
    if (!group || (group.path ?? []).join('\u0000') !== (row.path ?? []).join('\u0000') || (group.path === null) !== (row.path === null)) {
      cls.groups.push((group = { path: row.path, files: [] }));
    }
    group.files.push({ id: row.id, name: row.name, size: row.size, contentType: row.contentType, sharedAt: iso(row.sharedAt), sharedBy: row.sharedBy });
  }
  return { classes };
}
