/** Size limits of the documents module (bytes; 1 Mo = 1 048 576 octets). */
import type { Actor } from '../access/index.ts';

const MO = 1024 * 1024;

/** Largest file anyone may upload. */
export const MAX_FILE_BYTES = 20 * MO;
/** Storage per teacher or staff member (principal, CPE, school admin). */
export const QUOTA_STAFF_BYTES = 500 * MO;
/** Storage per pupil or parent. */
export const QUOTA_FAMILY_BYTES = 100 * MO;

/** The person's quota: the largest their roles give (a teacher who is also a parent gets 500 Mo). */
export function quotaOf(actor: Actor): number {
  const staff = actor.roles.some((r) => r.role === 'teacher' || r.role === 'principal' || r.role === 'cpe' || r.role === 'school_admin');
  return staff ? QUOTA_STAFF_BYTES : QUOTA_FAMILY_BYTES;
}
