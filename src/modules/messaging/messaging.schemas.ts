/** HTTP contract of the messagerie: threads, messages, recipients, per-school rules. */
import { Type, type Static } from 'typebox';

export const SUBJECT_MAX = 200;
export const BODY_MAX = 20_000;
export const MAX_ATTACHMENTS = 5;
/** 20 Mo in all per message. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

const ZUuid = Type.String({ format: 'uuid' });

export const ZMessagingRole = Type.Union([Type.Literal('pupil'), Type.Literal('parent'), Type.Literal('teacher'), Type.Literal('staff')]);
export type TMessagingRole = Static<typeof ZMessagingRole>;

export const ZReach = Type.Union([Type.Literal('none'), Type.Literal('linked'), Type.Literal('school')]);
export type TReach = Static<typeof ZReach>;

export const ZGroupKind = Type.Union([
  Type.Literal('class_pupils'),
  Type.Literal('class_parents'),
  Type.Literal('class_pupils_parents'),
  Type.Literal('class_teachers'),
  Type.Literal('school_staff'),
]);
export type TGroupKind = Static<typeof ZGroupKind>;

export const ZPersonRef = Type.Object({ id: Type.String(), firstName: Type.String(), lastName: Type.String() });
export type TPersonRef = Static<typeof ZPersonRef>;

/** A group as addressed: its kind, its class (none for the staff) and its French label. */
export const ZGroup = Type.Object({
  kind: ZGroupKind,
  classId: Type.Union([Type.String(), Type.Null()]),
  className: Type.Union([Type.String(), Type.Null()]),
  /** 'class' or 'group' (option, language…): « Élèves de 6e A » / « Élèves du groupe Latin ». */
  classKind: Type.Union([Type.Literal('class'), Type.Literal('group'), Type.Null()]),
  label: Type.String(),
});
export type TGroup = Static<typeof ZGroup>;

/** Who a message was addressed to, as the writer chose: groups (expanded when sent) and people. */
export const ZAudience = Type.Object({ groups: Type.Array(ZGroup), people: Type.Array(ZPersonRef) });
export type TAudience = Static<typeof ZAudience>;

export const ZAttachment = Type.Object({ id: Type.String(), name: Type.String(), size: Type.Integer(), contentType: Type.String() });
export type TAttachment = Static<typeof ZAttachment>;

// ---------------------------------------------------------------------------------------------
// Writing

export const ZGroupRef = Type.Object({ kind: ZGroupKind, classId: Type.Optional(ZUuid) }, { additionalProperties: false });
export type TGroupRef = Static<typeof ZGroupRef>;

export const ZRecipientsInput = Type.Object(
  {
    people: Type.Optional(Type.Array(ZUuid, { maxItems: 100 })),
    groups: Type.Optional(Type.Array(ZGroupRef, { maxItems: 30 })),
  },
  { additionalProperties: false },
);
export type TRecipientsInput = Static<typeof ZRecipientsInput>;

const ZAttachmentIds = Type.Array(ZUuid, { maxItems: 20 });

export const ZNewThreadBody = Type.Object(
  {
    /** The school the conversation belongs to; defaults to the writer's only (or first) school. */
    schoolId: Type.Optional(ZUuid),
    subject: Type.String({ minLength: 1, maxLength: SUBJECT_MAX }),
    body: Type.String({ minLength: 1, maxLength: BODY_MAX }),
    recipients: ZRecipientsInput,
    /** Files the writer uploaded through POST /api/files. */
    attachmentIds: Type.Optional(ZAttachmentIds),
  },
  { additionalProperties: false },
);
export type TNewThreadBody = Static<typeof ZNewThreadBody>;

export const ZReplyBody = Type.Object(
  {
    /** The message answered (one the writer can see in this thread). */
    inReplyTo: ZUuid,
    /** false: to its author only; true: to its author and everyone it was addressed to that the writer may reach. */
    replyAll: Type.Optional(Type.Boolean()),
    body: Type.String({ minLength: 1, maxLength: BODY_MAX }),
    attachmentIds: Type.Optional(ZAttachmentIds),
  },
  { additionalProperties: false },
);
export type TReplyBody = Static<typeof ZReplyBody>;

export const ZSent = Type.Object({ threadId: Type.String(), messageId: Type.String(), recipientCount: Type.Integer(), audience: ZAudience });
export type TSent = Static<typeof ZSent>;

// ---------------------------------------------------------------------------------------------
// Reading

export const ZThreadParam = Type.Object({ threadId: ZUuid });
export const ZAttachmentParam = Type.Object({ messageId: ZUuid, fileId: ZUuid });

