/** HTTP contract of the identity module. The web client imports these types (types only). */
import { Type, type Static } from 'typebox';

export const ROLE_VALUES = ['pupil', 'parent', 'teacher', 'principal', 'cpe', 'school_admin', 'operator'] as const;
export const ZRole = Type.Union([
  Type.Literal('pupil'),
  Type.Literal('parent'),
  Type.Literal('teacher'),
  Type.Literal('principal'),
  Type.Literal('cpe'),
  Type.Literal('school_admin'),
  Type.Literal('operator'),
]);
export const ZLocale = Type.Union([Type.Literal('fr'), Type.Literal('en')]);

export const ZLoginBody = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
    remember: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type TLoginBody = Static<typeof ZLoginBody>;

export const ZActivationCheckBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);
export type TActivationCheckBody = Static<typeof ZActivationCheckBody>;

export const ZActivationCheck = Type.Object({
  login: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
});
export type TActivationCheck = Static<typeof ZActivationCheck>;

/** Passwords: at least 10 characters (pupils use passphrases), at most 200. */
export const PASSWORD_MIN_LENGTH = 10;
export const ZActivateBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 40 }),
    password: Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: 200 }),
    remember: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type TActivateBody = Static<typeof ZActivateBody>;

export const ZRoleGrant = Type.Object({
  role: ZRole,
  schoolId: Type.Union([Type.String(), Type.Null()]),
  schoolName: Type.Union([Type.String(), Type.Null()]),
});

export const ZMe = Type.Object({
  id: Type.String(),
  login: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  locale: ZLocale,
  roles: Type.Array(ZRoleGrant),
  /** Send back as the `x-csrf-token` header on every POST, PUT, PATCH and DELETE. */
  csrfToken: Type.String(),
});
export type TMe = Static<typeof ZMe>;

export const ZUpdateMeBody = Type.Object({ locale: ZLocale }, { additionalProperties: false });
export type TUpdateMeBody = Static<typeof ZUpdateMeBody>;

export const ZSessionView = Type.Object({
  id: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  userAgent: Type.String(),
  ip: Type.String(),
  remember: Type.Boolean(),
  current: Type.Boolean(),
});
export const ZSessionList = Type.Object({ sessions: Type.Array(ZSessionView) });
export type TSessionView = Static<typeof ZSessionView>;

export const ZIdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
