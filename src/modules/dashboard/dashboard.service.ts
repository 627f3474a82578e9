/** The 9:00 page: what matters today for this person, from one call. */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { notFound } from '../../shared/errors.ts';
import { authorize, hasRole, type Actor } from '../access/index.ts';
import type { Clock } from '../../shared/time.ts';
import type { ClassSections } from './class-sections.ts';
import type { ClassRosterRow } from './dashboard.store.ts';
import type { TClassRoster, TDashboard } from './dashboard.schemas.ts';
import * as store from './dashboard.store.ts';
import { getToday } from './today.service.ts';

export interface DashboardDeps {
  db: Kysely<DB>;
  clock: Clock;
  /** What every pupil of a class reads, cached per class (optional: without it, one query per section). */
  sections?: ClassSections;
}

/** Builds the person's dashboard with at most one query per section (12 at most, whatever the school). */
export async function getDashboard(deps: DashboardDeps, actor: Actor): Promise<TDashboard> {
  authorize(actor, 'self.read');
  const staffSchools = [...new Set([...actor.staffSchoolIds, ...actor.adminSchoolIds])];
  const isPupil = hasRole(actor, 'pupil');
  // A pupil's section (and name) from their classes' cached rosters, when they have a class.
  const fromRosters = isPupil && deps.sections ? await pupilFromRosters(deps.sections, actor) : null;
  const [today, user, pupil, children, taught, schools] = await Promise.all([
    getToday(deps.db, actor, deps.clock.now(), deps.sections),
    fromRosters?.user ?? store.findUserNames(deps.db, actor.userId),
    fromRosters?.section ?? (isPupil ? store.findPupilSection(deps.db, actor.userId) : null),
    hasRole(actor, 'parent') ? store.findChildren(deps.db, actor.userId) : null,
    hasRole(actor, 'teacher') ? store.findTaughtClasses(deps.db, actor.userId) : null,
    staffSchools.length > 0 ? store.findStaffSchools(deps.db, staffSchools) : null,
  ]);
  const dashboard: TDashboard = { today, user: { id: user.id, firstName: user.first_name, lastName: user.last_name } };
  if (pupil) dashboard.pupil = pupil;
  if (children) dashboard.parent = { children };
  if (taught) dashboard.teacher = { classes: taught };
  if (schools) {
    dashboard.staff = {
      schools: schools.map((s) => ({
        ...s,
        roles: actor.roles.filter((r) => r.schoolId === s.id).map((r) => r.role),
      })),
    };
  }
  return dashboard;
}

/**
 * The pupil section as findPupilSection builds it, from the rosters of the pupil's classes and
 * groups (cached per class): their main class (the first « classe » by name), groups by name,
 * classmates of the main class, teachers of all with their subjects. Null without a main class
 * (the queries then say which school).
 */
async function pupilFromRosters(
  sections: ClassSections,
  actor: Actor,
): Promise<{ section: store.PupilSectionRow; user: { id: string; first_name: string; last_name: string } | null } | null> {
  if (actor.enrolledClassIds.size === 0) return null;
  const rosters = (await Promise.all([...actor.enrolledClassIds].map((id) => sections.roster(id)))).filter((r) => r !== null);
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const main = rosters.filter((r) => r.kind === 'class').sort(byName)[0];
  if (!main) return null;
  const ref = (r: ClassRosterRow) => ({ id: r.id, name: r.name, level: r.level });
  const me = main.pupils.find((p) => p.id === actor.userId);
  let teachers = rosters.find((r) => r.teachers.length > 0)?.teachers ?? [];
  if (rosters.filter((r) => r.teachers.length > 0).length > 1) {
    const merged = new Map<string, { id: string; firstName: string; lastName: string; subjects: Set<string> }>();
    for (const t of rosters.flatMap((r) => r.teachers)) {
      const seen = merged.get(t.id) ?? { id: t.id, firstName: t.firstName, lastName: t.lastName, subjects: new Set<string>() };
      for (const subject of t.subjects) seen.subjects.add(subject);
      merged.set(t.id, seen);
    }
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    teachers = [...merged.values()]
      .map((t) => ({ id: t.id, firstName: t.firstName, lastName: t.lastName, subjects: [...t.subjects].sort(cmp) }))
      .sort((a, b) => cmp(a.lastName, b.lastName) || cmp(a.firstName, b.firstName));
  }
  return {
    section: {
      school: main.school,
      class: ref(main),
      groups: rosters.filter((r) => r.kind === 'group').sort(byName).map(ref),
      classmates: main.pupils.filter((p) => p.id !== actor.userId),
      teachers,
    },
    user: me ? { id: me.id, first_name: me.firstName, last_name: me.lastName } : null,
  };
}

/** A class's pupils and teachers, for those allowed to see them. */
export async function getClassRoster(deps: DashboardDeps, actor: Actor, classId: string): Promise<TClassRoster> {
  const roster = await store.findRoster(deps.db, classId);
  if (!roster) throw notFound('Classe');
  authorize(actor, 'class.read', { classId, schoolId: roster.class.schoolId });
  return roster;
}
