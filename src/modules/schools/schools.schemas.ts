/** HTTP contract of school administration: CSV import, people, activation codes. */
import { Type, type Static } from 'typebox';

export const ZSchoolParam = Type.Object({ schoolId: Type.String({ format: 'uuid' }) });
export const ZPersonParam = Type.Object({ schoolId: Type.String({ format: 'uuid' }), userId: Type.String({ format: 'uuid' }) });

export const ZImportQuery = Type.Object(
  { dryRun: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const ZImportIssue = Type.Object({
  line: Type.Integer(),
  column: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
});
export type TImportIssue = Static<typeof ZImportIssue>;

export const ZNewAccount = Type.Object({
  userId: Type.String(),
  login: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  profile: Type.String(),
  className: Type.Union([Type.String(), Type.Null()]),
  activationCode: Type.String(),
});
export type TNewAccount = Static<typeof ZNewAccount>;

export const ZImportResult = Type.Object({
  dryRun: Type.Boolean(),
  rows: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  classesCreated: Type.Integer(),
  /** Codes of the accounts created by this import: shown once, to print and hand out. */
  newAccounts: Type.Array(ZNewAccount),
});
export type TImportResult = Static<typeof ZImportResult>;

export const ZPeopleQuery = Type.Object(
  {
    role: Type.Optional(
      Type.Union([
        Type.Literal('pupil'),
        Type.Literal('parent'),
        Type.Literal('teacher'),
        Type.Literal('principal'),
        Type.Literal('cpe'),
        Type.Literal('school_admin'),
      ]),
    ),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    offset: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type TPeopleQuery = Static<typeof ZPeopleQuery>;

export const ZPersonRow = Type.Object({
  id: Type.String(),
  login: Type.String(),
  firstName: Type.String(),
  lastName: Type.String(),
  roles: Type.Array(Type.String()),
  className: Type.Union([Type.String(), Type.Null()]),
  activated: Type.Boolean(),
  hasPendingCode: Type.Boolean(),
});
export const ZPeoplePage = Type.Object({ total: Type.Integer(), people: Type.Array(ZPersonRow) });
export type TPeoplePage = Static<typeof ZPeoplePage>;

export const ZActivationCode = Type.Object({
  userId: Type.String(),
  login: Type.String(),
  activationCode: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type TActivationCode = Static<typeof ZActivationCode>;
