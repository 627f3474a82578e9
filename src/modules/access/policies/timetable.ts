/**
 * Rules of the timetable module (emploi du temps, virtual classes, calendar feeds).
 *
 * - A class's timetable is read by its pupils, their parents, its teachers and the school's staff.
 * - The timetable is made by the direction: the principal and the school admin create, edit and
 *   delete lessons, and name a substitute teacher for an occurrence.
 * - A teacher cancels or moves the occurrences of their own lessons and sets the virtual class of
 *   their own lessons; never another teacher's.
 * - The virtual class is joined by the class's pupils (as attendees) and by the lesson's teacher or
 *   substitute (as moderator). Who joined is seen by that teacher and the school's staff.
 * - A private calendar feed is managed by its owner only.
 */
import type { Actor } from '../actor.ts';
import { hasRole } from '../actor.ts';
import { isSchoolAdmin, isSchoolStaff } from './helpers.ts';

/** What a timetable rule may look at; each action documents which fields it needs. */
export interface TimetableTarget {
  schoolId?: string;
  classId?: string;
  /** The lesson's teacher. */
  teacherId?: string;
  /** The substitute named for this occurrence, if any. */
  substituteId?: string | null;
  /** The person whose timetable or calendar feed it is. */
  userId?: string;
}

/** Principal or school admin: those who make the timetable. */
const makesTimetable = (a: Actor, schoolId: string | undefined): boolean =>
  schoolId !== undefined && (hasRole(a, 'principal', schoolId) || isSchoolAdmin(a, schoolId));
const teachesIt = (a: Actor, t: TimetableTarget): boolean =>
  (t.teacherId !== undefined && t.teacherId === a.userId) || (t.substituteId != null && t.substituteId === a.userId);

export const TIMETABLE_POLICY = {
  /** Read a class's (or group's) timetable: target.classId, schoolId. */
  'timetable.class.read': (a: Actor, t: TimetableTarget) =>
    t.classId !== undefined &&
    (isSchoolStaff(a, t.schoolId) || a.taughtClassIds.has(t.classId) || a.enrolledClassIds.has(t.classId) || a.childClassIds.has(t.classId)),
  /** Read a teacher's timetable: target.userId (the teacher), schoolId. */
  'timetable.teacher.read': (a: Actor, t: TimetableTarget) =>
    (t.userId !== undefined && t.userId === a.userId) || isSchoolStaff(a, t.schoolId),
  /** Create, edit or delete lessons, name a substitute: target.schoolId. */
  'timetable.lesson.manage': (a: Actor, t: TimetableTarget) => makesTimetable(a, t.schoolId),
  /** Cancel, move or restore one occurrence: target.teacherId (the lesson's), schoolId. */
  'timetable.occurrence.change': (a: Actor, t: TimetableTarget) =>
    (t.teacherId !== undefined && t.teacherId === a.userId) || makesTimetable(a, t.schoolId),
  /** Set the virtual class of a lesson or occurrence: target.teacherId, schoolId. */
  'timetable.virtual.set': (a: Actor, t: TimetableTarget) =>
    (t.teacherId !== undefined && t.teacherId === a.userId) || makesTimetable(a, t.schoolId),
  /** Join an occurrence's virtual class: target.classId, teacherId, substituteId. */
  'timetable.join': (a: Actor, t: TimetableTarget) =>
    (t.classId !== undefined && a.enrolledClassIds.has(t.classId)) || teachesIt(a, t),
  /** See who joined an occurrence's virtual class: target.teacherId, substituteId, schoolId. */
  'timetable.presence.read': (a: Actor, t: TimetableTarget) => teachesIt(a, t) || isSchoolStaff(a, t.schoolId),
  /** See, create, regenerate or revoke a private calendar feed: target.userId (its owner). */
  'timetable.feed.manage': (a: Actor, t: TimetableTarget) => t.userId !== undefined && t.userId === a.userId,
} satisfies Record<string, (actor: Actor, target: TimetableTarget) => boolean>;
