/** HTTP contract of the timetable: lessons, occurrences, virtual classes, calendar feeds. The web app imports the types. */
import { Type, type Static } from 'typebox';

const DATE = '^\\d{4}-\\d{2}-\\d{2}$';
const TIME = '^([01]\\d|2[0-3]):[0-5]\\d$';
const UUID = { format: 'uuid' } as const;
/** `<lessonId>_<YYYY-MM-DD>` */
export const OCCURRENCE_ID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}_\\d{4}-\\d{2}-\\d{2}$';

export const ZDate = Type.String({ pattern: DATE, description: 'AAAA-MM-JJ' });
export const ZTime = Type.String({ pattern: TIME, description: 'HH:MM' });
const ZWeekParity = Type.Union([Type.Literal('A'), Type.Literal('B'), Type.Null()]);
const ZVirtualKind = Type.Union([Type.Literal('url'), Type.Literal('jitsi'), Type.Literal('bbb')]);
const ZStatus = Type.Union([Type.Literal('scheduled'), Type.Literal('cancelled'), Type.Literal('moved')]);
const ZPersonName = Type.Object({ id: Type.String(), name: Type.String() });

export const ZOccurrenceParams = Type.Object({ occurrenceId: Type.String({ pattern: OCCURRENCE_ID }) });
export const ZLessonParams = Type.Object({ lessonId: Type.String(UUID) });

export const ZOccurrence = Type.Object({
  occurrenceId: Type.String(),
  lessonId: Type.String(),
  /** The scheduled date (part of the occurrence id). */
  date: Type.String(),
  /** The date it takes place (differs when moved to another day). */
  day: Type.String(),
  classId: Type.String(),
  className: Type.String(),
  subjectCode: Type.String(),
  subject: Type.String(),
  teacher: ZPersonName,
  substitute: Type.Union([ZPersonName, Type.Null()]),
  room: Type.String(),
  start: Type.String({ format: 'date-time' }),
  end: Type.String({ format: 'date-time' }),
  status: ZStatus,
  cancelReason: Type.Union([Type.String(), Type.Null()]),
  /** Where and when it was planned, when moved. */
  planned: Type.Union([Type.Object({ start: Type.String(), end: Type.String(), room: Type.String() }), Type.Null()]),
  weekParity: ZWeekParity,
  virtual: Type.Union([
    Type.Object({
      kind: ZVirtualKind,
      scope: Type.Union([Type.Literal('lesson'), Type.Literal('occurrence')]),
      /** The plain link, for those who may change it; others get it by joining. */
      url: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  joinOpensAt: Type.String({ format: 'date-time' }),
  can: Type.Object({
    join: Type.Boolean(),
    change: Type.Boolean(),
    setVirtual: Type.Boolean(),
    seePresence: Type.Boolean(),
    manage: Type.Boolean(),
  }),
});
export type TOccurrence = Static<typeof ZOccurrence>;

export const ZTimetableQuery = Type.Object(
  {
    from: ZDate,
    to: ZDate,
    classId: Type.Optional(Type.String(UUID)),
    pupilId: Type.Optional(Type.String(UUID)),
    teacherId: Type.Optional(Type.String(UUID)),
  },
  { additionalProperties: false },
);
export type TTimetableQuery = Static<typeof ZTimetableQuery>;

export const ZTimetable = Type.Object({
  from: Type.String(),
  to: Type.String(),
  /** The server's clock, so that a page can tell when « Rejoindre » opens whatever the device's clock says. */
  serverNow: Type.String({ format: 'date-time' }),
  occurrences: Type.Array(ZOccurrence),
});
export type TTimetable = Static<typeof ZTimetable>;

const ZScope = Type.Object({
  kind: Type.Union([Type.Literal('mine'), Type.Literal('class'), Type.Literal('pupil')]),
  id: Type.Union([Type.String(), Type.Null()]),
  label: Type.String(),
});

export const ZTimetableContext = Type.Object({
  /** Today in the school's time zone. */
  today: Type.String(),
  serverNow: Type.String({ format: 'date-time' }),
  videoProvider: Type.Union([Type.Literal('jitsi'), Type.Literal('bbb')]),
  scopes: Type.Array(ZScope),
  /** Schools where the person makes the timetable, with what the lesson form offers. */
  manage: Type.Array(
    Type.Object({
      schoolId: Type.String(),
      schoolName: Type.String(),
      schoolYear: Type.Object({ from: Type.String(), to: Type.String() }),
      classes: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
      teachers: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), subjects: Type.Array(Type.String()) })),
      subjects: Type.Array(Type.Object({ code: Type.String(), label: Type.String() })),
    }),
  ),
});
export type TTimetableContext = Static<typeof ZTimetableContext>;

