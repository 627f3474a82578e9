/**
 * Dates and times as the school lives them (Europe/Paris), whatever the device's time zone, and a
 * clock lined up on the server's so that « Rejoindre » opens when the server says it does.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Locale } from '../../lib/api-types.ts';
import { intlLocale } from '../../lib/format.ts';

export const SCHOOL_ZONE = 'Europe/Paris';
const DAY = 86_400_000;

const utc = (date: string): number => Date.parse(`${date}T00:00:00Z`);
export const addDays = (date: string, days: number): string => new Date(utc(date) + days * DAY).toISOString().slice(0, 10);
/** 1 = Monday … 7 = Sunday. */
export const isoWeekday = (date: string): number => ((new Date(utc(date)).getUTCDay() + 6) % 7) + 1;
export const mondayOf = (date: string): string => addDays(date, 1 - isoWeekday(date));
/** Semaine A = odd ISO weeks (as the server counts them). */
export function weekParity(date: string): 'A' | 'B' {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const week = Math.floor((utc(thursday) - utc(`${thursday.slice(0, 4)}-01-01`)) / DAY / 7) + 1;
  return week % 2 === 1 ? 'A' : 'B';
}

const partsFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: SCHOOL_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** The school-local date and minutes since midnight of an instant. */
export function parisParts(instant: string | number): { date: string; minutes: number } {
  const p: Record<string, string> = {};
  for (const part of partsFormatter.formatToParts(new Date(instant))) p[part.type] = part.value;
  return { date: `${p['year']}-${p['month']}-${p['day']}`, minutes: (Number(p['hour']) % 24) * 60 + Number(p['minute']) };
}

/** « 8 h 50 » in French, « 8:50 » in English. */
export function formatClock(instant: string | number, locale: Locale): string {
  const { minutes } = parisParts(instant);
  const h = Math.floor(minutes / 60);
  const m = String(minutes % 60).padStart(2, '0');
  return locale === 'fr' ? `${h} h ${m}` : `${h}:${m}`;
}

export const formatMinutes = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** « lundi 7 septembre » (with the year when asked). */
export function formatDay(date: string, locale: Locale, options: { weekday?: 'long' | 'short'; year?: boolean } = {}): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    timeZone: 'UTC',
    weekday: options.weekday ?? 'long',
    day: 'numeric',
    month: 'long',
    ...(options.year ? { year: 'numeric' } : {}),
  }).format(new Date(utc(date)));
}

/** « lundi 16 » / « Monday 16 », for a column of the week. */
export function formatWeekday(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { timeZone: 'UTC', weekday: 'long', day: 'numeric' }).format(new Date(utc(date)));
}

/** Now by the server's clock, refreshed every `everyMs` so that time-bound buttons update by themselves. */
export function useServerNow(serverNow: string | null, everyMs = 15_000): number {
  const [offset, setOffset] = useState(0);
  const [, tick] = useState(0);
  useEffect(() => {
    if (serverNow) setOffset(Date.parse(serverNow) - Date.now());
  }, [serverNow]);
  useEffect(() => {
    const timer = window.setInterval(() => tick((n) => n + 1), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return Date.now() + offset;
}

/** True on a phone-sized screen (one day at a time). */
export function useNarrow(query = '(max-width: 720px)'): boolean {
  const [narrow, setNarrow] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const update = () => setNarrow(list.matches);
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, [query]);
  return narrow;
}
