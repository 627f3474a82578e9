/** The documents module's rows of the roles × actions matrix. */
import type { Actor } from '../actor.ts';
import { ALL, CLASS_5B, CLASS_6A, CLASS_B1, LEA, SCHOOL_A, SCHOOL_B, type MatrixRow } from './matrix-support.ts';

const TEACHER_6A = 'teacher-6a';
const SCHOOL_A_PEOPLE = ['pupilLea', 'pupilHugo', 'parentOfLea', 'teacher6A', 'teacherParentOfHugo', 'principalA', 'cpeA', 'adminA'] as const;
const STAFF_A = ['principalA', 'cpeA', 'adminA'] as const;
const own = (extra: object) => (who: Actor) => ({ ownerId: who.userId, ...extra });

export const DOCUMENTS_MATRIX: MatrixRow[] = [
  { action: 'documents.file.upload', what: 'an upload in school A', target: { schoolId: SCHOOL_A }, allowed: [...SCHOOL_A_PEOPLE] },
  { action: 'documents.file.upload', what: 'an upload in school B', target: { schoolId: SCHOOL_B }, allowed: ['teacherB', 'adminB'] },

  { action: 'documents.file.read', what: 'own file', target: own({ schoolId: SCHOOL_A, sharedClassIds: [] }), allowed: ALL },
  {
    action: 'documents.file.read',
    what: "a 6e A teacher's file shared with 6e A",
    target: { ownerId: TEACHER_6A, schoolId: SCHOOL_A, sharedClassIds: [CLASS_6A] },
    allowed: ['pupilLea', 'parentOfLea', 'teacher6A', 'teacherParentOfHugo', ...STAFF_A],
  },
  {
    action: 'documents.file.read',
    what: 'a file shared with 5e B',
    target: { ownerId: 'teacher-other', schoolId: SCHOOL_A, sharedClassIds: [CLASS_5B] },
    allowed: ['pupilHugo', 'teacherParentOfHugo', ...STAFF_A],
  },
  {
    action: 'documents.file.read',
    what: "a 6e A teacher's file shared with nobody",
    target: { ownerId: TEACHER_6A, schoolId: SCHOOL_A, sharedClassIds: [] },
    allowed: ['teacher6A', ...STAFF_A],
  },
  {
    action: 'documents.file.read',
    what: "Léa's own file (a hand-in)",
    target: { ownerId: LEA, schoolId: SCHOOL_A, sharedClassIds: [] },
    allowed: ['pupilLea', ...STAFF_A],
  },
  {
    action: 'documents.file.read',
    what: 'a file of school B shared with its class',
    target: { ownerId: 'teacher-b', schoolId: SCHOOL_B, sharedClassIds: [CLASS_B1] },
    allowed: ['teacherB', 'adminB'],
  },

  { action: 'documents.file.manage', what: 'own file', target: own({ schoolId: SCHOOL_A }), allowed: ALL },
  { action: 'documents.file.manage', what: "a 6e A teacher's file", target: { ownerId: TEACHER_6A, schoolId: SCHOOL_A }, allowed: ['teacher6A'] },

  {
    action: 'documents.folder.create',
    what: 'a folder in school A',
    target: { schoolId: SCHOOL_A },
    allowed: ['teacher6A', 'teacherParentOfHugo', ...STAFF_A],
  },
  { action: 'documents.folder.create', what: 'a folder in school B', target: { schoolId: SCHOOL_B }, allowed: ['teacherB', 'adminB'] },
  { action: 'documents.folder.manage', what: 'own folder', target: own({ schoolId: SCHOOL_A }), allowed: ALL },
  { action: 'documents.folder.manage', what: "a 6e A teacher's folder", target: { ownerId: TEACHER_6A, schoolId: SCHOOL_A }, allowed: ['teacher6A'] },

  {
    action: 'documents.share',
    what: 'own folder with 6e A',
    target: own({ schoolId: SCHOOL_A, classIds: [CLASS_6A] }),
    allowed: ['teacher6A', 'teacherParentOfHugo', ...STAFF_A],
  },
  { action: 'documents.share', what: 'own file with 5e B', target: own({ schoolId: SCHOOL_A, classIds: [CLASS_5B] }), allowed: [...STAFF_A] },
  {
    action: 'documents.share',
    what: 'own file with 6e A and 5e B',
    target: own({ schoolId: SCHOOL_A, classIds: [CLASS_6A, CLASS_5B] }),
    allowed: [...STAFF_A],
  },
  {
    action: 'documents.share',
    what: "a 6e A teacher's file with 6e A",
    target: { ownerId: TEACHER_6A, schoolId: SCHOOL_A, classIds: [CLASS_6A] },
    allowed: ['teacher6A'],
  },
  { action: 'documents.share', what: 'own file of school B with its class', target: own({ schoolId: SCHOOL_B, classIds: [CLASS_B1] }), allowed: ['teacherB', 'adminB'] },

  {
    action: 'documents.unshare',
    what: "a 6e A teacher's share",
    target: { ownerId: TEACHER_6A, sharedBy: TEACHER_6A, schoolId: SCHOOL_A },
    allowed: ['teacher6A', ...STAFF_A],
  },
  {
    action: 'documents.unshare',
    what: 'a share one made of a colleague’s folder',
    target: (who: Actor) => ({ ownerId: 'teacher-other', sharedBy: who.userId, schoolId: SCHOOL_A }),
    allowed: ALL,
  },

  {
    action: 'documents.shared.list',
    what: 'documents shared with 6e A',
    target: { classId: CLASS_6A, schoolId: SCHOOL_A },
    allowed: ['pupilLea', 'parentOfLea', 'teacher6A', 'teacherParentOfHugo', ...STAFF_A],
  },
  {
    action: 'documents.shared.list',
    what: 'documents shared with 5e B',
    target: { classId: CLASS_5B, schoolId: SCHOOL_A },
    allowed: ['pupilHugo', 'teacherParentOfHugo', ...STAFF_A],
  },
];
