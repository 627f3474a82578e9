/** HTTP contract of the dashboard: one call, role-aware sections. */
import { Type, type Static } from 'typebox';

const ZPersonRef = Type.Object({ id: Type.String(), firstName: Type.String(), lastName: Type.String() });
const ZClassRef = Type.Object({ id: Type.String(), name: Type.String(), level: Type.String() });

const ZNullableString = Type.Union([Type.String(), Type.Null()]);

export const ZDayLesson = Type.Object({
  occurrenceId: Type.String(),
  classId: Type.String(),
  className: Type.String(),
  subject: Type.String(),
  subjectCode: Type.String(),
  teacherName: Type.String(),
  room: Type.String(),
  start: Type.String(),
  end: Type.String(),
  status: Type.Union([Type.Literal('scheduled'), Type.Literal('cancelled'), Type.Literal('moved')]),
  virtual: Type.Union([Type.Object({ kind: Type.Union([Type.Literal('url'), Type.Literal('jitsi'), Type.Literal('bbb')]) }), Type.Null()]),
  joinOpensAt: Type.String(),
});
export type TDayLesson = Static<typeof ZDayLesson>;

export const ZHomeworkDue = Type.Object({
  pupilId: Type.String(),
  homeworkId: Type.String(),
  classId: Type.String(),
  subject: Type.String(),
  subjectCode: Type.String(),
  summary: Type.String(),
  dueDate: Type.String(),
  dueTime: ZNullableString,
  requiresSubmission: Type.Boolean(),
  status: Type.Union([Type.Literal('todo'), Type.Literal('submitted'), Type.Literal('late'), Type.Literal('reviewed')]),
  mark: Type.Union([Type.Number(), Type.Null()]),
  hasFeedback: Type.Boolean(),
});
export type THomeworkDue = Static<typeof ZHomeworkDue>;

export const ZToReview = Type.Object({
  homeworkId: Type.String(),
  className: Type.String(),
  subject: Type.String(),
  dueDate: Type.String(),
  submitted: Type.Integer(),
  late: Type.Integer(),
  missing: Type.Integer(),
  toReview: Type.Integer(),
});

export const ZRecentThread = Type.Object({
  id: Type.String(),
  subject: Type.String(),
  unreadCount: Type.Integer(),
  lastMessage: Type.Object({
    sender: Type.Object({ firstName: Type.String(), lastName: Type.String() }),
    snippet: Type.String(),
    sentAt: Type.String(),
  }),
});

export const ZNewDocument = Type.Object({
  id: Type.String(),
  name: Type.String(),
  size: Type.Integer(),
  contentType: Type.String(),
  sharedAt: Type.String(),
  sharedBy: Type.Object({ firstName: Type.String(), lastName: Type.String() }),
  classIds: Type.Array(Type.String()),
});

/** What matters today: the 9:00 part of the page. Every list is bounded. */
export const ZToday = Type.Object({
  /** YYYY-MM-DD in France. */
  date: Type.String(),
  /** Lessons of the classes the person is in, or their children are in. */
  lessons: Type.Array(ZDayLesson),
  /** Lessons the person teaches. */
  teaching: Type.Array(ZDayLesson),
  /** Homework due in the next 7 days, for the pupil and/or each child (pupilId says whose). */
  homework: Type.Array(ZHomeworkDue),
  /** Assignments with hand-ins to look at (teachers). */
  toReview: Type.Array(ZToReview),
  unreadMessages: Type.Integer(),
  recentThreads: Type.Array(ZRecentThread),
  /** Newest documents shared with the person's (or their children's) classes. */
  documents: Type.Array(ZNewDocument),
});
export type TToday = Static<typeof ZToday>;

export const ZDashboard = Type.Object({
  today: ZToday,
  user: Type.Object({ id: Type.String(), firstName: Type.String(), lastName: Type.String() }),
  /** Present when the person is a pupil. */
  pupil: Type.Optional(
    Type.Object({
      school: Type.Object({ id: Type.String(), name: Type.String() }),
      class: Type.Union([ZClassRef, Type.Null()]),
      groups: Type.Array(ZClassRef),
      classmates: Type.Array(ZPersonRef),
      teachers: Type.Array(Type.Object({ id: Type.String(), firstName: Type.String(), lastName: Type.String(), subjects: Type.Array(Type.String()) })),
    }),
  ),
  /** Present when the person is a parent. */
  parent: Type.Optional(
    Type.Object({
      children: Type.Array(
        Type.Object({
          id: Type.String(),
          firstName: Type.String(),
          lastName: Type.String(),
          school: Type.Object({ id: Type.String(), name: Type.String() }),
          class: Type.Union([ZClassRef, Type.Null()]),
          /** Every class and group of the child, to pick out their lessons and documents. */
          classIds: Type.Array(Type.String()),
        }),
      ),
    }),
  ),
  /** Present when the person teaches. */
  teacher: Type.Optional(
    Type.Object({
      classes: Type.Array(
        Type.Object({ id: Type.String(), name: Type.String(), level: Type.String(), subjects: Type.Array(Type.String()), pupilCount: Type.Integer() }),
      ),
    }),
  ),
  /** Present for principal, CPE and school admin: one entry per school they run. */
  staff: Type.Optional(
    Type.Object({
      schools: Type.Array(
        Type.Object({
          id: Type.String(),
          name: Type.String(),
          uai: Type.String(),
          roles: Type.Array(Type.String()),
          pupils: Type.Integer(),
          parents: Type.Integer(),
          teachers: Type.Integer(),
          activated: Type.Integer(),
          classes: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), level: Type.String(), pupilCount: Type.Integer() })),
        }),
      ),
    }),
  ),
});
export type TDashboard = Static<typeof ZDashboard>;

export const ZClassRoster = Type.Object({
  class: Type.Object({ id: Type.String(), name: Type.String(), level: Type.String(), schoolId: Type.String() }),
  pupils: Type.Array(ZPersonRef),
  teachers: Type.Array(Type.Object({ id: Type.String(), firstName: Type.String(), lastName: Type.String(), subjects: Type.Array(Type.String()) })),
});
export type TClassRoster = Static<typeof ZClassRoster>;
