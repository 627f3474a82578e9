/** The timetable module's rows of the roles × actions matrix. */
import type { Actor } from '../actor.ts';
import { ALL, CLASS_5B, CLASS_6A, CLASS_B1, LEA, SCHOOL_A, SCHOOL_B, type MatrixRow } from './matrix-support.ts';

const STAFF_A = ['principalA', 'cpeA', 'adminA'] as const;
const MAKERS_A = ['principalA', 'adminA'] as const;
/** A maths lesson of 6e A taught by teacher6A. */
const LESSON_6A = { schoolId: SCHOOL_A, classId: CLASS_6A, teacherId: 'teacher-6a', substituteId: null };

export const TIMETABLE_MATRIX: MatrixRow[] = [
  {
    action: 'timetable.class.read',
    what: 'timetable of 6e A',
    target: { schoolId: SCHOOL_A, classId: CLASS_6A },
    allowed: ['pupilLea', 'parentOfLea', 'teacher6A', 'teacherParentOfHugo', ...STAFF_A],
  },
  {
    action: 'timetable.class.read',
    what: 'timetable of 5e B',
    target: { schoolId: SCHOOL_A, classId: CLASS_5B },
    allowed: ['pupilHugo', 'teacherParentOfHugo', ...STAFF_A],
  },
  {
    action: 'timetable.class.read',
    what: 'timetable of a class of school B',
    target: { schoolId: SCHOOL_B, classId: CLASS_B1 },
    allowed: ['teacherB', 'adminB'],
  },
  {
    action: 'timetable.teacher.read',
    what: "teacher6A's timetable",
    target: { schoolId: SCHOOL_A, userId: 'teacher-6a' },
    allowed: ['teacher6A', ...STAFF_A],
  },
  { action: 'timetable.lesson.manage', what: 'lessons of school A', target: { schoolId: SCHOOL_A }, allowed: [...MAKERS_A] },
  { action: 'timetable.lesson.manage', what: 'lessons of school B', target: { schoolId: SCHOOL_B }, allowed: ['adminB'] },
  {
    action: 'timetable.occurrence.change',
    what: "an occurrence of teacher6A's lesson",
    target: LESSON_6A,
    allowed: ['teacher6A', ...MAKERS_A],
  },
  {
    action: 'timetable.occurrence.change',
    what: "an occurrence of another teacher's lesson that teacher6A substitutes",
    target: { ...LESSON_6A, teacherId: 'teacher-parent', substituteId: 'teacher-6a' },
    allowed: ['teacherParentOfHugo', ...MAKERS_A],
  },
  {
    action: 'timetable.virtual.set',
    what: "the virtual class of teacher6A's lesson",
    target: LESSON_6A,
    allowed: ['teacher6A', ...MAKERS_A],
  },
  {
    action: 'timetable.join',
    what: "the virtual class of teacher6A's 6e A lesson",
    target: LESSON_6A,
    allowed: ['pupilLea', 'teacher6A'],
  },
  {
    action: 'timetable.join',
    what: 'the virtual class of a 6e A lesson with a substitute',
    target: { ...LESSON_6A, substituteId: 'teacher-parent' },
    allowed: ['pupilLea', 'teacher6A', 'teacherParentOfHugo'],
  },
  {
    action: 'timetable.presence.read',
    what: "who joined teacher6A's 6e A lesson",
    target: LESSON_6A,
    allowed: ['teacher6A', ...STAFF_A],
  },
  {
    action: 'timetable.feed.manage',
    what: "one's own calendar feed",
    target: (who: Actor) => ({ userId: who.userId }),
    allowed: ALL,
  },
  { action: 'timetable.feed.manage', what: "Léa's calendar feed", target: { userId: LEA }, allowed: ['pupilLea'] },
];
