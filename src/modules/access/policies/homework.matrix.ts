/** The homework module's rows of the roles × actions matrix. */
import type { Actor } from '../actor.ts';
import { CLASS_5B, CLASS_6A, CLASS_B1, HUGO, LEA, SCHOOL_A, SCHOOL_B, type MatrixRow } from './matrix-support.ts';

/** teacher6A teaches maths in 6e A; teacherParentOfHugo teaches French there (and is Hugo's parent). */
const MATHS_6A = { classId: CLASS_6A, schoolId: SCHOOL_A, subjectTeacherIds: ['teacher-6a'] };
const FRENCH_6A = { classId: CLASS_6A, schoolId: SCHOOL_A, subjectTeacherIds: ['teacher-parent'] };
const KARIM_ASSIGNMENT = { authorId: 'teacher-6a', schoolId: SCHOOL_A };

export const HOMEWORK_MATRIX: MatrixRow[] = [
  {
    action: 'homework.read',
    what: 'cahier de textes of 6e A',
    target: { classId: CLASS_6A, schoolId: SCHOOL_A },
    allowed: ['pupilLea', 'parentOfLea', 'teacher6A', 'teacherParentOfHugo', 'principalA', 'cpeA', 'adminA'],
  },
  {
    action: 'homework.read',
    what: 'cahier de textes of 5e B',
    target: { classId: CLASS_5B, schoolId: SCHOOL_A },
    allowed: ['pupilHugo', 'teacherParentOfHugo', 'principalA', 'cpeA', 'adminA'],
  },
  {
    action: 'homework.read',
    what: 'cahier de textes of a class of school B',
    target: { classId: CLASS_B1, schoolId: SCHOOL_B },
    allowed: ['teacherB', 'adminB'],
  },
  { action: 'homework.write', what: 'maths homework in 6e A', target: MATHS_6A, allowed: ['teacher6A'] },
  { action: 'homework.write', what: 'French homework in 6e A', target: FRENCH_6A, allowed: ['teacherParentOfHugo'] },
  {
    action: 'homework.write',
    what: 'homework in 5e B (listed teacher who does not teach the class)',
    target: { classId: CLASS_5B, schoolId: SCHOOL_A, subjectTeacherIds: ['teacher-6a'] },
    allowed: [],
  },
  {
    action: 'homework.write',
    what: 'homework in a class of school B',
    target: { classId: CLASS_B1, schoolId: SCHOOL_B, subjectTeacherIds: ['teacher-b'] },
    allowed: ['teacherB'],
  },
  { action: 'homework.edit', what: "Karim's homework (no teacher edits another teacher's homework)", target: KARIM_ASSIGNMENT, allowed: ['teacher6A'] },
  { action: 'homework.edit', what: "Anne's lesson entry", target: { authorId: 'teacher-parent', schoolId: SCHOOL_A }, allowed: ['teacherParentOfHugo'] },
  { action: 'homework.edit', what: 'an entry without a known author', target: { schoolId: SCHOOL_A }, allowed: [] },
  { action: 'homework.submit', what: 'a hand-in for Léa in 6e A', target: { classId: CLASS_6A, pupilId: LEA }, allowed: ['pupilLea'] },
  {
    action: 'homework.submit',
    what: 'a hand-in for oneself in 6e A',
    target: (who: Actor) => ({ classId: CLASS_6A, pupilId: who.userId }),
    allowed: ['pupilLea'],
  },
  { action: 'homework.submit', what: 'a hand-in for Hugo in 6e A (not his class)', target: { classId: CLASS_6A, pupilId: HUGO }, allowed: [] },
  { action: 'homework.pupil.read', what: "Léa's homework and marks", target: { pupilId: LEA }, allowed: ['pupilLea', 'parentOfLea'] },
  { action: 'homework.pupil.read', what: "Hugo's homework and marks", target: { pupilId: HUGO }, allowed: ['pupilHugo', 'teacherParentOfHugo'] },
  {
    action: 'homework.submissions.list',
    what: "the review page of Karim's assignment",
    target: KARIM_ASSIGNMENT,
    allowed: ['teacher6A', 'principalA', 'cpeA'],
  },
  {
    action: 'homework.submission.read',
    what: "Léa's work on Karim's assignment (no pupil reads another pupil's work)",
    target: { ...KARIM_ASSIGNMENT, pupilId: LEA },
    allowed: ['pupilLea', 'parentOfLea', 'teacher6A', 'principalA', 'cpeA'],
  },
  {
    action: 'homework.submission.read',
    what: "Hugo's work on Karim's assignment",
    target: { ...KARIM_ASSIGNMENT, pupilId: HUGO },
    allowed: ['pupilHugo', 'teacherParentOfHugo', 'teacher6A', 'principalA', 'cpeA'],
  },
  { action: 'homework.submission.review', what: "Léa's work on Karim's assignment", target: { ...KARIM_ASSIGNMENT, pupilId: LEA }, allowed: ['teacher6A'] },
];
