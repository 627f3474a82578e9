/** The homework entries of the main navigation: « Cahier de textes » for teachers, « Devoirs » for pupils and parents. */
import type { IconName } from '../../app/ui/icons.tsx';
import type { TMe } from '../../lib/api-types.ts';
import type { Translate } from '../../lib/i18n.ts';

export function homeworkNavItems(me: TMe, t: Translate): Array<{ href: string; label: string; icon: IconName }> {
  const has = (role: string) => me.roles.some((r) => r.role === role);
  const items: Array<{ href: string; label: string; icon: IconName }> = [];
  if (has('teacher')) items.push({ href: '/cahier-de-textes', label: t('homework.nav.cahier'), icon: 'book' });
  if (has('pupil') || has('parent')) items.push({ href: '/devoirs', label: t('homework.nav.devoirs'), icon: 'homework' });
  return items;
}
