/**
 * The cahier de textes: a teacher's lesson entries (« Séance ») and homework items for a class
 * or group and a subject they teach; everyone in the class reads them. A teacher edits, deletes
 * and closes only their own entries.
 */
import { notFound } from '../../shared/errors.ts';
import { authorize, can, type Actor } from '../access/index.ts';
import type {
  TClassHomework,
  TClassHomeworkQuery,
  THomework,
  THomeworkBody,
  THomeworkPatch,
  TLesson,
  TLessonBody,
  TLessonPatch,
  TTeachingList,
} from './homework.schemas.ts';
import {
  announce,
  checkDueDate,
  checkLessonDate,
  checkOwnFiles,
  conflict,
  invalid,
  requireText,
  resolveRange,
  toHomework,
  toLesson,
  type HomeworkDeps,
} from './homework.service.ts';
import * as store from './homework.store.ts';

const LESSON_TEXT = 'Décrivez ce qui a été fait pendant la séance.';
const INSTRUCTIONS_TEXT = 'Écrivez la consigne du travail à faire.';

/** The classes and subjects the person teaches (the teacher's picker). */
export async function listTeaching(deps: HomeworkDeps, actor: Actor): Promise<TTeachingList> {
  authorize(actor, 'self.read');
  return { teaching: await store.findTeaching(deps.db, actor.userId) };
}

/** A class's cahier de textes for a subject: lessons (newest first) and homework (by due date). One query. */
export async function getClassHomework(deps: HomeworkDeps, actor: Actor, classId: string, query: TClassHomeworkQuery): Promise<TClassHomework> {
  const range = resolveRange(deps, query, { before: 30, after: 60, maxDays: 400 });
  const row = await store.findClassHomework(deps.db, { classId, subject: query.subject, ...range });
  if (!row) throw notFound('Classe');
  authorize(actor, 'homework.read', { classId, schoolId: row.schoolId });
  if (!row.subject) throw notFound('Matière');
  return {
    class: row.class,
    subject: row.subject,
    ...range,
    canWrite: can(actor, 'homework.write', { classId, schoolId: row.schoolId, subjectTeacherIds: row.subjectTeacherIds }),
    lessons: row.lessons.map(toLesson),
    homework: row.homework.map((h) => toHomework(actor, h)),
  };
}

/** Checks that the actor teaches this subject in this class; returns the class's school. */
async function authorizeWrite(deps: HomeworkDeps, actor: Actor, classId: string, subject: string): Promise<string> {
  const facts = await store.findClassFacts(deps.db, classId, subject);
  if (!facts) throw notFound('Classe');
  authorize(actor, 'homework.write', { classId, schoolId: facts.schoolId, subjectTeacherIds: facts.subjectTeacherIds });
  if (!facts.subjectExists) throw invalid(`Matière inconnue : ${subject}.`);
  return facts.schoolId;
}

/** Writes a lesson entry (what was done); its date may be in the past. */
export async function createLesson(deps: HomeworkDeps, actor: Actor, classId: string, body: TLessonBody): Promise<TLesson> {
  const schoolId = await authorizeWrite(deps, actor, classId, body.subject);
  const content = requireText(body.content, LESSON_TEXT);
  checkLessonDate(deps, body.date);
  const id = await store.insertLesson(deps.db, { schoolId, classId, subject: body.subject, teacherId: actor.userId, date: body.date, content });
  return getLessonOrThrow(deps, id);
}

async function getLessonOrThrow(deps: HomeworkDeps, lessonId: string): Promise<TLesson> {
  const lesson = await store.findLesson(deps.db, lessonId);
  if (!lesson) throw notFound('Séance');
  return toLesson(lesson);
}

async function authorizeLessonEdit(deps: HomeworkDeps, actor: Actor, lessonId: string): Promise<void> {
  const facts = await store.findLessonFacts(deps.db, lessonId);
  if (!facts) throw notFound('Séance');
  authorize(actor, 'homework.edit', { authorId: facts.teacherId, schoolId: facts.schoolId });
}

/** Changes one's own lesson entry. */
export async function updateLesson(deps: HomeworkDeps, actor: Actor, lessonId: string, patch: TLessonPatch): Promise<TLesson> {
  await authorizeLessonEdit(deps, actor, lessonId);
  const content = patch.content === undefined ? undefined : requireText(patch.content, LESSON_TEXT);
  if (patch.date !== undefined) checkLessonDate(deps, patch.date);
  await store.updateLesson(deps.db, lessonId, { ...(patch.date ? { date: patch.date } : {}), ...(content ? { content } : {}) });
  return getLessonOrThrow(deps, lessonId);
}

/** Deletes one's own lesson entry. */
export async function deleteLesson(deps: HomeworkDeps, actor: Actor, lessonId: string): Promise<void> {
  await authorizeLessonEdit(deps, actor, lessonId);
  await store.deleteLesson(deps.db, lessonId);
}

/**
 * Sets homework for a class and subject the teacher teaches: instructions, a due date that is
 * not past (optionally a time), attachments the teacher uploaded, and whether pupils hand in.
 */
