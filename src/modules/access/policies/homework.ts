/**
 * Rules of the homework module (cahier de textes, assignments, hand-ins).
 *
 * - The cahier de textes of a class or group is read by its pupils, their parents, its teachers
 *   and the school's staff (direction, vie scolaire, administration).
 * - Only a teacher assigned to the class *and* subject writes in it, and a teacher edits,
 *   deletes, closes and reviews only their own entries: no teacher edits another's homework.
 * - A pupil's work is read by the pupil, their parents, the teacher who set the assignment and
 *   the school's direction and vie scolaire (principal, CPE) — not other pupils, not other
 *   teachers of the class, not the school admin, who manages accounts rather than pupils' work.
 */
import type { Actor } from '../actor.ts';
import { isInAnyClass, isSchoolStaff } from './helpers.ts';

/** What a homework rule may look at; each action documents which fields it needs. */
export interface HomeworkTarget {
  schoolId?: string;
  classId?: string;
  /** Teachers assigned to the class for the subject concerned (teaching_assignments). */
  subjectTeacherIds?: readonly string[];
  /** The teacher who wrote the entry or set the assignment. */
  authorId?: string;
  pupilId?: string;
}

/** Direction and vie scolaire of the school (principal, CPE). */
const isPastoralStaff = (a: Actor, schoolId: string | undefined): boolean => schoolId !== undefined && a.staffSchoolIds.has(schoolId);
const isPupilOrParentOf = (a: Actor, pupilId: string | undefined): boolean =>
  pupilId !== undefined && (pupilId === a.userId || a.childIds.has(pupilId));
const isAuthor = (a: Actor, t: HomeworkTarget): boolean => t.authorId !== undefined && t.authorId === a.userId;

export const HOMEWORK_POLICY = {
  /** Read a class's cahier de textes (lessons, homework, attachments): target.classId, schoolId. */
  'homework.read': (a: Actor, t: HomeworkTarget) =>
    t.classId !== undefined && (isInAnyClass(a, [t.classId]) || isSchoolStaff(a, t.schoolId)),
  /** Write a lesson entry or a homework item for a class and subject: classId, subjectTeacherIds. */
  'homework.write': (a: Actor, t: HomeworkTarget) =>
    t.classId !== undefined && a.taughtClassIds.has(t.classId) && (t.subjectTeacherIds ?? []).includes(a.userId),
  /** Edit, delete, close or reopen an entry: its author only (authorId). */
  'homework.edit': (a: Actor, t: HomeworkTarget) => isAuthor(a, t),
  /** Hand in work for an assignment: a pupil of its class, for themself (classId, pupilId). */
  'homework.submit': (a: Actor, t: HomeworkTarget) =>
    t.classId !== undefined && t.pupilId === a.userId && a.enrolledClassIds.has(t.classId),
  /** A pupil's homework list with their status, marks and feedback: the pupil and their parents (pupilId). */
  'homework.pupil.read': (a: Actor, t: HomeworkTarget) => isPupilOrParentOf(a, t.pupilId),
  /** The review page of an assignment (every pupil's status and work): its teacher, direction and CPE (authorId, schoolId). */
  'homework.submissions.list': (a: Actor, t: HomeworkTarget) => isAuthor(a, t) || isPastoralStaff(a, t.schoolId),
  /** One pupil's hand-in and its files: the pupil, their parents, the assignment's teacher, direction and CPE. */
  'homework.submission.read': (a: Actor, t: HomeworkTarget) =>
    isPupilOrParentOf(a, t.pupilId) || isAuthor(a, t) || isPastoralStaff(a, t.schoolId),
  /** Give feedback and a mark on a hand-in: the assignment's teacher (authorId). */
  'homework.submission.review': (a: Actor, t: HomeworkTarget) => isAuthor(a, t),
} satisfies Record<string, (actor: Actor, target: HomeworkTarget) => boolean>;
