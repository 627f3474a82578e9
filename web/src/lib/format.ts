import type { Locale } from './api-types.ts';

export const intlLocale = (locale: Locale): string => (locale === 'fr' ? 'fr-FR' : 'en-GB');

const capitalise = (s: string): string => s.charAt(0).toLocaleUpperCase() + s.slice(1);

/** « Lundi 2 septembre 2024 » / « Monday 2 September 2024 ». */
export function formatLongDate(date: Date, locale: Locale): string {
  return capitalise(
    new Intl.DateTimeFormat(intlLocale(locale), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(date),
  );
}

/** « 2 sept. 2024, 08:57 ». */
export function formatDateTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale)).format(n);
}

/** Sorts people the way a class list reads: last name, then first name, French collation. */
export function byName<T extends { lastName: string; firstName: string }>(a: T, b: T): number {
  return a.lastName.localeCompare(b.lastName, 'fr') || a.firstName.localeCompare(b.firstName, 'fr');
}

export const initials = (firstName: string, lastName: string): string =>
  `${firstName.charAt(0)}${lastName.charAt(0)}`.toLocaleUpperCase();
