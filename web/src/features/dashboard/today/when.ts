/** Small date helpers for the « Aujourd'hui » cards, all in France's time zone. */
import { intlLocale } from '../../../lib/format.ts';
import type { Locale } from '../../../lib/api-types.ts';

export function clock(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }).format(new Date(iso));
}

/** « lundi 24 novembre » for a YYYY-MM-DD date. */
export function dayName(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(`${date}T12:00:00Z`),
  );
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
