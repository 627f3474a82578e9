/**
 * A person's calendar as iCalendar text: their lessons (cancelled ones marked STATUS:CANCELLED)
 * and homework due dates (all-day events). Times are UTC (no VTIMEZONE needed); UIDs are stable
 * (an occurrence keeps its UID when moved), so calendar apps update events rather than duplicate them.
 */
import type { LessonRow } from '../timetable.store.ts';
import type { Occurrence } from '../occurrences.ts';
import { addDays, frenchDay, frenchTime } from '../zoned-time.ts';
import { IcsWriter, dateValue, utcDateTime } from './ical-writer.ts';

export interface HomeworkEvent {
  homeworkId: string;
  pupilId: string;
  subject: string;
  summary: string;
  dueDate: string;
  dueTime: string | null;
}

export interface CalendarInput {
  ownerName: string;
  now: number;
  occurrences: ReadonlyArray<Occurrence<LessonRow>>;
  /** First names of the children in each class, for a parent's calendar. */
  childrenByClass: ReadonlyMap<string, readonly string[]>;
  homework: readonly HomeworkEvent[];
  /** First names of children by pupil id (homework of a parent's children). */
  childNames: ReadonlyMap<string, string>;
}

const DOMAIN = 'preau';

function describe(o: Occurrence<LessonRow>): string {
  const lines = [`Enseignant : ${o.lesson.teacherName}`];
  if (o.exception?.substituteName) lines.push(`Remplacé par : ${o.exception.substituteName}`);
  if (o.status === 'cancelled') lines.push(`Cours annulé${o.exception?.cancelReason ? ` : ${o.exception.cancelReason}` : ''}`);
  if (o.planned) {
    lines.push(`Déplacé : prévu le ${frenchDay(o.date)} à ${frenchTime(o.planned.start)}${o.planned.room ? `, ${o.planned.room}` : ''}`);
  }
  if (o.virtual && o.status !== 'cancelled') lines.push('Classe virtuelle : à rejoindre depuis Préau, 10 minutes avant le début.');
  return lines.join('\n');
}

export function buildCalendarText(input: CalendarInput): string {
  const stamp = utcDateTime(input.now);
  const ics = new IcsWriter()
    .begin('VCALENDAR')
    .raw('VERSION', '2.0')
    .raw('PRODID', '-//Préau//Emploi du temps//FR')
    .raw('CALSCALE', 'GREGORIAN')
    .raw('METHOD', 'PUBLISH')
    .text('X-WR-CALNAME', `Préau — ${input.ownerName}`)
    .raw('X-WR-TIMEZONE', 'Europe/Paris')
    .raw('REFRESH-INTERVAL;VALUE=DURATION', 'PT1H')
    .raw('X-PUBLISHED-TTL', 'PT1H');
  for (const o of input.occurrences) {
    const children = input.childrenByClass.get(o.lesson.classId) ?? [];
    const title = `${children.length > 0 ? `${children.join(', ')} · ` : ''}${o.lesson.subjectLabel} — ${o.lesson.className}`;
    ics
      .begin('VEVENT')
      .text('UID', `${o.id}@${DOMAIN}`)
      .raw('DTSTAMP', stamp)
      .raw('DTSTART', utcDateTime(o.start))
      .raw('DTEND', utcDateTime(o.end))
      .text('SUMMARY', o.status === 'cancelled' ? `Annulé — ${title}` : title)
      .raw('STATUS', o.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED');
    if (o.room) ics.text('LOCATION', o.room);
    ics.text('DESCRIPTION', describe(o)).end('VEVENT');
  }
  for (const h of input.homework) {
    const child = input.childNames.get(h.pupilId);
    ics
      .begin('VEVENT')
      .text('UID', `homework-${h.homeworkId}-${h.pupilId}@${DOMAIN}`)
      .raw('DTSTAMP', stamp)
      .raw('DTSTART;VALUE=DATE', dateValue(h.dueDate))
      .raw('DTEND;VALUE=DATE', dateValue(addDays(h.dueDate, 1)))
      .text('SUMMARY', `${child ? `${child} · ` : ''}À rendre — ${h.subject} : ${h.summary}`)
      .raw('TRANSP', 'TRANSPARENT')
      .text('DESCRIPTION', h.dueTime ? `À rendre avant ${h.dueTime.replace(':', ' h ')}.` : 'À rendre pour ce jour.')
      .end('VEVENT');
  }
  return ics.end('VCALENDAR').toString();
}
