/** Kysely table types, kept in step with migrations/ by hand (the migration is the source). */
import type { ColumnType, Generated } from 'kysely';
import type { DocumentsTables } from './tables/documents.ts';
import type { HomeworkTables } from './tables/homework.ts';
import type { MessagingTables } from './tables/messaging.ts';
import type { TimetableTables } from './tables/timetable.ts';

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type Role = 'pupil' | 'parent' | 'teacher' | 'principal' | 'cpe' | 'school_admin' | 'operator';
export const ROLES: readonly Role[] = ['pupil', 'parent', 'teacher', 'principal', 'cpe', 'school_admin', 'operator'];
export type Locale = 'fr' | 'en';

export interface RegionsTable {
  id: Generated<string>;
  code: string;
  name: string;
}

export interface SchoolsTable {
  id: Generated<string>;
  region_id: string;
  uai: string;
  name: string;
  kind: 'ecole' | 'college' | 'lycee';
  city: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  login: string;
  first_name: string;
  last_name: string;
  email: string | null;
  birth_date: ColumnType<string | null, string | null | undefined, string | null>;
  locale: ColumnType<Locale, Locale | undefined, Locale>;
  password_hash: string | null;
  activated_at: NullableTimestamp;
  disabled_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RoleAssignmentsTable {
  user_id: string;
  role: Role;
  school_id: string | null;
}

export interface SchoolPeopleTable {
  school_id: string;
  external_id: string;
  user_id: string;
}

export interface ClassesTable {
  id: Generated<string>;
  school_id: string;
  kind: ColumnType<'class' | 'group', 'class' | 'group' | undefined, 'class' | 'group'>;
  name: string;
  level: ColumnType<string, string | undefined, string>;
}

export interface ClassMembersTable {
  class_id: string;
  pupil_id: string;
}

export interface ParentLinksTable {
  parent_id: string;
  child_id: string;
}

export interface SubjectsTable {
  code: string;
  label: string;
}

export interface TeachingAssignmentsTable {
  teacher_id: string;
  class_id: string;
  subject_code: string;
}

export interface ActivationCodesTable {
  user_id: string;
  code_hash: string;
  expires_at: Timestamp;
  created_at: Timestamp;
  created_by: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  remember: boolean;
  user_agent: ColumnType<string, string | undefined, string>;
  ip: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
}

export interface CoreTables {
  regions: RegionsTable;
  schools: SchoolsTable;
  users: UsersTable;
  role_assignments: RoleAssignmentsTable;
  school_people: SchoolPeopleTable;
  classes: ClassesTable;
  class_members: ClassMembersTable;
  parent_links: ParentLinksTable;
  subjects: SubjectsTable;
  teaching_assignments: TeachingAssignmentsTable;
  activation_codes: ActivationCodesTable;
  sessions: SessionsTable;
}

/** Every table: the core above, and each module's own in ./tables/ (one file per migration's module). */
export interface DB extends CoreTables, MessagingTables, DocumentsTables, HomeworkTables, TimetableTables {}
