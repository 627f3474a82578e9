/** Kysely types of the homework tables (migration 0004_homework.sql), kept in step with it by hand. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the homework module
export interface HomeworkTables {}
