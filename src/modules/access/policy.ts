/**
 * Authorization, in one place. Every action a person can take is a row of POLICY: a rule over
 * the actor (their roles and scope) and the target. Services call `authorize(actor, action,
 * target)` before they touch data; routes never decide. policy.test.ts walks the whole matrix of
 * roles × actions. The platform operator runs the infrastructure and sees no pupil data.
 */
import { AppError } from '../../shared/errors.ts';
import type { Actor } from './actor.ts';

/** What a rule may look at; each action documents which fields it needs. */
export interface Target {
  schoolId?: string;
  classId?: string;
  /** The class/group ids of the pupil concerned. */
  pupilClassIds?: readonly string[];
  pupilId?: string;
  userId?: string;
}

const isSchoolStaff = (a: Actor, schoolId: string | undefined): boolean =>
  schoolId !== undefined && (a.staffSchoolIds.has(schoolId) || a.adminSchoolIds.has(schoolId));

const isSchoolAdmin = (a: Actor, schoolId: string | undefined): boolean =>
  schoolId !== undefined && a.adminSchoolIds.has(schoolId);

const teachesAny = (a: Actor, classIds: readonly string[] | undefined): boolean =>
  (classIds ?? []).some((id) => a.taughtClassIds.has(id));

export const POLICY = {
  /** See one's own profile, sessions and dashboard. */
  'self.read': () => true,
  /** Revoke one of one's own sessions (target.userId = the session's owner). */
  'session.revoke': (a: Actor, t: Target) => t.userId === a.userId,
  /** See the roster of a class or group: its pupils and teachers. */
  'class.read': (a: Actor, t: Target) =>
    t.classId !== undefined &&
    (isSchoolStaff(a, t.schoolId) ||
      a.taughtClassIds.has(t.classId) ||
      a.enrolledClassIds.has(t.classId) ||
      a.childClassIds.has(t.classId)),
  /** See a pupil's profile. */
  'pupil.read': (a: Actor, t: Target) =>
    t.pupilId === a.userId ||
    (t.pupilId !== undefined && a.childIds.has(t.pupilId)) ||
    isSchoolStaff(a, t.schoolId) ||
    teachesAny(a, t.pupilClassIds),
  /** List the people of a school (accounts, activation state). */
  'school.people.list': (a: Actor, t: Target) => isSchoolStaff(a, t.schoolId),
  /** Import accounts from a CSV file. */
  'school.import': (a: Actor, t: Target) => isSchoolAdmin(a, t.schoolId),
  /** Issue a new activation code to someone of the school. */
  'school.activation-code.issue': (a: Actor, t: Target) => isSchoolAdmin(a, t.schoolId),
  /** Operate the platform: waiting room, caps, attack mode. */
  'platform.operate': (a: Actor) => a.isOperator,
} satisfies Record<string, (actor: Actor, target: Target) => boolean>;

export type Action = keyof typeof POLICY;
export const ACTIONS = Object.keys(POLICY) as Action[];

export function can(actor: Actor, action: Action, target: Target = {}): boolean {
  return POLICY[action](actor, target);
}

/** Throws FORBIDDEN unless the actor may do `action` on `target`. */
export function authorize(actor: Actor, action: Action, target: Target = {}): void {
  if (!can(actor, action, target)) {
    throw new AppError('FORBIDDEN', { message: "Vous n'avez pas le droit d'effectuer cette action." });
  }
}
