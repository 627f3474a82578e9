/** Kysely types of the messaging tables (migration 0002_messaging.sql), kept in step with it by hand. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the messaging module
export interface MessagingTables {}
