/** The core's rows of the roles × actions matrix. */
import type { Actor } from '../actor.ts';
import { ALL, CLASS_5B, CLASS_6A, CLASS_B1, HUGO, LEA, SCHOOL_A, SCHOOL_B, type MatrixRow } from './matrix-support.ts';

export const CORE_MATRIX: MatrixRow[] = [
  { action: 'self.read', what: 'own profile', target: {}, allowed: ALL },
  { action: 'session.revoke', what: "one's own session", target: (who: Actor) => ({ userId: who.userId }), allowed: ALL },
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
