/**
 * Wall-clock times in a time zone (the school's, Europe/Paris) and the instants they stand for,
 * with no library: Intl knows the zone's rules. A lesson at 8:00 is at 8:00 local time all year,
 * so its instant moves by an hour on the last Sundays of March and October. Times that do not
 * exist (02:30 when clocks jump forward) or exist twice (02:30 when they fall back) are resolved
 * as RFC 5545 says: the offset before the gap, and the first of the two.
 */
import { AppError } from '../../shared/errors.ts';

export const SCHOOL_TIME_ZONE = 'Europe/Paris';
const DAY_MS = 86_400_000;

export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** 'YYYY-MM-DD' → its parts; throws VALIDATION when it is not a real calendar date. */
export function parseDate(date: string): CalendarDay {
  const m = DATE_RE.exec(date);
  const parts = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
  if (!parts || formatDate(Date.UTC(parts.year, parts.month - 1, parts.day)) !== date) {
    throw new AppError('VALIDATION', { message: `La date « ${date} » n'existe pas (format attendu : AAAA-MM-JJ).` });
  }
  return parts;
}

/** 'HH:MM' or 'HH:MM:SS' → minutes since midnight. */
export function parseTime(time: string): number {
  const m = TIME_RE.exec(time);
  if (!m) throw new AppError('VALIDATION', { message: `L'heure « ${time} » n'est pas valide (format attendu : HH:MM).` });
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Minutes since midnight → 'HH:MM'. */
export const formatTime = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** A UTC midnight (ms) → 'YYYY-MM-DD'. */
export const formatDate = (utcMidnight: number): string => new Date(utcMidnight).toISOString().slice(0, 10);

/** Days after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseDate(date);
  return formatDate(Date.UTC(year, month - 1, day) + days * DAY_MS);
}

/** Whole days from `a` to `b`. */
export function daysBetween(a: string, b: string): number {
  const pa = parseDate(a);
  const pb = parseDate(b);
  return Math.round((Date.UTC(pb.year, pb.month - 1, pb.day) - Date.UTC(pa.year, pa.month - 1, pa.day)) / DAY_MS);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const { year, month, day } = parseDate(date);
  return ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7) + 1;
}

/** ISO 8601 week number (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(date: string): number {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const { year } = parseDate(thursday);
  return Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
}

/** Semaine A = odd ISO weeks, semaine B = even ones. */
export const weekParityOf = (date: string): 'A' | 'B' => (isoWeek(date) % 2 === 1 ? 'A' : 'B');

/** The Monday of the week of `date`. */
export const mondayOf = (date: string): string => addDays(date, 1 - isoWeekday(date));

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The local date, minutes since midnight and seconds of an instant in `zone`. */
export function localPartsOf(instant: number, zone = SCHOOL_TIME_ZONE): { date: string; minutes: number; seconds: number } {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const hour = (parts['hour'] ?? 0) % 24;
  const date = formatDate(Date.UTC(parts['year'] ?? 1970, (parts['month'] ?? 1) - 1, parts['day'] ?? 1));
  return { date, minutes: hour * 60 + (parts['minute'] ?? 0), seconds: parts['second'] ?? 0 };
}

/** The zone's offset from UTC at an instant, in ms (Paris: +3 600 000 in winter). */
export function offsetAt(instant: number, zone = SCHOOL_TIME_ZONE): number {
  const whole = Math.floor(instant / 1000) * 1000;
  const { date, minutes, seconds } = localPartsOf(whole, zone);
  const { year, month, day } = parseDate(date);
  return Date.UTC(year, month - 1, day) + minutes * 60_000 + seconds * 1000 - whole;
}

/** The instant (ms) of a wall-clock time on a date in `zone`. */
export function zonedInstant(date: string, minutes: number, zone = SCHOOL_TIME_ZONE): number {
  const { year, month, day } = parseDate(date);
  const wall = Date.UTC(year, month - 1, day) + minutes * 60_000;
  const before = offsetAt(wall - DAY_MS, zone);
  const after = offsetAt(wall + DAY_MS, zone);
  const valid = [wall - before, wall - after].filter((candidate, i) => offsetAt(candidate, zone) === (i === 0 ? before : after));
  // Two valid candidates: the time happens twice (clocks fall back), take the first. None: it
  // falls in the gap (clocks jump forward), use the offset in force before the gap.
  return valid.length > 0 ? Math.min(...valid) : wall - before;
}

/** Today's date in `zone`. */
export const todayIn = (instant: number, zone = SCHOOL_TIME_ZONE): string => localPartsOf(instant, zone).date;

/** « 8 h 50 », as French writes times. */
export function frenchTime(instant: number, zone = SCHOOL_TIME_ZONE): string {
  const { minutes } = localPartsOf(instant, zone);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')}`;
}

/** « lundi 14 septembre ». */
export function frenchDay(date: string): string {
  const { year, month, day } = parseDate(date);
  return new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, day)),
  );
}
