/** HTTP contract of the documents module (also imported as types by the web app). */
import { Type, type Static } from 'typebox';

const ZUuid = Type.String({ format: 'uuid' });

export const ZIdParams = Type.Object({ id: ZUuid });
export type TIdParams = Static<typeof ZIdParams>;

/** POST /api/files?folderId=…&schoolId=… (multipart body with one `file` part). */
export const ZUploadQuery = Type.Object(
  {
    /** Folder of the uploader's to put the file in (documents page); omitted for attachments. */
    folderId: Type.Optional(ZUuid),
    /** For people of several schools uploading outside a folder (default: where they work). */
    schoolId: Type.Optional(ZUuid),
  },
  { additionalProperties: false },
);
export type TUploadQuery = Static<typeof ZUploadQuery>;

/** An uploaded file, as returned to its owner. */
export const ZFile = Type.Object({
  id: Type.String(),
  name: Type.String(),
  size: Type.Integer(),
  contentType: Type.String(),
  folderId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export type TFile = Static<typeof ZFile>;

const ZShare = Type.Object({ id: Type.String(), classId: Type.String(), className: Type.String(), sharedAt: Type.String() });
export type TShare = Static<typeof ZShare>;

export const ZLibrary = Type.Object({
  folders: Type.Array(
    Type.Object({ id: Type.String(), parentId: Type.Union([Type.String(), Type.Null()]), name: Type.String(), createdAt: Type.String(), shares: Type.Array(ZShare) }),
  ),
  files: Type.Array(Type.Intersect([ZFile, Type.Object({ shares: Type.Array(ZShare) })])),
  quota: Type.Object({ usedBytes: Type.Number(), limitBytes: Type.Number(), maxFileBytes: Type.Number() }),
  /** Classes and groups the person may share with. */
  classes: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), kind: Type.Union([Type.Literal('class'), Type.Literal('group')]) })),
  /** Whether the person keeps folders and shares (teachers and staff). */
  canShare: Type.Boolean(),
});
export type TLibrary = Static<typeof ZLibrary>;

const ZName = (maxLength: number) => Type.String({ minLength: 1, maxLength });

export const ZCreateFolder = Type.Object({ name: ZName(100), parentId: Type.Optional(Type.Union([ZUuid, Type.Null()])) }, { additionalProperties: false });
export type TCreateFolder = Static<typeof ZCreateFolder>;

export const ZUpdateFolder = Type.Object(
  { name: Type.Optional(ZName(100)), parentId: Type.Optional(Type.Union([ZUuid, Type.Null()])) },
  { additionalProperties: false, minProperties: 1 },
);
export type TUpdateFolder = Static<typeof ZUpdateFolder>;

export const ZFolder = Type.Object({ id: Type.String(), parentId: Type.Union([Type.String(), Type.Null()]), name: Type.String() });
export type TFolder = Static<typeof ZFolder>;

export const ZUpdateFile = Type.Object(
  { name: Type.Optional(ZName(200)), folderId: Type.Optional(Type.Union([ZUuid, Type.Null()])) },
  { additionalProperties: false, minProperties: 1 },
);
export type TUpdateFile = Static<typeof ZUpdateFile>;

/** PUT …/shares: the complete list of classes and groups to share with (empty: unshare all). */
export const ZSetShares = Type.Object({ classIds: Type.Array(ZUuid, { maxItems: 100, uniqueItems: true }) }, { additionalProperties: false });
export type TSetShares = Static<typeof ZSetShares>;

export const ZShares = Type.Object({ shares: Type.Array(ZShare) });
export type TShares = Static<typeof ZShares>;

const ZSharedFile = Type.Object({
  id: Type.String(),
  name: Type.String(),
  size: Type.Integer(),
  contentType: Type.String(),
  sharedAt: Type.String(),
  sharedBy: Type.Object({ firstName: Type.String(), lastName: Type.String() }),
});
export type TSharedFile = Static<typeof ZSharedFile>;

/** GET /api/documents/shared: per class, files grouped by folder (path null: shared on their own). */
export const ZSharedDocuments = Type.Object({
  classes: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      groups: Type.Array(Type.Object({ path: Type.Union([Type.Array(Type.String()), Type.Null()]), files: Type.Array(ZSharedFile) })),
    }),
  ),
});
export type TSharedDocuments = Static<typeof ZSharedDocuments>;
