/** Rules of the documents module: people's own files and folders, and what teachers share with classes. */
import { hasRole, type Actor } from '../actor.ts';
import { isInAnyClass, isSchoolStaff } from './helpers.ts';

/** What a documents rule may look at; each action says which fields it needs. */
export interface DocumentTarget {
  /** School of the file or folder (or where an upload goes). */
  schoolId?: string;
  /** Owner of the file or folder. */
  ownerId?: string;
  /** Classes and groups a file is shared with, directly or through its folders (documents.file.read). */
  sharedClassIds?: readonly string[];
  /** Classes and groups being added to a share (documents.share). */
  classIds?: readonly string[];
  /** Who made a share (documents.unshare). */
  sharedBy?: string;
  /** A class or group whose shared documents are listed (documents.shared.list). */
  classId?: string;
}

const isOwner = (a: Actor, t: DocumentTarget): boolean => t.ownerId !== undefined && t.ownerId === a.userId;
const keepsFolders = (a: Actor, schoolId: string | undefined): boolean =>
  schoolId !== undefined && (hasRole(a, 'teacher', schoolId) || isSchoolStaff(a, schoolId));

export const DOCUMENTS_POLICY = {
  /** Upload a file into one's own space (documents, attachments, hand-ins): anyone of the school. */
  'documents.file.upload': (a: Actor, t: DocumentTarget) => t.schoolId !== undefined && a.schoolIds.has(t.schoolId),
  /** Download a file: its owner, a pupil/parent/teacher of a class it is shared with, or the school's staff. */
  'documents.file.read': (a: Actor, t: DocumentTarget) =>
    isOwner(a, t) || isInAnyClass(a, t.sharedClassIds ?? []) || isSchoolStaff(a, t.schoolId),
  /** Rename, move or delete a file: its owner only. */
  'documents.file.manage': (a: Actor, t: DocumentTarget) => isOwner(a, t),
  /** Create a folder: teachers and staff of the school. */
  'documents.folder.create': (a: Actor, t: DocumentTarget) => keepsFolders(a, t.schoolId),
  /** Rename, move or delete a folder: its owner only. */
  'documents.folder.manage': (a: Actor, t: DocumentTarget) => isOwner(a, t),
  /** Share one's file or folder with classes: those one teaches, or any class of the school for staff. */
  'documents.share': (a: Actor, t: DocumentTarget) =>
    isOwner(a, t) &&
    keepsFolders(a, t.schoolId) &&
    (t.classIds ?? []).every((id) => a.taughtClassIds.has(id) || isSchoolStaff(a, t.schoolId)),
  /** Withdraw a share: the owner of what is shared, who shared it, or the school's staff. */
  'documents.unshare': (a: Actor, t: DocumentTarget) =>
    isOwner(a, t) || (t.sharedBy !== undefined && t.sharedBy === a.userId) || isSchoolStaff(a, t.schoolId),
  /** See what is shared with a class or group: its pupils, their parents, its teachers, the school's staff. */
  'documents.shared.list': (a: Actor, t: DocumentTarget) =>
    (t.classId !== undefined && isInAnyClass(a, [t.classId])) || isSchoolStaff(a, t.schoolId),
} satisfies Record<string, (actor: Actor, target: DocumentTarget) => boolean>;
