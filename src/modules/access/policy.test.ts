/**
 * The roles × actions matrix. Each persona is a realistic actor of school A (or of school B);
 * each row says, for one action on one target, who may and who may not. Adding an action to
 * POLICY without a row here fails the "covers every action" test.
 */
import { describe, expect, it } from 'vitest';
import type { Role } from '../../platform/db/schema.ts';
import type { Actor } from './actor.ts';
import { ACTIONS, can, authorize, type Action, type Target } from './policy.ts';

const SCHOOL_A = 'school-a';
const SCHOOL_B = 'school-b';
const CLASS_6A = 'class-6a';
const CLASS_5B = 'class-5b';
const CLASS_B1 = 'class-b1';
const LEA = 'pupil-lea'; // 6e A
const HUGO = 'pupil-hugo'; // 5e B

function actor(userId: string, roles: Array<[Role, string | null]>, scope: Partial<Actor> = {}): Actor {
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

const PERSONAS = {
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
type Persona = keyof typeof PERSONAS;
const ALL = Object.keys(PERSONAS) as Persona[];

interface Row {
  action: Action;
  what: string;
  target: Target | ((who: Actor) => Target);
  allowed: Persona[];
}

const MATRIX: Row[] = [
  { action: 'self.read', what: 'own profile', target: {}, allowed: ALL },
  { action: 'session.revoke', what: "one's own session", target: (who) => ({ userId: who.userId }), allowed: ALL },
  { action: 'session.revoke', what: "Léa's session", target: { userId: LEA }, allowed: ['pupilLea'] },
  {
    action: 'class.read',
    what: 'roster of 6e A (school A)',
    target: { classId: CLASS_6A, schoolId: SCHOOL_A },
    allowed: ['pupilLea', 'parentOfLea', 'teacher6A', 'teacherParentOfHugo', 'principalA', 'cpeA', 'adminA'],
  },
  {
    action: 'class.read',
    what: 'roster of 5e B (school A)',
    target: { classId: CLASS_5B, schoolId: SCHOOL_A },
    allowed: ['pupilHugo', 'teacherParentOfHugo', 'principalA', 'cpeA', 'adminA'],
  },
  {
    action: 'class.read',
    what: 'roster of a class of school B',
    target: { classId: CLASS_B1, schoolId: SCHOOL_B },
    allowed: ['teacherB', 'adminB'],
  },
  {
    action: 'pupil.read',
    what: "Léa's profile",
    target: { pupilId: LEA, schoolId: SCHOOL_A, pupilClassIds: [CLASS_6A] },
    allowed: ['pupilLea', 'parentOfLea', 'teacher6A', 'teacherParentOfHugo', 'principalA', 'cpeA', 'adminA'],
  },
  {
    action: 'pupil.read',
    what: "Hugo's profile",
    target: { pupilId: HUGO, schoolId: SCHOOL_A, pupilClassIds: [CLASS_5B] },
    allowed: ['pupilHugo', 'teacherParentOfHugo', 'principalA', 'cpeA', 'adminA'],
  },
  {
    action: 'school.people.list',
    what: 'people of school A',
    target: { schoolId: SCHOOL_A },
    allowed: ['principalA', 'cpeA', 'adminA'],
  },
  { action: 'school.import', what: 'import into school A', target: { schoolId: SCHOOL_A }, allowed: ['adminA'] },
  { action: 'school.import', what: 'import into school B', target: { schoolId: SCHOOL_B }, allowed: ['adminB'] },
  { action: 'school.activation-code.issue', what: 'a code in school A', target: { schoolId: SCHOOL_A }, allowed: ['adminA'] },
  { action: 'platform.operate', what: 'the waiting room', target: {}, allowed: ['operator'] },
];

describe('authorization matrix (roles × actions)', () => {
  it('covers every action of the policy', () => {
    expect(new Set(MATRIX.map((r) => r.action))).toEqual(new Set(ACTIONS));
  });

  for (const row of MATRIX) {
    for (const persona of ALL) {
      const expected = row.allowed.includes(persona);
      it(`${row.action} on ${row.what}: ${persona} is ${expected ? 'allowed' : 'refused'}`, () => {
        const who = PERSONAS[persona];
        const target = typeof row.target === 'function' ? row.target(who) : row.target;
        expect(can(who, row.action, target)).toBe(expected);
      });
    }
  }

  it('authorize throws FORBIDDEN with a French message', () => {
    expect(() => authorize(PERSONAS.pupilLea, 'school.import', { schoolId: SCHOOL_A })).toThrow(/pas le droit/);
  });

  it('refuses class.read when the class id is missing, whoever asks', () => {
    for (const persona of ALL) expect(can(PERSONAS[persona], 'class.read', { schoolId: SCHOOL_A })).toBe(false);
  });
});
