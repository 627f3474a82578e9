/** The messaging module's rows of the roles × actions matrix. */
import { CLASS_5B, CLASS_6A, CLASS_B1, HUGO, LEA, SCHOOL_A, SCHOOL_B, type MatrixRow, type Persona } from './matrix-support.ts';
import type { MessagingReach, MessagingRole, MessagingRules } from './messaging.ts';

const row = (pupil: MessagingReach, parent: MessagingReach, teacher: MessagingReach, staff: MessagingReach) => ({ pupil, parent, teacher, staff });
/** The defaults of every school: a pupil and a parent write to their (children's) teachers and to staff; teachers and staff to anyone. */
const DEFAULTS: MessagingRules = {
  pupil: row('none', 'none', 'linked', 'school'),
  parent: row('none', 'none', 'linked', 'school'),
  teacher: row('school', 'school', 'school', 'school'),
  staff: row('school', 'school', 'school', 'school'),
};
/** A school that lets pupils write to their classmates, and keeps parents away from staff. */
const CUSTOM: MessagingRules = { ...DEFAULTS, pupil: { ...DEFAULTS.pupil, pupil: 'linked' }, parent: { ...DEFAULTS.parent, staff: 'none' } };

const SCHOOL_A_PEOPLE: Persona[] = ['pupilLea', 'pupilHugo', 'parentOfLea', 'teacher6A', 'teacherParentOfHugo', 'principalA', 'cpeA', 'adminA'];
const STAFF_A: Persona[] = ['principalA', 'cpeA', 'adminA'];
const TEACHERS_AND_STAFF_A: Persona[] = ['teacher6A', 'teacherParentOfHugo', ...STAFF_A];

const person = (what: string, recipient: Partial<Record<MessagingRole, string[]>>, allowed: Persona[], rules = DEFAULTS): MatrixRow => ({
  action: 'messaging.person.write',
  what,
  target: { schoolId: SCHOOL_A, rules, recipient },
  allowed,
});
const group = (what: string, kind: string, classId: string | undefined, allowed: Persona[], rules = DEFAULTS, schoolId = SCHOOL_A): MatrixRow => ({
  action: 'messaging.group.write',
  what,
  target: { schoolId, rules, group: { kind, ...(classId ? { classId } : {}) } },
  allowed,
});

export const MESSAGING_MATRIX: MatrixRow[] = [
  { action: 'messaging.use', what: 'the messagerie of school A', target: { schoolId: SCHOOL_A }, allowed: SCHOOL_A_PEOPLE },
  { action: 'messaging.use', what: 'the messagerie of school B', target: { schoolId: SCHOOL_B }, allowed: ['adminB', 'teacherB'] },

  // Reading: the sender and the recipients, nobody else — not another family, not the pupil of a parent's message.
  {
    action: 'messaging.message.read',
    what: "a teacher's message to Léa's parent",
    target: { senderId: 'teacher-6a', recipientIds: ['parent-lea'] },
    allowed: ['teacher6A', 'parentOfLea'],
  },
  {
    action: 'messaging.message.read',
    what: "Léa's parent's message to a teacher",
    target: { senderId: 'parent-lea', recipientIds: ['teacher-6a'] },
    allowed: ['teacher6A', 'parentOfLea'],
  },
  {
    action: 'messaging.message.read',
    what: "a teacher's message to Léa",
    target: { senderId: 'teacher-6a', recipientIds: [LEA] },
    allowed: ['teacher6A', 'pupilLea'],
  },
  {
    action: 'messaging.message.read',
    what: 'a message from the principal to Hugo and his parent',
    target: { senderId: 'principal-a', recipientIds: [HUGO, 'teacher-parent'] },
    allowed: ['principalA', 'pupilHugo', 'teacherParentOfHugo'],
  },

  // Writing to one person, under the default rules.
  person("to Léa's parent (parent in 6e A)", { parent: [CLASS_6A] }, TEACHERS_AND_STAFF_A),
  person('to Léa (pupil in 6e A)', { pupil: [CLASS_6A] }, TEACHERS_AND_STAFF_A),
  person('to Hugo (pupil in 5e B)', { pupil: [CLASS_5B] }, TEACHERS_AND_STAFF_A),
  person('to a teacher of 6e A', { teacher: [CLASS_6A] }, ['pupilLea', 'parentOfLea', ...TEACHERS_AND_STAFF_A]),
  person('to a teacher of 5e B only', { teacher: [CLASS_5B] }, ['pupilHugo', 'teacherParentOfHugo', 'teacher6A', ...STAFF_A]),
  person('to a teacher of 5e B who is also a parent in 6e A', { teacher: [CLASS_5B], parent: [CLASS_6A] }, [
    'pupilHugo',
    'teacherParentOfHugo',
    'teacher6A',
    ...STAFF_A,
  ]),
  person('to the CPE', { staff: [] }, SCHOOL_A_PEOPLE),
  person('to someone with no role in school A', {}, []),
  // Writing to one person, under a school's own rules.
  person('to Léa, where pupils may write to classmates', { pupil: [CLASS_6A] }, ['pupilLea', ...TEACHERS_AND_STAFF_A], CUSTOM),
  person('to the CPE, where parents may not write to staff', { staff: [] }, ['pupilLea', 'pupilHugo', 'teacher6A', 'teacherParentOfHugo', ...STAFF_A], CUSTOM),

  // Writing to groups.
  group('« Parents de 6e A »', 'class_parents', CLASS_6A, TEACHERS_AND_STAFF_A),
  group('« Élèves de 6e A »', 'class_pupils', CLASS_6A, TEACHERS_AND_STAFF_A),
  group('« Élèves et parents de 5e B »', 'class_pupils_parents', CLASS_5B, TEACHERS_AND_STAFF_A),
  group('« Enseignants de 6e A »', 'class_teachers', CLASS_6A, ['pupilLea', 'parentOfLea', ...TEACHERS_AND_STAFF_A]),
  group('« Enseignants de 5e B »', 'class_teachers', CLASS_5B, ['pupilHugo', ...TEACHERS_AND_STAFF_A]),
  group('« Direction et vie scolaire »', 'school_staff', undefined, SCHOOL_A_PEOPLE),
  group('a class group with no class', 'class_pupils', undefined, []),
  group('« Élèves de 6e A », where pupils may write to classmates', 'class_pupils', CLASS_6A, ['pupilLea', ...TEACHERS_AND_STAFF_A], CUSTOM),
  group('« Élèves de 6e 1 » (school B)', 'class_pupils', CLASS_B1, ['teacherB', 'adminB'], DEFAULTS, SCHOOL_B),

  { action: 'messaging.rules.manage', what: 'the rules of school A', target: { schoolId: SCHOOL_A }, allowed: ['adminA'] },
  { action: 'messaging.rules.manage', what: 'the rules of school B', target: { schoolId: SCHOOL_B }, allowed: ['adminB'] },
];
