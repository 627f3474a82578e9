/**
 * What an import needs to know about the school before it validates and writes: its subjects,
 * classes and people, then the links between them. A handful of queries per import, each over
 * the whole school (a few thousand rows at most), never one per row.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../../platform/db/schema.ts';
import { fold, type SchoolRole } from './import-format.ts';

export interface ExistingClass {
  id: string;
  name: string;
  kind: 'class' | 'group';
}

export interface ExistingPerson {
  userId: string;
  firstName: string;
  lastName: string;
  email: string | null;
  birthDate: string | null;
  /** Roles held in this school. */
  roles: Set<SchoolRole>;
}

export interface ImportContext {
  /** Folded subject code or label → code. */
  subjects: ReadonlyMap<string, string>;
  /** Folded class or group name → class. */
  classes: ReadonlyMap<string, ExistingClass>;
  /** The school's own identifier → person. */
  people: ReadonlyMap<string, ExistingPerson>;
}

/** Memberships and links already in the school, as `a|b(|c)` keys of ids. */
export interface ExistingLinks {
  /** Pupil id → ids of their classes of kind 'class' in this school (one, normally). */
  pupilClasses: Map<string, Set<string>>;
  /** `pupilId|classId` for every membership (classes and groups) in this school. */
  members: Set<string>;
  /** `parentId|childId` for every link of this school's parents. */
  parentLinks: Set<string>;
  /** `teacherId|classId|subjectCode` for every assignment in this school's classes. */
  teaching: Set<string>;
}

/** Loads subjects, classes, people and their roles in a school (four queries). */
export async function loadImportContext(db: Kysely<DB>, schoolId: string): Promise<ImportContext> {
  // Sequential on purpose: inside a transaction every query shares one connection anyway.
  const subjectRows = await db.selectFrom('subjects').select(['code', 'label']).execute();
  const classRows = await db.selectFrom('classes').select(['id', 'name', 'kind']).where('school_id', '=', schoolId).execute();
  const peopleRows = await db
    .selectFrom('school_people as sp')
    .innerJoin('users as u', 'u.id', 'sp.user_id')
    .select(['sp.external_id', 'u.id', 'u.first_name', 'u.last_name', 'u.email', 'u.birth_date'])
    .where('sp.school_id', '=', schoolId)
    .execute();
  const roleRows = await db.selectFrom('role_assignments').select(['user_id', 'role']).where('school_id', '=', schoolId).execute();
  const subjects = new Map<string, string>();
  for (const s of subjectRows) {
    subjects.set(fold(s.code), s.code);
    subjects.set(fold(s.label), s.code);
  }
  const rolesByUser = new Map<string, Set<SchoolRole>>();
  for (const r of roleRows) {
    if (r.role === 'operator') continue;
    const set = rolesByUser.get(r.user_id) ?? new Set<SchoolRole>();
    set.add(r.role);
    rolesByUser.set(r.user_id, set);
  }
  const people = new Map<string, ExistingPerson>();
  for (const p of peopleRows) {
    people.set(p.external_id, {
      userId: p.id,
      firstName: p.first_name,
      lastName: p.last_name,
      email: p.email,
      birthDate: p.birth_date,
      roles: rolesByUser.get(p.id) ?? new Set(),
    });
  }
  return { subjects, classes: new Map(classRows.map((c) => [fold(c.name), c])), people };
}

/** Loads the school's memberships, parent links and teaching assignments (three queries). */
export async function loadExistingLinks(db: Kysely<DB>, schoolId: string): Promise<ExistingLinks> {
  const memberRows = await db
    .selectFrom('class_members as m')
    .innerJoin('classes as c', 'c.id', 'm.class_id')
    .select(['m.pupil_id', 'm.class_id', 'c.kind'])
    .where('c.school_id', '=', schoolId)
    .execute();
  const linkRows = await db
    .selectFrom('parent_links as l')
    .innerJoin('school_people as sp', 'sp.user_id', 'l.parent_id')
    .select(['l.parent_id', 'l.child_id'])
    .where('sp.school_id', '=', schoolId)
    .execute();
  const teachingRows = await db
    .selectFrom('teaching_assignments as t')
    .innerJoin('classes as c', 'c.id', 't.class_id')
    .select(['t.teacher_id', 't.class_id', 't.subject_code'])
    .where('c.school_id', '=', schoolId)
    .execute();
  const pupilClasses = new Map<string, Set<string>>();
  for (const m of memberRows) {
    if (m.kind !== 'class') continue;
    const set = pupilClasses.get(m.pupil_id) ?? new Set<string>();
    set.add(m.class_id);
    pupilClasses.set(m.pupil_id, set);
  }
  return {
    pupilClasses,
    members: new Set(memberRows.map((m) => `${m.pupil_id}|${m.class_id}`)),
    parentLinks: new Set(linkRows.map((l) => `${l.parent_id}|${l.child_id}`)),
    teaching: new Set(teachingRows.map((t) => `${t.teacher_id}|${t.class_id}|${t.subject_code}`)),
  };
}
