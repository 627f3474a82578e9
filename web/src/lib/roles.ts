import type { Role, TMe } from './api-types.ts';
import type { MessageKey } from './i18n.ts';

/** Schools where this person is a school admin (import, accounts, activation codes). */
export function adminSchools(me: TMe): Array<{ id: string; name: string }> {
  const schools = new Map<string, string>();
  for (const grant of me.roles) {
    if (grant.role === 'school_admin' && grant.schoolId) schools.set(grant.schoolId, grant.schoolName ?? '');
  }
  return [...schools].map(([id, name]) => ({ id, name }));
}

export type RoleKey = Extract<MessageKey, `role.${string}`>;

const ROLE_KEYS: Record<Role, RoleKey> = {
  pupil: 'role.pupil',
  parent: 'role.parent',
  teacher: 'role.teacher',
  principal: 'role.principal',
  cpe: 'role.cpe',
  school_admin: 'role.school_admin',
  operator: 'role.operator',
};

/** CSV profile names (French, as in the import file) to roles. */
const PROFILE_ROLES: Record<string, Role> = {
  eleve: 'pupil',
  parent: 'parent',
  enseignant: 'teacher',
  direction: 'principal',
  cpe: 'cpe',
  admin: 'school_admin',
};

export function roleKey(role: string): RoleKey | null {
  const asRole = (PROFILE_ROLES[role] ?? role) as Role;
  return ROLE_KEYS[asRole] ?? null;
}

export const FILTERABLE_ROLES = ['pupil', 'parent', 'teacher', 'principal', 'cpe', 'school_admin'] as const satisfies readonly Role[];