export async function createHomework(deps: HomeworkDeps, actor: Actor, classId: string, body: THomeworkBody): Promise<THomework> {
  const schoolId = await authorizeWrite(deps, actor, classId, body.subject);
  const instructions = requireText(body.instructions, INSTRUCTIONS_TEXT);
  const dueTime = body.dueTime ?? null;
  checkDueDate(deps, body.dueDate, dueTime);
  const attachmentIds = body.attachmentIds ?? [];
  await checkOwnFiles(deps, actor, attachmentIds);
  const id = await store.insertHomework(deps.db, {
    schoolId,
    classId,
    subject: body.subject,
    teacherId: actor.userId,
    instructions,
    dueDate: body.dueDate,
    dueTime,
    requiresSubmission: body.requiresSubmission ?? false,
    attachmentIds,
  });
  announce(deps, { type: 'homework.changed', classIds: [classId], homeworkId: id, change: 'published' });
  return getHomeworkOrThrow(deps, actor, id);
}

async function getHomeworkOrThrow(deps: HomeworkDeps, actor: Actor, homeworkId: string): Promise<THomework> {
  const row = await store.findHomework(deps.db, homeworkId);
  if (!row) throw notFound('Devoir');
  return toHomework(actor, row);
}

async function authorizeHomeworkEdit(deps: HomeworkDeps, actor: Actor, homeworkId: string): Promise<store.HomeworkFacts> {
  const facts = await store.findHomeworkFacts(deps.db, homeworkId);
  if (!facts) throw notFound('Devoir');
  authorize(actor, 'homework.edit', { authorId: facts.teacherId, schoolId: facts.schoolId });
  return facts;
}

/** Changes one's own homework item. A due date or time that changes must not be past. */
export async function updateHomework(deps: HomeworkDeps, actor: Actor, homeworkId: string, patch: THomeworkPatch): Promise<THomework> {
  const facts = await authorizeHomeworkEdit(deps, actor, homeworkId);
  const instructions = patch.instructions === undefined ? undefined : requireText(patch.instructions, INSTRUCTIONS_TEXT);
  const dueDate = patch.dueDate ?? facts.dueDate;
  const dueTime = patch.dueTime === undefined ? facts.dueTime : patch.dueTime;
  if (dueDate !== facts.dueDate || dueTime !== facts.dueTime) checkDueDate(deps, dueDate, dueTime);
  if (patch.requiresSubmission === false && facts.submissions > 0) {
    throw conflict('Des élèves ont déjà rendu ce devoir : le rendu en ligne ne peut plus être retiré. Vous pouvez le clore.');
  }
  if (patch.attachmentIds) await checkOwnFiles(deps, actor, patch.attachmentIds);
  await store.updateHomework(deps.db, homeworkId, {
    ...(instructions !== undefined ? { instructions } : {}),
    ...(patch.dueDate !== undefined ? { dueDate } : {}),
    ...(patch.dueTime !== undefined ? { dueTime } : {}),
    ...(patch.requiresSubmission !== undefined ? { requiresSubmission: patch.requiresSubmission } : {}),
    ...(patch.attachmentIds ? { attachmentIds: patch.attachmentIds } : {}),
  });
  announce(deps, { type: 'homework.changed', classIds: [facts.classId], homeworkId, change: 'updated' });
  return getHomeworkOrThrow(deps, actor, homeworkId);
}

/** Deletes one's own homework item, unless pupils already handed in (close it instead). */
export async function deleteHomework(deps: HomeworkDeps, actor: Actor, homeworkId: string): Promise<void> {
  const facts = await authorizeHomeworkEdit(deps, actor, homeworkId);
  if (facts.submissions > 0) {
    throw conflict('Des élèves ont déjà rendu ce devoir : il ne peut plus être supprimé. Clôturez-le plutôt.');
  }
  await store.deleteHomework(deps.db, homeworkId);
  announce(deps, { type: 'homework.changed', classIds: [facts.classId], homeworkId, change: 'deleted' });
}

/** Closes an assignment (no more hand-ins, not even late) or reopens it. */
export async function setHomeworkClosed(deps: HomeworkDeps, actor: Actor, homeworkId: string, closed: boolean): Promise<THomework> {
  const facts = await authorizeHomeworkEdit(deps, actor, homeworkId);
  if (!facts.requiresSubmission) throw conflict('Ce travail ne demande pas de rendu en ligne : il n’y a rien à clore.');
  if (closed !== (facts.closedAt !== null)) {
    await store.setClosed(deps.db, homeworkId, closed ? new Date(deps.clock.now()) : null);
    announce(deps, { type: 'homework.changed', classIds: [facts.classId], homeworkId, change: 'updated' });
  }
  return getHomeworkOrThrow(deps, actor, homeworkId);
}

/** An attachment of a homework item, for those who read the class's cahier de textes. */
export async function openAttachment(deps: HomeworkDeps, actor: Actor, homeworkId: string, fileId: string): Promise<store.StoredFile> {
  const found = await store.findAttachment(deps.db, homeworkId, fileId);
  if (!found) throw notFound('Devoir');
  authorize(actor, 'homework.read', { classId: found.classId, schoolId: found.schoolId });
  if (!found.file) throw notFound('Fichier');
  return found.file;
}