export const ZLessonBody = Type.Object(
  {
    classId: Type.String(UUID),
    subjectCode: Type.String({ minLength: 1, maxLength: 20 }),
    teacherId: Type.String(UUID),
    room: Type.String({ maxLength: 60 }),
    weekday: Type.Integer({ minimum: 1, maximum: 7 }),
    start: ZTime,
    end: ZTime,
    validFrom: ZDate,
    validTo: ZDate,
    weekParity: Type.Optional(ZWeekParity),
  },
  { additionalProperties: false },
);
export type TLessonBody = Static<typeof ZLessonBody>;

export const ZLesson = Type.Object({
  id: Type.String(),
  classId: Type.String(),
  subjectCode: Type.String(),
  teacherId: Type.String(),
  room: Type.String(),
  weekday: Type.Integer(),
  start: Type.String(),
  end: Type.String(),
  validFrom: Type.String(),
  validTo: Type.String(),
  weekParity: ZWeekParity,
  virtual: Type.Union([Type.Object({ kind: ZVirtualKind, url: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
});
export type TLesson = Static<typeof ZLesson>;

/** A lesson's virtual class: none, a plain https link, or a room of the configured provider. */
export const ZLessonVirtualBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('none'), Type.Literal('url'), Type.Literal('room')]),
    url: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type TLessonVirtualBody = Static<typeof ZLessonVirtualBody>;

/** One occurrence's own virtual class; 'inherit' goes back to the lesson's. */
export const ZOccurrenceVirtualBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('inherit'), Type.Literal('url'), Type.Literal('room')]),
    url: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type TOccurrenceVirtualBody = Static<typeof ZOccurrenceVirtualBody>;

export const ZCancelBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 300 }) }, { additionalProperties: false });
export type TCancelBody = Static<typeof ZCancelBody>;

export const ZMoveBody = Type.Object(
  { date: ZDate, start: ZTime, end: ZTime, room: Type.Optional(Type.String({ maxLength: 60 })) },
  { additionalProperties: false },
);
export type TMoveBody = Static<typeof ZMoveBody>;

export const ZSubstituteBody = Type.Object({ teacherId: Type.String(UUID) }, { additionalProperties: false });
export type TSubstituteBody = Static<typeof ZSubstituteBody>;

export const ZJoin = Type.Object({
  /** The URL to open: the provider's room, signed for this person and role, or the plain link. */
  url: Type.String(),
  role: Type.Union([Type.Literal('moderator'), Type.Literal('attendee')]),
  /** The first time this person joined this occurrence. */
  joinedAt: Type.String({ format: 'date-time' }),
  firstJoin: Type.Boolean(),
});
export type TJoin = Static<typeof ZJoin>;

const ZPresent = Type.Object({
  id: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  joinedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export const ZPresence = Type.Object({
  occurrence: ZOccurrence,
  pupils: Type.Array(ZPresent),
  moderators: Type.Array(ZPresent),
  joined: Type.Integer(),
  total: Type.Integer(),
});
export type TPresence = Static<typeof ZPresence>;

export const ZCalendarFeed = Type.Object({
  active: Type.Boolean(),
  /** Path of the private feed (/ical/<token>.ics); null when none, or when it must be regenerated to be shown. */
  path: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type TCalendarFeed = Static<typeof ZCalendarFeed>;

export const ZFeedParams = Type.Object({ file: Type.String({ maxLength: 80 }) });
