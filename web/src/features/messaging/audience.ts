/** How addressees read: « Parents de 6e A », « Sophie Martin », « Parents de 6e A, Karim Benali et 2 autres ». */
import type { Translate, TranslateCount } from '../../lib/i18n.ts';
import type { TAudience, TGroup, TPersonRef } from './messaging-api.ts';

export const personName = (p: Pick<TPersonRef, 'firstName' | 'lastName'>): string => `${p.firstName} ${p.lastName}`;

export function groupLabel(group: Pick<TGroup, 'kind' | 'className' | 'classKind'>, t: Translate): string {
  const name = group.className ?? '';
  const ofGroup = group.classKind === 'group';
  switch (group.kind) {
    case 'school_staff':
      return t('messaging.group.staff');
    case 'class_pupils':
      return ofGroup ? t('messaging.group.pupilsOfGroup', { name }) : t('messaging.group.pupils', { name });
    case 'class_parents':
      return ofGroup ? t('messaging.group.parentsOfGroup', { name }) : t('messaging.group.parents', { name });
    case 'class_pupils_parents':
      return ofGroup ? t('messaging.group.pupilsParentsOfGroup', { name }) : t('messaging.group.pupilsParents', { name });
    case 'class_teachers':
      return ofGroup ? t('messaging.group.teachersOfGroup', { name }) : t('messaging.group.teachers', { name });
  }
}

/** Groups first, then people; beyond `max` names, « et N autres ». */
export function audienceText(audience: TAudience, t: Translate, tn: TranslateCount, max = 3): string {
  const names = [...audience.groups.map((g) => groupLabel(g, t)), ...audience.people.map(personName)];
  if (names.length === 0) return '—';
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} ${tn('messaging.andOthers', names.length - max)}`;
}
