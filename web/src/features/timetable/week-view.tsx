import type { JSX } from 'preact';
import { Icon } from '../../app/ui/icons.tsx';
import { Badge } from '../../app/ui/page.tsx';
import { useI18n } from '../../lib/i18n.ts';
import { subjectLabel } from '../../lib/subjects.ts';
import { JoinButton } from './join-button.tsx';
import { formatClock, formatDay, formatMinutes, formatWeekday, parisParts } from './paris-time.ts';
import type { TOccurrence } from './timetable-api.ts';

/** Pixels per minute of the grid: an hour is 84 px, enough for subject, time, room and « Rejoindre ». */
const PX = 1.4;
const DEFAULT_START = 8 * 60;
const DEFAULT_END = 17 * 60;

export const SUBJECT_COLOURS = ['FRANCAIS', 'MATHS', 'HISTGEO', 'ANGLAIS', 'ESPAGNOL', 'ALLEMAND', 'SVT', 'PHYSCHIM', 'TECHNO', 'EPS', 'ARTS', 'MUSIQUE', 'LATIN', 'EMC'];
export const subjectClass = (code: string): string => `tt-subject-${SUBJECT_COLOURS.includes(code) ? code.toLowerCase() : 'other'}`;

interface Placed {
  occurrence: TOccurrence;
  start: number;
  end: number;
  lane: number;
  lanes: number;
}

/** Side by side when they overlap (a class and one of its groups, a moved lesson). */
function place(occurrences: readonly TOccurrence[]): Placed[] {
  const items = occurrences
    .map((o) => ({ occurrence: o, start: parisParts(o.start).minutes, end: parisParts(o.end).minutes || 24 * 60, lane: 0, lanes: 1 }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  let cluster: Placed[] = [];
  let clusterEnd = -1;
  const close = () => {
    const lanes = Math.max(1, ...cluster.map((p) => p.lane + 1));
    for (const p of cluster) p.lanes = lanes;
  };
  for (const item of items) {
    if (item.start >= clusterEnd) {
      close();
      cluster = [];
    }
    const taken = new Set(cluster.filter((p) => p.end > item.start).map((p) => p.lane));
    let lane = 0;
    while (taken.has(lane)) lane++;
    item.lane = lane;
    cluster.push(item);
    clusterEnd = Math.max(clusterEnd, item.end);
  }
  close();
  return items;
}

interface ViewProps {
  days: readonly string[];
  occurrences: readonly TOccurrence[];
  today: string;
  now: number;
  /** Teachers see the class on each lesson, pupils the teacher. */
  showClass: boolean;
  onOpen: (occurrence: TOccurrence) => void;
}

export function WeekView({ days, occurrences, today, now, showClass, onOpen }: ViewProps): JSX.Element {
  const { t, locale } = useI18n();
  const minutes = occurrences.flatMap((o) => [parisParts(o.start).minutes, parisParts(o.end).minutes || 24 * 60]);
  const first = Math.min(DEFAULT_START, ...minutes.map((m) => Math.floor(m / 60) * 60));
  const last = Math.max(DEFAULT_END, ...minutes.map((m) => Math.ceil(m / 60) * 60));
  const hours = Array.from({ length: (last - first) / 60 + 1 }, (_, i) => first + i * 60);
  const height = (last - first) * PX;
  const [only] = days;
  if (days.length === 1 && only && !occurrences.some((o) => o.day === only)) {
    // A free day on a phone: no empty grid to scroll through.
    return (
      <section class="tt-week tt-week-free" aria-labelledby="tt-free-day">
        <h2 id="tt-free-day" class="tt-day-title">
          {formatDay(only, locale)}
        </h2>
        <p class="tt-free-day">{t('timetable.noLessonsDay')}</p>
      </section>
    );
  }

  return (
    <div class="tt-week" style={{ '--tt-days': String(days.length) }}>
      <div class="tt-axis" aria-hidden="true" style={{ height: `${height}px` }}>
        {hours.map((h) => (
          <span key={h} class="tt-hour" style={{ top: `${(h - first) * PX}px` }}>
            {formatMinutes(h)}
          </span>
        ))}
      </div>
      {days.map((day) => {
        const mine = occurrences.filter((o) => o.day === day);
        const headingId = `tt-day-${day}`;
        return (
          <section key={day} class={day === today ? 'tt-day tt-today' : 'tt-day'} aria-labelledby={headingId}>
            <h2 id={headingId} class="tt-day-title">
              {days.length === 1 ? formatDay(day, locale) : formatWeekday(day, locale)}
              {day === today && <span class="visually-hidden"> ({t('timetable.today')})</span>}
            </h2>
            <div class="tt-day-body" style={{ height: `${height}px` }}>
              {hours.map((h) => (
                <span key={h} class="tt-line" aria-hidden="true" style={{ top: `${(h - first) * PX}px` }} />
              ))}
              {mine.length === 0 ? (
                <p class="tt-free">{t('timetable.noLessonsDay')}</p>
              ) : (
                <ol class="tt-lessons">
                  {place(mine).map((p) => (
                    <LessonCard key={p.occurrence.occurrenceId} placed={p} top={(p.start - first) * PX} now={now} showClass={showClass} onOpen={onOpen} />
                  ))}
                </ol>
              )}
            </div>
          </section>
        );
      })}
    </div>
  );
}

function LessonCard({ placed, top, now, showClass, onOpen }: { placed: Placed; top: number; now: number; showClass: boolean; onOpen: (o: TOccurrence) => void }): JSX.Element {
  const { t, locale } = useI18n();
  const o = placed.occurrence;
  const width = 100 / placed.lanes;
  const style = {
    top: `${top}px`,
    height: `${Math.max(28, (placed.end - placed.start) * PX - 3)}px`,
    left: `calc(${placed.lane * width}% + 2px)`,
    width: `calc(${width}% - 4px)`,
  };
  const who = showClass ? o.className : (o.substitute?.name ?? o.teacher.name);
  return (
    <li class={`tt-lesson ${subjectClass(o.subjectCode)} tt-${o.status}`} style={style} data-occurrence={o.occurrenceId}>
      <button type="button" class="tt-lesson-open" aria-haspopup="dialog" onClick={() => onOpen(o)}>
        <span class="tt-lesson-subject">{subjectLabel(o.subjectCode, locale)}</span>
        <span class="tt-lesson-meta">
          {formatClock(o.start, locale)} – {formatClock(o.end, locale)}
          {o.room && ` · ${o.room}`}
        </span>
        <span class="tt-lesson-meta">
          {o.virtual && o.status !== 'cancelled' && <Icon name="video" size={14} class="tt-virtual-icon" />}
          {who}
        </span>
        {o.status === 'cancelled' && <Badge tone="warning">{t('timetable.status.cancelled')}</Badge>}
        {o.status === 'moved' && <Badge tone="info">{t('timetable.status.moved')}</Badge>}
        {o.substitute && o.status !== 'cancelled' && <Badge>{t('timetable.status.substitute')}</Badge>}
        {o.virtual && o.status !== 'cancelled' && <span class="visually-hidden">{t('timetable.virtual.has')}</span>}
      </button>
      {o.status !== 'cancelled' && o.day === parisParts(now).date && <JoinButton occurrence={o} now={now} compact />}
    </li>
  );
}
