/** Small predicates shared by the policy files. */
import type { Actor } from '../actor.ts';

export const isSchoolStaff = (a: Actor, schoolId: string | undefined): boolean =>
  schoolId !== undefined && (a.staffSchoolIds.has(schoolId) || a.adminSchoolIds.has(schoolId));

export const isSchoolAdmin = (a: Actor, schoolId: string | undefined): boolean =>
  schoolId !== undefined && a.adminSchoolIds.has(schoolId);

export const teachesAny = (a: Actor, classIds: readonly string[] | undefined): boolean =>
  (classIds ?? []).some((id) => a.taughtClassIds.has(id));

/** A pupil, or a parent of a pupil, or a teacher of a class among `classIds`. */
export const isInAnyClass = (a: Actor, classIds: readonly string[]): boolean =>
  classIds.some((id) => a.enrolledClassIds.has(id) || a.childClassIds.has(id) || a.taughtClassIds.has(id));
