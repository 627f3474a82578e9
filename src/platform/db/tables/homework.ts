/** Kysely types of the homework tables (migration 0004_homework.sql), kept in step with it by hand. */
import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from '../schema.ts';

export interface HomeworkLessonsTable {
  id: Generated<string>;
  school_id: string;
  class_id: string;
  subject_code: string;
  teacher_id: string;
  /** 'YYYY-MM-DD' */
  lesson_date: string;
  content: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface HomeworkItemsTable {
  id: Generated<string>;
  school_id: string;
  class_id: string;
  subject_code: string;
  teacher_id: string;
  instructions: string;
  /** 'YYYY-MM-DD' */
  due_date: string;
  /** 'HH:MM:SS' or null (end of the day). */
  due_time: string | null;
  /** Generated: the deadline instant in the school's time zone. */
  due_at: ColumnType<Date, never, never>;
  requires_submission: ColumnType<boolean, boolean | undefined, boolean>;
  closed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface HomeworkAttachmentsTable {
  homework_id: string;
  file_id: string;
  position: number;
}

export interface HomeworkSubmissionsTable {
  id: Generated<string>;
  homework_id: string;
  pupil_id: string;
  text: ColumnType<string, string | undefined, string>;
  version: ColumnType<number, number | undefined, number>;
  submitted_at: Timestamp;
  feedback: string | null;
  mark: number | null;
  reviewed_at: NullableTimestamp;
  reviewed_by: string | null;
}

export interface HomeworkSubmissionFilesTable {
  submission_id: string;
  file_id: string;
  position: number;
}

export interface HomeworkTables {
  homework_lessons: HomeworkLessonsTable;
  homework_items: HomeworkItemsTable;
  homework_attachments: HomeworkAttachmentsTable;
  homework_submissions: HomeworkSubmissionsTable;
  homework_submission_files: HomeworkSubmissionFilesTable;
}
