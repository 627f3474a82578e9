/**
 * The people of the authorization matrix: realistic actors of school A (and of school B), shared
 * by every module's rows. Each module's `<m>.matrix.ts` says, for each of its actions on a
 * target, which personas are allowed; policy.test.ts checks every persona against every row.
 */
import type { Role } from '../../../platform/db/schema.ts';
import type { Actor } from '../actor.ts';

export const SCHOOL_A = 'school-a';
export const SCHOOL_B = 'school-b';
export const CLASS_6A = 'class-6a';
export const CLASS_5B = 'class-5b';
export const CLASS_B1 = 'class-b1';
export const LEA = 'pupil-lea'; // 6e A
export const HUGO = 'pupil-hugo'; // 5e B

export function actor(userId: string, roles: Array<[Role, string | null]>, scope: Partial<Actor> = {}): Actor {
  const set = (xs: string[] = []) => new Set(xs);
  const schoolsWith = (...wanted: Role[]) => set(roles.filter(([r, s]) => wanted.includes(r) && s).map(([, s]) => s as string));
  return {
    userId,
    sessionId: `session-${userId}`,
    roles: roles.map(([role, schoolId]) => ({ role, schoolId })),
    schoolIds: set(roles.flatMap(([, s]) => (s ? [s] : []))),
    enrolledClassIds: set(),
    childIds: set(),
    childClassIds: set(),
    taughtClassIds: set(),
    staffSchoolIds: schoolsWith('principal', 'cpe'),
    adminSchoolIds: schoolsWith('school_admin'),
    isOperator: roles.some(([r]) => r === 'operator'),
    ...scope,
  };
}

export const PERSONAS = {
  pupilLea: actor(LEA, [['pupil', SCHOOL_A]], { enrolledClassIds: new Set([CLASS_6A]) }),
  pupilHugo: actor(HUGO, [['pupil', SCHOOL_A]], { enrolledClassIds: new Set([CLASS_5B]) }),
  parentOfLea: actor('parent-lea', [['parent', SCHOOL_A]], { childIds: new Set([LEA]), childClassIds: new Set([CLASS_6A]) }),
  teacher6A: actor('teacher-6a', [['teacher', SCHOOL_A]], { taughtClassIds: new Set([CLASS_6A]) }),
  teacherParentOfHugo: actor('teacher-parent', [['teacher', SCHOOL_A], ['parent', SCHOOL_A]], {
    taughtClassIds: new Set([CLASS_6A]),
    childIds: new Set([HUGO]),
    childClassIds: new Set([CLASS_5B]),
  }),
  principalA: actor('principal-a', [['principal', SCHOOL_A]]),
  cpeA: actor('cpe-a', [['cpe', SCHOOL_A]]),
  adminA: actor('admin-a', [['school_admin', SCHOOL_A]]),
  adminB: actor('admin-b', [['school_admin', SCHOOL_B]]),
  teacherB: actor('teacher-b', [['teacher', SCHOOL_B]], { taughtClassIds: new Set([CLASS_B1]) }),
  operator: actor('operator', [['operator', null]]),
} as const;
export type Persona = keyof typeof PERSONAS;
export const ALL = Object.keys(PERSONAS) as Persona[];


/** One row: an action on a target (or a target built from the persona), and who may do it. */
export interface MatrixRow {
  action: string;
  what: string;
  /** The target, or a function of the persona that builds it. */
  target: unknown;
  allowed: Persona[];
}
