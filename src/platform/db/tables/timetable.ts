/** Kysely types of the timetable tables (migration 0005_timetable.sql), kept in step with it by hand. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the timetable module
export interface TimetableTables {}
