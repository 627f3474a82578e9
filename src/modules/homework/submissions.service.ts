/**
 * Assignments with hand-ins: a pupil hands in text and/or files (late hand-ins are accepted and
 * marked late, unless the teacher closed the assignment) and may replace them until the teacher
 * reviews; the teacher sees every pupil's status and work and gives feedback and a mark; the
 * pupil and their parents see the status and the feedback. Nobody else reads a pupil's work.
 */
import { notFound } from '../../shared/errors.ts';
import { authorize, can, type Actor } from '../access/index.ts';
import type { TFollowedPupils, TPupilHomework, TRangeQuery, TReviewBody, TReviewPage, TSubmission, TSubmissionBody } from './homework.schemas.ts';
import { announce, checkMark, checkOwnFiles, conflict, invalid, resolveRange, toHomework, toSubmission, type HomeworkDeps } from './homework.service.ts';
import { findHomeworkFacts, type StoredFile } from './homework.store.ts';
import * as store from './submissions.store.ts';

/** The pupils whose homework the person follows: themself (a pupil) and their children. */
export async function listFollowedPupils(deps: HomeworkDeps, actor: Actor): Promise<TFollowedPupils> {
  authorize(actor, 'self.read');
  return { pupils: await store.findFollowedPupils(deps.db, actor.userId) };
}

/** A pupil's homework (by default from a week ago to a fortnight ahead) with their status. One query. */
export async function getPupilHomework(deps: HomeworkDeps, actor: Actor, pupilId: string, query: TRangeQuery): Promise<TPupilHomework> {
  authorize(actor, 'homework.pupil.read', { pupilId });
  const range = resolveRange(deps, query, { before: 7, after: 14, maxDays: 120 });
  const found = await store.findPupilHomework(deps.db, { pupilId, ...range });
  if (!found) throw notFound('Élève');
  return {
    pupil: found.pupil,
    ...range,
    items: found.items.map((item) => ({
      ...toHomework(actor, item),
      status: item.status,
      submission: item.submission ? toSubmission(item.submission) : null,
    })),
  };
}

/**
 * Hands in (or replaces) the pupil's work: text and/or files they uploaded. After the deadline
 * it is accepted and marked late; once the teacher closed the assignment, or reviewed the
 * work, it is refused (409).
 */
export async function handIn(deps: HomeworkDeps, actor: Actor, homeworkId: string, body: TSubmissionBody): Promise<TSubmission> {
  const facts = await findHomeworkFacts(deps.db, homeworkId);
  if (!facts) throw notFound('Devoir');
  authorize(actor, 'homework.submit', { classId: facts.classId, schoolId: facts.schoolId, pupilId: actor.userId });
  if (!facts.requiresSubmission) throw conflict('Ce travail ne demande pas de rendu en ligne : apportez-le en classe.');
  if (facts.closedAt) {
    throw conflict('Le professeur a clos ce devoir : il n’accepte plus de rendu. Adressez-vous à lui si besoin.');
  }
  const text = (body.text ?? '').trim();
  const fileIds = body.fileIds ?? [];
  if (text === '' && fileIds.length === 0) throw invalid('Écrivez votre réponse ou joignez au moins un fichier.');
  await checkOwnFiles(deps, actor, fileIds);
  const id = await store.saveSubmission(deps.db, { homeworkId, pupilId: actor.userId, text, fileIds, submittedAt: new Date(deps.clock.now()) });
  if (!id) throw conflict('Votre travail a déjà été corrigé : il ne peut plus être remplacé.');
  announce(deps, { type: 'submission.received', userIds: [facts.teacherId], assignmentId: homeworkId, submissionId: id });
  return readSubmission(deps, id);
}

async function readSubmission(deps: HomeworkDeps, submissionId: string): Promise<TSubmission> {
  const found = await store.findSubmission(deps.db, submissionId);
  if (!found) throw notFound('Rendu');
  return toSubmission(found.submission);
}

/** The review page of an assignment: every pupil of the class, their status and work. One query. */
export async function getReviewPage(deps: HomeworkDeps, actor: Actor, homeworkId: string): Promise<TReviewPage> {
  const row = await store.findReviewPage(deps.db, homeworkId);
  if (!row) throw notFound('Devoir');
  authorize(actor, 'homework.submissions.list', { authorId: row.teacherId, schoolId: row.schoolId });
  return {
    homework: toHomework(actor, row),
    canReview: can(actor, 'homework.submission.review', { authorId: row.teacherId, schoolId: row.schoolId }),
    pupils: row.pupils.map((p) => ({ pupil: p.pupil, status: p.status, submission: p.submission ? toSubmission(p.submission) : null })),
  };
}

/** One hand-in, for the pupil, their parents, the assignment's teacher, direction and CPE. */
export async function getSubmission(deps: HomeworkDeps, actor: Actor, submissionId: string): Promise<TSubmission> {
  const found = await store.findSubmission(deps.db, submissionId);
  if (!found) throw notFound('Rendu');
  authorize(actor, 'homework.submission.read', { pupilId: found.pupilId, authorId: found.teacherId, schoolId: found.schoolId });
  return toSubmission(found.submission);
}

/** The assignment's teacher gives feedback and an optional mark (0–20, one decimal); the pupil can no longer replace the work. */
export async function reviewSubmission(deps: HomeworkDeps, actor: Actor, submissionId: string, body: TReviewBody): Promise<TSubmission> {
  const found = await store.findSubmission(deps.db, submissionId);
  if (!found) throw notFound('Rendu');
  authorize(actor, 'homework.submission.review', { pupilId: found.pupilId, authorId: found.teacherId, schoolId: found.schoolId });
  checkMark(body.mark);
  const feedback = body.feedback.trim();
  if (feedback === '' && body.mark === null) throw invalid('Écrivez une appréciation ou donnez une note.');
  await store.saveReview(deps.db, submissionId, { feedback, mark: body.mark, reviewerId: actor.userId, reviewedAt: new Date(deps.clock.now()) });
  if (deps.events) {
    const userIds = [found.pupilId, ...(await store.findParentIds(deps.db, found.pupilId))];
    announce(deps, { type: 'submission.reviewed', userIds, assignmentId: found.homeworkId, submissionId });
  }
  return readSubmission(deps, submissionId);
}

/** A file of a hand-in, for those who may read the hand-in. */
export async function openSubmissionFile(deps: HomeworkDeps, actor: Actor, submissionId: string, fileId: string): Promise<StoredFile> {
  const found = await store.findSubmissionFile(deps.db, submissionId, fileId);
  if (!found) throw notFound('Rendu');
  authorize(actor, 'homework.submission.read', { pupilId: found.pupilId, authorId: found.teacherId, schoolId: found.schoolId });
  if (!found.file) throw notFound('Fichier');
  return found.file;
}
