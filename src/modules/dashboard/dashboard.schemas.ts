/** HTTP contract of the dashboard: one call, role-aware sections. */
import { Type, type Static } from 'typebox';

const ZPersonRef = Type.Object({ id: Type.String(), firstName: Type.String(), lastName: Type.String() });
const ZClassRef = Type.Object({ id: Type.String(), name: Type.String(), level: Type.String() });

export const ZDashboard = Type.Object({
  user: Type.Object({ id: Type.String(), firstName: Type.String(), lastName: Type.String() }),
  /** Present when the person is a pupil. */
  pupil: Type.Optional(
    Type.Object({
      school: Type.Object({ id: Type.String(), name: Type.String() }),
      class: Type.Union([ZClassRef, Type.Null()]),
      groups: Type.Array(ZClassRef),
      classmates: Type.Array(ZPersonRef),
      teachers: Type.Array(Type.Object({ id: Type.String(), firstName: Type.String(), lastName: Type.String(), subjects: Type.Array(Type.String()) })),
    }),
  ),
  /** Present when the person is a parent. */
  parent: Type.Optional(
    Type.Object({
      children: Type.Array(
        Type.Object({
          id: Type.String(),
          firstName: Type.String(),
          lastName: Type.String(),
          school: Type.Object({ id: Type.String(), name: Type.String() }),
          class: Type.Union([ZClassRef, Type.Null()]),
        }),
      ),
    }),
  ),
  /** Present when the person teaches. */
  teacher: Type.Optional(
    Type.Object({
      classes: Type.Array(
        Type.Object({ id: Type.String(), name: Type.String(), level: Type.String(), subjects: Type.Array(Type.String()), pupilCount: Type.Integer() }),
      ),
    }),
  ),
  /** Present for principal, CPE and school admin: one entry per school they run. */
  staff: Type.Optional(
    Type.Object({
      schools: Type.Array(
        Type.Object({
          id: Type.String(),
          name: Type.String(),
          uai: Type.String(),
          roles: Type.Array(Type.String()),
          pupils: Type.Integer(),
          parents: Type.Integer(),
          teachers: Type.Integer(),
          activated: Type.Integer(),
          classes: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), level: Type.String(), pupilCount: Type.Integer() })),
        }),
      ),
    }),
  ),
});
export type TDashboard = Static<typeof ZDashboard>;

export const ZClassRoster = Type.Object({
  class: Type.Object({ id: Type.String(), name: Type.String(), level: Type.String(), schoolId: Type.String() }),
  pupils: Type.Array(ZPersonRef),
  teachers: Type.Array(Type.Object({ id: Type.String(), firstName: Type.String(), lastName: Type.String(), subjects: Type.Array(Type.String()) })),
});
export type TClassRoster = Static<typeof ZClassRoster>;
