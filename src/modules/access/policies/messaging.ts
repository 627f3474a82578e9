/**
 * Rules of the messaging module: who may use the messagerie of a school, who may write to whom,
 * who may read a message, who may change a school's rules.
 *
 * Who may write to whom follows the school's rules (its overrides of the defaults, loaded by the
 * messaging module and passed in the target): for each of the writer's roles in the school and
 * each of the recipient's, a reach — `none`, `linked` (the recipient shares a class with the
 * writer: a pupil's teachers and classmates, a parent's children's classes, a teacher's classes)
 * or `school` (anyone of that role in the school). Staff have no classes: to or from staff,
 * `linked` means the whole school.
 */
import type { Role } from '../../../platform/db/schema.ts';
import type { Actor } from '../actor.ts';
import { isSchoolAdmin } from './helpers.ts';

export type MessagingRole = 'pupil' | 'parent' | 'teacher' | 'staff';
export type MessagingReach = 'none' | 'linked' | 'school';
/** rules[from][to]: how far a writer of role `from` reaches people of role `to`. */
export type MessagingRules = Readonly<Record<MessagingRole, Readonly<Record<MessagingRole, MessagingReach>>>>;

/** A possible recipient: each messaging role they hold in the school, with the classes it ties them to. */
export type MessagingRecipient = Partial<Record<MessagingRole, readonly string[]>>;

export type MessagingGroupKind = 'class_pupils' | 'class_parents' | 'class_pupils_parents' | 'class_teachers' | 'school_staff';

export interface MessagingWriteTarget {
  schoolId: string;
  rules: MessagingRules;
}

export interface MessagingMessageTarget {
  senderId: string;
  /** The message's recipients (it is enough to pass those among the actor's own ids). */
  recipientIds: readonly string[];
}

const MESSAGING_ROLE: Record<Role, MessagingRole | null> = {
  pupil: 'pupil',
  parent: 'parent',
  teacher: 'teacher',
  principal: 'staff',
  cpe: 'staff',
  school_admin: 'staff',
  operator: null,
};

/** The actor's messaging roles in a school. */
export function messagingRolesOf(a: Actor, schoolId: string): MessagingRole[] {
  const roles = new Set<MessagingRole>();
  for (const grant of a.roles) {
    const role = MESSAGING_ROLE[grant.role];
    if (role && grant.schoolId === schoolId) roles.add(role);
  }
  return [...roles];
}

/** The classes that tie the actor, in a role, to other people. */
function classesOf(a: Actor, role: MessagingRole): ReadonlySet<string> {
  switch (role) {
    case 'pupil':
      return a.enrolledClassIds;
    case 'parent':
      return a.childClassIds;
    case 'teacher':
      return a.taughtClassIds;
    case 'staff':
      return new Set();
  }
}

/** May the actor write, in this school, to someone holding role `to` through the classes `classIds`? */
function reaches(a: Actor, t: MessagingWriteTarget, to: MessagingRole, classIds: readonly string[]): boolean {
  return messagingRolesOf(a, t.schoolId).some((from) => {
    const reach = t.rules[from][to];
    if (reach === 'none') return false;
    if (reach === 'school' || from === 'staff' || to === 'staff') return true;
    const mine = classesOf(a, from);
    return classIds.some((id) => mine.has(id));
  });
}

const ROLES: readonly MessagingRole[] = ['pupil', 'parent', 'teacher', 'staff'];

export const MESSAGING_POLICY = {
  /** Read one's messages and write in a school where one holds a role. */
  'messaging.use': (a: Actor, t: { schoolId: string }) => messagingRolesOf(a, t.schoolId).length > 0,
  /** Write to one person of the school, under the school's rules. */
  'messaging.person.write': (a: Actor, t: MessagingWriteTarget & { recipient: MessagingRecipient }) =>
    ROLES.some((role) => {
      const classIds = t.recipient[role];
      return classIds !== undefined && reaches(a, t, role, classIds);
    }),
  /** Write to a group of the school (a class's pupils, parents, both, teachers; the staff). */
  'messaging.group.write': (a: Actor, t: MessagingWriteTarget & { group: { kind: MessagingGroupKind; classId?: string } }) => {
    const { kind, classId } = t.group;
    if (kind === 'school_staff') return reaches(a, t, 'staff', []);
    if (classId === undefined) return false;
    switch (kind) {
      case 'class_pupils':
        return reaches(a, t, 'pupil', [classId]);
      case 'class_parents':
        return reaches(a, t, 'parent', [classId]);
      case 'class_pupils_parents':
        return reaches(a, t, 'pupil', [classId]) && reaches(a, t, 'parent', [classId]);
      case 'class_teachers':
        return reaches(a, t, 'teacher', [classId]);
    }
  },
  /** Read a message (and its attachments): its sender and its recipients, nobody else. */
  'messaging.message.read': (a: Actor, t: MessagingMessageTarget) => t.senderId === a.userId || t.recipientIds.includes(a.userId),
  /** Change who may write to whom in a school. */
  'messaging.rules.manage': (a: Actor, t: { schoolId: string }) => isSchoolAdmin(a, t.schoolId),
} satisfies Record<string, (actor: Actor, target: never) => boolean>;
