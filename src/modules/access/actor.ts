/** Who is asking, with the scope every authorization decision needs, loaded once per request. */
import type { Role } from '../../platform/db/schema.ts';

export interface Actor {
  readonly userId: string;
  readonly sessionId: string;
  readonly roles: ReadonlyArray<{ role: Role; schoolId: string | null }>;
  /** Schools where the person holds any role. */
  readonly schoolIds: ReadonlySet<string>;
  /** Classes and groups the person is enrolled in as a pupil. */
  readonly enrolledClassIds: ReadonlySet<string>;
  /** The person's children (as a parent). */
  readonly childIds: ReadonlySet<string>;
  /** Classes and groups of those children. */
  readonly childClassIds: ReadonlySet<string>;
  /** Classes and groups the person teaches. */
  readonly taughtClassIds: ReadonlySet<string>;
  /** Schools where the person is principal or CPE. */
  readonly staffSchoolIds: ReadonlySet<string>;
  /** Schools where the person is school admin. */
  readonly adminSchoolIds: ReadonlySet<string>;
  readonly isOperator: boolean;
}

export function hasRole(actor: Actor, role: Role, schoolId?: string): boolean {
  return actor.roles.some((r) => r.role === role && (schoolId === undefined || r.schoolId === schoolId));
}
