/** Rules of the core: identity, schools, rosters, platform operation. */
import type { Actor } from '../actor.ts';
import { isSchoolAdmin, isSchoolStaff, teachesAny } from './helpers.ts';

/** What a core rule may look at; each action documents which fields it needs. */
export interface Target {
  schoolId?: string;
  classId?: string;
  /** The class/group ids of the pupil concerned. */
  pupilClassIds?: readonly string[];
  pupilId?: string;
  userId?: string;
}

export const CORE_POLICY = {
  /** See one's own profile, sessions and dashboard. */
  'self.read': (_a: Actor, _t: Target) => true,
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
  'platform.operate': (a: Actor, _t: Target) => a.isOperator,
} satisfies Record<string, (actor: Actor, target: Target) => boolean>;

