/** Kysely types of the timetable tables (migration 0005_timetable.sql), kept in step with it by hand. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A calendar date: 'YYYY-MM-DD' both ways. */
type CalendarDate = string;
/** A wall-clock time: PostgreSQL returns 'HH:MM:SS'; 'HH:MM' is accepted on the way in. */
type WallTime = string;

export type VirtualKind = 'url' | 'jitsi' | 'bbb';
export type WeekParity = 'A' | 'B';
export type PresenceRole = 'moderator' | 'attendee';

export interface TimetableLessonsTable {
  id: Generated<string>;
  school_id: string;
  class_id: string;
  subject_code: string;
  teacher_id: string;
  room: ColumnType<string, string | undefined, string>;
  weekday: number;
  starts_at: WallTime;
  ends_at: WallTime;
  time_zone: ColumnType<string, string | undefined, string>;
  valid_from: CalendarDate;
  valid_to: CalendarDate;
  week_parity: WeekParity | null;
  virtual_kind: VirtualKind | null;
  virtual_url: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TimetableExceptionsTable {
  lesson_id: string;
  occurs_on: CalendarDate;
  cancelled: ColumnType<boolean, boolean | undefined, boolean>;
  cancel_reason: string | null;
  moved_on: CalendarDate | null;
  moved_start: WallTime | null;
  moved_end: WallTime | null;
  moved_room: string | null;
  substitute_id: string | null;
  virtual_kind: VirtualKind | null;
  virtual_url: string | null;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface TimetablePresenceTable {
  lesson_id: string;
  occurs_on: CalendarDate;
  user_id: string;
  role: PresenceRole;
  joined_at: Timestamp;
}

export interface TimetableCalendarFeedsTable {
  user_id: string;
  nonce: string;
  token_hash: string;
  created_at: Timestamp;
}

export interface TimetableTables {
  timetable_lessons: TimetableLessonsTable;
  timetable_exceptions: TimetableExceptionsTable;
  timetable_presence: TimetablePresenceTable;
  timetable_calendar_feeds: TimetableCalendarFeedsTable;
}
