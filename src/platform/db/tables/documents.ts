/** Kysely types of the documents tables (migration 0003_documents.sql), kept in step with it by hand. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the documents module
export interface DocumentsTables {}
