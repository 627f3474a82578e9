/**
 * Calendar arithmetic in the school's time zone. Due dates and lesson dates are calendar dates
 * ('YYYY-MM-DD'); « today » and « now » are read from the Clock in Europe/Paris, the zone the
 * database also uses for the deadline instant (homework_items.due_at).
 */
export const SCHOOL_TIME_ZONE = 'Europe/Paris';

const DAY_MS = 86_400_000;
const dateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: SCHOOL_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: SCHOOL_TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The school's calendar date at `nowMs`, 'YYYY-MM-DD'. */
export function schoolToday(nowMs: number): string {
  return dateFormat.format(new Date(nowMs));
}

/** The school's wall-clock time at `nowMs`, 'HH:MM'. */
export function schoolTime(nowMs: number): string {
  return timeFormat.format(new Date(nowMs));
}

/** `date` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** True when the due date (and time, or the end of that day) is already past at `nowMs`. */
export function isDueInPast(dueDate: string, dueTime: string | null | undefined, nowMs: number): boolean {
  const today = schoolToday(nowMs);
  if (dueDate !== today) return dueDate < today;
  return dueTime ? dueTime.slice(0, 5) <= schoolTime(nowMs) : false;
}
