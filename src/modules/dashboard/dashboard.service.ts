/** The 9:00 page: what matters today for this person, from one call. */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { notFound } from '../../shared/errors.ts';
import { authorize, hasRole, type Actor } from '../access/index.ts';
import type { Clock } from '../../shared/time.ts';
import type { TClassRoster, TDashboard } from './dashboard.schemas.ts';
import * as store from './dashboard.store.ts';
import { getToday } from './today.service.ts';

export interface DashboardDeps {
  db: Kysely<DB>;
  clock: Clock;
}

/** Builds the person's dashboard with at most one query per section (12 at most, whatever the school). */
export async function getDashboard(deps: DashboardDeps, actor: Actor): Promise<TDashboard> {
  authorize(actor, 'self.read');
  const staffSchools = [...new Set([...actor.staffSchoolIds, ...actor.adminSchoolIds])];
  const [today, user, pupil, children, taught, schools] = await Promise.all([
    getToday(deps.db, actor, deps.clock.now()),
    store.findUserNames(deps.db, actor.userId),
    hasRole(actor, 'pupil') ? store.findPupilSection(deps.db, actor.userId) : null,
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

/** A class's pupils and teachers, for those allowed to see them. */
export async function getClassRoster(deps: DashboardDeps, actor: Actor, classId: string): Promise<TClassRoster> {
  const roster = await store.findRoster(deps.db, classId);
  if (!roster) throw notFound('Classe');
  authorize(actor, 'class.read', { classId, schoolId: roster.class.schoolId });
  return roster;
}
