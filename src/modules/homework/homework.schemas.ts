/**
 * HTTP contract of the homework module: the cahier de textes (lesson entries and homework items
 * of a class and subject), assignments with hand-ins, reviews. Imported as types by the web app.
 */
import { Type, type Static } from 'typebox';

const ZUuid = Type.String({ format: 'uuid' });
/** A calendar date, 'YYYY-MM-DD'. */
const ZDate = Type.String({ format: 'date' });
/** A time of day, 'HH:MM'. */
const ZTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
const ZSubjectCode = Type.String({ pattern: '^[A-Z0-9_]{1,20}$' });
const ZText = (maxLength: number) => Type.String({ maxLength });

export const MAX_ATTACHMENTS = 10;
const ZFileIds = Type.Array(ZUuid, { maxItems: MAX_ATTACHMENTS, uniqueItems: true });

// ---------------------------------------------------------------------------------------------
// Params and queries

export const ZClassParam = Type.Object({ classId: ZUuid });
export const ZHomeworkParam = Type.Object({ homeworkId: ZUuid });
export const ZLessonParam = Type.Object({ lessonId: ZUuid });
export const ZPupilParam = Type.Object({ pupilId: ZUuid });
export const ZSubmissionParam = Type.Object({ submissionId: ZUuid });
export const ZAttachmentParam = Type.Object({ homeworkId: ZUuid, fileId: ZUuid });
export const ZSubmissionFileParam = Type.Object({ submissionId: ZUuid, fileId: ZUuid });

export const ZClassHomeworkQuery = Type.Object(
  { subject: ZSubjectCode, from: Type.Optional(ZDate), to: Type.Optional(ZDate) },
  { additionalProperties: false },
);
export type TClassHomeworkQuery = Static<typeof ZClassHomeworkQuery>;

export const ZRangeQuery = Type.Object({ from: Type.Optional(ZDate), to: Type.Optional(ZDate) }, { additionalProperties: false });
export type TRangeQuery = Static<typeof ZRangeQuery>;

// ---------------------------------------------------------------------------------------------
// Bodies

export const ZLessonBody = Type.Object(
  { subject: ZSubjectCode, date: ZDate, content: ZText(5000) },
  { additionalProperties: false },
);
export type TLessonBody = Static<typeof ZLessonBody>;

export const ZLessonPatch = Type.Object({ date: Type.Optional(ZDate), content: Type.Optional(ZText(5000)) }, { additionalProperties: false });
export type TLessonPatch = Static<typeof ZLessonPatch>;

export const ZHomeworkBody = Type.Object(
  {
    subject: ZSubjectCode,
    instructions: ZText(5000),
    dueDate: ZDate,
    dueTime: Type.Optional(Type.Union([ZTime, Type.Null()])),
    requiresSubmission: Type.Optional(Type.Boolean()),
    attachmentIds: Type.Optional(ZFileIds),
  },
  { additionalProperties: false },
);
export type THomeworkBody = Static<typeof ZHomeworkBody>;

export const ZHomeworkPatch = Type.Object(
  {
    instructions: Type.Optional(ZText(5000)),
    dueDate: Type.Optional(ZDate),
    dueTime: Type.Optional(Type.Union([ZTime, Type.Null()])),
    requiresSubmission: Type.Optional(Type.Boolean()),
    attachmentIds: Type.Optional(ZFileIds),
  },
  { additionalProperties: false },
);
export type THomeworkPatch = Static<typeof ZHomeworkPatch>;

export const ZSubmissionBody = Type.Object(
  { text: Type.Optional(ZText(20_000)), fileIds: Type.Optional(ZFileIds) },
  { additionalProperties: false },
);
export type TSubmissionBody = Static<typeof ZSubmissionBody>;

export const ZReviewBody = Type.Object(
  { feedback: ZText(5000), mark: Type.Union([Type.Number({ minimum: 0, maximum: 20 }), Type.Null()]) },
  { additionalProperties: false },
);
export type TReviewBody = Static<typeof ZReviewBody>;

// ---------------------------------------------------------------------------------------------
// Responses

const ZPerson = Type.Object({ id: Type.String(), firstName: Type.String(), lastName: Type.String() });
export type TPerson = Static<typeof ZPerson>;

export const ZFileRef = Type.Object({ id: Type.String(), name: Type.String(), size: Type.Integer(), contentType: Type.String() });
export type TFileRef = Static<typeof ZFileRef>;

