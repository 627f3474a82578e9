/**
 * A small school written straight into the database, for tests that need people with roles:
 * two schools; in school A the classes 6e A and 5e B, pupils, a parent, teachers, staff.
 * `extraPupils` grows 6e A so tests can prove that costs do not grow with the school.
 */
import type { Kysely } from 'kysely';
import type { DB, Role } from '../platform/db/schema.ts';

export const FIXTURE_PASSWORD = 'mot-de-passe-de-test';

export interface SchoolFixture {
  schoolA: string;
  schoolB: string;
  class6A: string;
  class5B: string;
  classB1: string;
  users: Record<'lea' | 'hugo' | 'parentLea' | 'teacher6A' | 'teacherParentHugo' | 'principal' | 'cpe' | 'adminA' | 'adminB' | 'teacherB' | 'operator', string>;
}

export async function createSchoolFixture(db: Kysely<DB>, options: { passwordHash: string; extraPupils?: number }): Promise<SchoolFixture> {
  const region = await db.insertInto('regions').values({ code: 'IDF', name: 'Île-de-France' }).returning('id').executeTakeFirstOrThrow();
  const school = (uai: string, name: string) =>
    db.insertInto('schools').values({ region_id: region.id, uai, name, kind: 'college', city: 'Paris' }).returning('id').executeTakeFirstOrThrow();
  const schoolA = (await school('0750001A', 'Collège A')).id;
  const schoolB = (await school('0750002B', 'Collège B')).id;
  const klass = (schoolId: string, name: string) =>
    db.insertInto('classes').values({ school_id: schoolId, name, level: name.split(' ')[0] ?? '' }).returning('id').executeTakeFirstOrThrow();
  const class6A = (await klass(schoolA, '6e A')).id;
  const class5B = (await klass(schoolA, '5e B')).id;
  const classB1 = (await klass(schoolB, '6e 1')).id;

  const person = async (login: string, first: string, last: string, roles: Array<[Role, string | null]>) => {
    const user = await db
      .insertInto('users')
      .values({ login, first_name: first, last_name: last, password_hash: options.passwordHash, activated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('role_assignments').values(roles.map(([role, school_id]) => ({ user_id: user.id, role, school_id }))).execute();
    return user.id;
  };
  const users: SchoolFixture['users'] = {
    lea: await person('lea.martin', 'Léa', 'Martin', [['pupil', schoolA]]),
    hugo: await person('hugo.bernard', 'Hugo', 'Bernard', [['pupil', schoolA]]),
    parentLea: await person('sophie.martin', 'Sophie', 'Martin', [['parent', schoolA]]),
    teacher6A: await person('karim.benali', 'Karim', 'Benali', [['teacher', schoolA]]),
    teacherParentHugo: await person('anne.bernard', 'Anne', 'Bernard', [['teacher', schoolA], ['parent', schoolA]]),
    principal: await person('claire.dubois', 'Claire', 'Dubois', [['principal', schoolA]]),
    cpe: await person('julien.moreau', 'Julien', 'Moreau', [['cpe', schoolA]]),
    adminA: await person('nathalie.roux', 'Nathalie', 'Roux', [['school_admin', schoolA]]),
    adminB: await person('paul.durand', 'Paul', 'Durand', [['school_admin', schoolB]]),
    teacherB: await person('marc.leroy', 'Marc', 'Leroy', [['teacher', schoolB]]),
    operator: await person('operateur', 'Opérateur', 'Plateforme', [['operator', null]]),
  };
  await db.insertInto('class_members').values([
    { class_id: class6A, pupil_id: users.lea },
    { class_id: class5B, pupil_id: users.hugo },
  ]).execute();
  await db.insertInto('parent_links').values([
    { parent_id: users.parentLea, child_id: users.lea },
    { parent_id: users.teacherParentHugo, child_id: users.hugo },
  ]).execute();
  await db.insertInto('teaching_assignments').values([
    { teacher_id: users.teacher6A, class_id: class6A, subject_code: 'MATHS' },
    { teacher_id: users.teacher6A, class_id: class5B, subject_code: 'MATHS' },
    { teacher_id: users.teacherParentHugo, class_id: class6A, subject_code: 'FRANCAIS' },
    { teacher_id: users.teacherB, class_id: classB1, subject_code: 'ANGLAIS' },
  ]).execute();
  if (options.extraPupils) await addPupils(db, schoolA, class6A, options.extraPupils);
  return { schoolA, schoolB, class6A, class5B, classB1, users };
}

/** Adds `count` pupils (each with a parent) to a class, in a few statements. */
export async function addPupils(db: Kysely<DB>, schoolId: string, classId: string, count: number): Promise<void> {
  const stamp = Math.random().toString(36).slice(2, 8);
  const rows = Array.from({ length: count }, (_, i) => ({ login: `eleve.${stamp}.${i}`, first_name: `Élève${i}`, last_name: `Nom${i}` }));
  const pupils = await db.insertInto('users').values(rows).returning('id').execute();
  const parents = await db
    .insertInto('users')
    .values(rows.map((r, i) => ({ ...r, login: `parent.${stamp}.${i}`, first_name: `Parent${i}` })))
    .returning('id')
    .execute();
  await db.insertInto('role_assignments').values([
    ...pupils.map((p) => ({ user_id: p.id, role: 'pupil' as const, school_id: schoolId })),
    ...parents.map((p) => ({ user_id: p.id, role: 'parent' as const, school_id: schoolId })),
  ]).execute();
  await db.insertInto('class_members').values(pupils.map((p) => ({ class_id: classId, pupil_id: p.id }))).execute();
  await db.insertInto('parent_links').values(pupils.map((p, i) => ({ parent_id: parents[i]!.id, child_id: p.id }))).execute();
}
