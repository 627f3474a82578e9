/**
 * Who may write to whom: the defaults every school starts with, a school's overrides on top, and
 * what they mean for the recipient picker's SQL. The decisions themselves are the policy's
 * (access/policies/messaging.ts): this file only asks it.
 */
import { can, type Actor } from '../access/index.ts';
import type { TGroup, TGroupKind, TMessagingRole, TReach, TRule } from './messaging.schemas.ts';

export type Rules = Record<TMessagingRole, Record<TMessagingRole, TReach>>;

export const MESSAGING_ROLES: readonly TMessagingRole[] = ['pupil', 'parent', 'teacher', 'staff'];

/**
 * A pupil writes to their teachers and to the staff; a parent to their children's teachers and
 * to the staff; teachers and staff write to anyone in the school.
 */
export const DEFAULT_RULES: Readonly<Rules> = {
  pupil: { pupil: 'none', parent: 'none', teacher: 'linked', staff: 'school' },
  parent: { pupil: 'none', parent: 'none', teacher: 'linked', staff: 'school' },
  teacher: { pupil: 'school', parent: 'school', teacher: 'school', staff: 'school' },
  staff: { pupil: 'school', parent: 'school', teacher: 'school', staff: 'school' },
};

/** The defaults with a school's stored overrides on top. */
export function effectiveRules(overrides: readonly TRule[]): Rules {
  const rules: Rules = {
    pupil: { ...DEFAULT_RULES.pupil },
    parent: { ...DEFAULT_RULES.parent },
    teacher: { ...DEFAULT_RULES.teacher },
    staff: { ...DEFAULT_RULES.staff },
  };
  for (const r of overrides) rules[r.from][r.to] = r.reach;
  return rules;
}

/**
 * How far the actor reaches each role in a school, in the shape SQL needs: the whole school, or
 * the people tied to some classes. Computed by asking the policy about a recipient of each role
 * with no class (whole school?) and with each class that ties the actor to others.
 */
export interface Reach {
  wide: Record<TMessagingRole, boolean>;
  classIds: Record<'pupil' | 'parent' | 'teacher', string[]>;
}

export function reachOf(actor: Actor, schoolId: string, rules: Rules): Reach {
  const mayWrite = (role: TMessagingRole, classIds: string[]) =>
    can(actor, 'messaging.person.write', { schoolId, rules, recipient: { [role]: classIds } });
  const candidates = [...new Set([...actor.enrolledClassIds, ...actor.childClassIds, ...actor.taughtClassIds])];
  const wide = {
    pupil: mayWrite('pupil', []),
    parent: mayWrite('parent', []),
    teacher: mayWrite('teacher', []),
    staff: mayWrite('staff', []),
  };
  const linked = (role: 'pupil' | 'parent' | 'teacher') => (wide[role] ? [] : candidates.filter((c) => mayWrite(role, [c])));
  return { wide, classIds: { pupil: linked('pupil'), parent: linked('parent'), teacher: linked('teacher') } };
}

export interface ClassRef {
  id: string;
  name: string;
  kind: 'class' | 'group';
}

const CLASS_GROUP_KINDS: readonly TGroupKind[] = ['class_pupils', 'class_parents', 'class_pupils_parents', 'class_teachers'];

const LABEL_PREFIX: Record<Exclude<TGroupKind, 'school_staff'>, string> = {
  class_pupils: 'Élèves',
  class_parents: 'Parents',
  class_pupils_parents: 'Élèves et parents',
  class_teachers: 'Enseignants',
};

export const STAFF_LABEL = 'Direction et vie scolaire';

/** A group with its French label: « Parents de 6e A », « Élèves du groupe Latin ». */
export function describeGroup(kind: TGroupKind, klass: ClassRef | null): TGroup {
  if (kind === 'school_staff' || !klass) {
    return { kind: 'school_staff', classId: null, className: null, classKind: null, label: STAFF_LABEL };
  }
  const where = klass.kind === 'group' ? `du groupe ${klass.name}` : `de ${klass.name}`;
  return { kind, classId: klass.id, className: klass.name, classKind: klass.kind, label: `${LABEL_PREFIX[kind]} ${where}` };
}

/** Every group of the school the actor may write to, staff first, then class by class. */
export function allowedGroups(actor: Actor, schoolId: string, rules: Rules, classes: readonly ClassRef[]): TGroup[] {
  const allowed = (kind: TGroupKind, classId?: string) =>
    can(actor, 'messaging.group.write', { schoolId, rules, group: { kind, ...(classId ? { classId } : {}) } });
  const groups: TGroup[] = allowed('school_staff') ? [describeGroup('school_staff', null)] : [];
  for (const klass of classes) {
    for (const kind of CLASS_GROUP_KINDS) if (allowed(kind, klass.id)) groups.push(describeGroup(kind, klass));
  }
  return groups;
}

/** Lower case without accents, as the database's messaging_fold(). */
export const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