export const ZInboxQuery = Type.Object(
  {
    folder: Type.Optional(Type.Union([Type.Literal('inbox'), Type.Literal('archive')])),
    /** Words of the subject, the sender's name or the text. */
    q: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false },
);
export type TInboxQuery = Static<typeof ZInboxQuery>;

export const ZThreadSummary = Type.Object({
  id: Type.String(),
  subject: Type.String(),
  schoolId: Type.String(),
  unreadCount: Type.Integer(),
  messageCount: Type.Integer(),
  archived: Type.Boolean(),
  lastMessage: Type.Object({
    id: Type.String(),
    sender: ZPersonRef,
    isMine: Type.Boolean(),
    snippet: Type.String(),
    sentAt: Type.String({ format: 'date-time' }),
  }),
  /** Everyone else in the conversation as this person sees it: groups and people. */
  participants: ZAudience,
});
export type TThreadSummary = Static<typeof ZThreadSummary>;

export const ZInboxPage = Type.Object({
  threads: Type.Array(ZThreadSummary),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type TInboxPage = Static<typeof ZInboxPage>;

export const ZMessageView = Type.Object({
  id: Type.String(),
  sender: ZPersonRef,
  isMine: Type.Boolean(),
  body: Type.String(),
  sentAt: Type.String({ format: 'date-time' }),
  inReplyTo: Type.Union([Type.String(), Type.Null()]),
  audience: ZAudience,
  recipientCount: Type.Integer(),
  /** Unread before this page was opened (the page marks the thread read). */
  wasUnread: Type.Boolean(),
  attachments: Type.Array(ZAttachment),
});
export type TMessageView = Static<typeof ZMessageView>;

export const ZThreadView = Type.Object({
  id: Type.String(),
  subject: Type.String(),
  schoolId: Type.String(),
  archived: Type.Boolean(),
  messages: Type.Array(ZMessageView),
});
export type TThreadView = Static<typeof ZThreadView>;

export const ZThreadStateBody = Type.Object(
  { read: Type.Optional(Type.Boolean()), archived: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);
export type TThreadStateBody = Static<typeof ZThreadStateBody>;

export const ZUnreadCount = Type.Object({ count: Type.Integer() });

// ---------------------------------------------------------------------------------------------
// Recipient picker

export const ZRecipientQuery = Type.Object(
  {
    schoolId: Type.Optional(ZUuid),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);
export type TRecipientQuery = Static<typeof ZRecipientQuery>;

const ZSchoolRole = Type.Union([
  Type.Literal('pupil'),
  Type.Literal('parent'),
  Type.Literal('teacher'),
  Type.Literal('principal'),
  Type.Literal('cpe'),
  Type.Literal('school_admin'),
]);

export const ZRecipientPerson = Type.Object({
  id: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  roles: Type.Array(ZSchoolRole),
  /** Classes of a pupil, classes taught by a teacher. */
  classes: Type.Array(Type.String()),
  /** Subjects (French labels) of a teacher. */
  subjects: Type.Array(Type.String()),
  /** Children of a parent: « Léa Martin (6e A) ». */
  children: Type.Array(Type.Object({ firstName: Type.String(), lastName: Type.String(), className: Type.Union([Type.String(), Type.Null()]) })),
});
export type TRecipientPerson = Static<typeof ZRecipientPerson>;

export const ZRecipientOptions = Type.Object({
  school: Type.Object({ id: Type.String(), name: Type.String() }),
  /** Every school where this person can write (a choice appears when there are several). */
  schools: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  groups: Type.Array(ZGroup),
  people: Type.Array(ZRecipientPerson),
  /** More people match than were returned: refine the search. */
  more: Type.Boolean(),
});
export type TRecipientOptions = Static<typeof ZRecipientOptions>;

// ---------------------------------------------------------------------------------------------
// Rules of a school

export const ZSchoolParam = Type.Object({ schoolId: ZUuid });

export const ZRule = Type.Object({ from: ZMessagingRole, to: ZMessagingRole, reach: ZReach }, { additionalProperties: false });
export type TRule = Static<typeof ZRule>;

export const ZRulesView = Type.Object({
  schoolId: Type.String(),
  rules: Type.Array(Type.Object({ from: ZMessagingRole, to: ZMessagingRole, reach: ZReach, isDefault: Type.Boolean() })),
});
export type TRulesView = Static<typeof ZRulesView>;

export const ZRulesBody = Type.Object({ rules: Type.Array(ZRule, { minItems: 1, maxItems: 16 }) }, { additionalProperties: false });
export type TRulesBody = Static<typeof ZRulesBody>;