/** « À faire », « Rendu », « Rendu en retard », « Corrigé ». */
export const ZHomeworkStatus = Type.Union([Type.Literal('todo'), Type.Literal('submitted'), Type.Literal('late'), Type.Literal('reviewed')]);
export type THomeworkStatus = Static<typeof ZHomeworkStatus>;

const ZSubject = Type.Object({ code: Type.String(), label: Type.String() });

export const ZLesson = Type.Object({
  id: Type.String(),
  classId: Type.String(),
  subject: ZSubject,
  date: Type.String(),
  content: Type.String(),
  teacher: ZPerson,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type TLesson = Static<typeof ZLesson>;

/** Hand-in counts of an assignment: submitted (on time) + late + missing = pupils of the class. */
export const ZSubmissionCounts = Type.Object({
  pupils: Type.Integer(),
  submitted: Type.Integer(),
  late: Type.Integer(),
  missing: Type.Integer(),
  toReview: Type.Integer(),
});
export type TSubmissionCounts = Static<typeof ZSubmissionCounts>;

export const ZHomework = Type.Object({
  id: Type.String(),
  class: Type.Object({ id: Type.String(), name: Type.String() }),
  subject: ZSubject,
  instructions: Type.String(),
  dueDate: Type.String(),
  dueTime: Type.Union([Type.String(), Type.Null()]),
  /** The deadline instant (the due time, or the end of the due day, in the school's time zone). */
  dueAt: Type.String({ format: 'date-time' }),
  requiresSubmission: Type.Boolean(),
  closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  teacher: ZPerson,
  attachments: Type.Array(ZFileRef),
  createdAt: Type.String({ format: 'date-time' }),
  /** Hand-in counts, for the assignment's teacher only (null otherwise or without hand-in). */
  counts: Type.Union([ZSubmissionCounts, Type.Null()]),
});
export type THomework = Static<typeof ZHomework>;

export const ZSubmission = Type.Object({
  id: Type.String(),
  homeworkId: Type.String(),
  pupil: ZPerson,
  text: Type.String(),
  files: Type.Array(ZFileRef),
  version: Type.Integer(),
  submittedAt: Type.String({ format: 'date-time' }),
  isLate: Type.Boolean(),
  feedback: Type.Union([Type.String(), Type.Null()]),
  mark: Type.Union([Type.Number(), Type.Null()]),
  reviewedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type TSubmission = Static<typeof ZSubmission>;

export const ZClassHomework = Type.Object({
  class: Type.Object({ id: Type.String(), name: Type.String() }),
  subject: ZSubject,
  from: Type.String(),
  to: Type.String(),
  /** The person may write in this cahier de textes (a teacher of this class and subject). */
  canWrite: Type.Boolean(),
  lessons: Type.Array(ZLesson),
  homework: Type.Array(ZHomework),
});
export type TClassHomework = Static<typeof ZClassHomework>;

export const ZTeachingList = Type.Object({
  teaching: Type.Array(Type.Object({ classId: Type.String(), className: Type.String(), subject: ZSubject })),
});
export type TTeachingList = Static<typeof ZTeachingList>;

export const ZFollowedPupils = Type.Object({
  pupils: Type.Array(Type.Object({ ...ZPerson.properties, className: Type.Union([Type.String(), Type.Null()]), isSelf: Type.Boolean() })),
});
export type TFollowedPupils = Static<typeof ZFollowedPupils>;

export const ZPupilHomeworkItem = Type.Object({
  ...ZHomework.properties,
  status: ZHomeworkStatus,
  submission: Type.Union([ZSubmission, Type.Null()]),
});
export type TPupilHomeworkItem = Static<typeof ZPupilHomeworkItem>;

export const ZPupilHomework = Type.Object({
  pupil: ZPerson,
  from: Type.String(),
  to: Type.String(),
  items: Type.Array(ZPupilHomeworkItem),
});
export type TPupilHomework = Static<typeof ZPupilHomework>;

export const ZReviewPage = Type.Object({
  homework: ZHomework,
  /** The assignment's teacher may review (staff read only). */
  canReview: Type.Boolean(),
  pupils: Type.Array(Type.Object({ pupil: ZPerson, status: ZHomeworkStatus, submission: Type.Union([ZSubmission, Type.Null()]) })),
});
export type TReviewPage = Static<typeof ZReviewPage>;
