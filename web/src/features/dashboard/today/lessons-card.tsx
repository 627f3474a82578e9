/** Today's lessons, with « Rejoindre » for virtual classes (open from 10 minutes before the start). */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Link } from '../../../app/router.tsx';
import { Icon } from '../../../app/ui/icons.tsx';
import { Badge, Card, Empty } from '../../../app/ui/page.tsx';
import { api } from '../../../lib/api-client.ts';
import { describeError } from '../../../lib/errors.ts';
import { useI18n } from '../../../lib/i18n.ts';
import type { TodayLesson } from './today-types.ts';
import { clock } from './when.ts';

function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

function JoinLesson({ lesson, now }: { lesson: TodayLesson; now: number }): JSX.Element | null {
  const { t, locale } = useI18n();
  const [state, setState] = useState<{ kind: 'idle' | 'busy' } | { kind: 'joined'; url: string } | { kind: 'error'; message: string }>({ kind: 'idle' });
  if (!lesson.virtual || lesson.status === 'cancelled' || now >= Date.parse(lesson.end)) return null;
  if (now < Date.parse(lesson.joinOpensAt)) {
    return (
      <button type="button" class="btn btn-secondary btn-small" disabled>
        <Icon name="video" size={16} />
        {t('today.opensAt', { time: clock(lesson.joinOpensAt, locale) })}
      </button>
    );
  }
  const join = async () => {
    setState({ kind: 'busy' });
    try {
      const { url } = await api.post<{ url: string }>(`/api/lessons/${encodeURIComponent(lesson.occurrenceId)}/join`);
      setState({ kind: 'joined', url });
      window.open(url, '_blank', 'noopener,noreferrer');
    } catch (error) {
      setState({ kind: 'error', message: describeError(error, t, locale) });
    }
  };
  return (
    <div class="today-join">
      {state.kind === 'joined' ? (
        <a class="btn btn-primary btn-small" href={state.url} target="_blank" rel="noopener noreferrer">
          <Icon name="video" size={16} />
          {t('today.joinOpen')}
        </a>
      ) : (
        <button type="button" class="btn btn-primary btn-small" disabled={state.kind === 'busy'} onClick={() => void join()}>
          <Icon name="video" size={16} />
          {state.kind === 'busy' ? t('today.joinBusy') : t('today.join')}
          <span class="visually-hidden"> {lesson.subject}</span>
        </button>
      )}
      <p class="visually-hidden" role="status">
        {state.kind === 'joined' ? t('today.joinDone') : ''}
      </p>
      {state.kind === 'error' && (
        <p class="field-error" role="alert">
          {state.message}
        </p>
      )}
    </div>
  );
}

export function LessonList({ lessons, showClass }: { lessons: TodayLesson[]; showClass: boolean }): JSX.Element {
  const { t, locale } = useI18n();
  const now = useNow(30_000);
  if (lessons.length === 0) return <Empty>{t('today.noLessons')}</Empty>;
  return (
    <ol class="today-list">
      {lessons.map((l) => (
        <li key={l.occurrenceId} class={l.status === 'cancelled' ? 'today-item today-cancelled' : 'today-item'}>
          <span class="today-time">
            {clock(l.start, locale)}
            <span aria-hidden="true">–</span>
            <span class="visually-hidden"> à </span>
            {clock(l.end, locale)}
          </span>
          <div class="today-body">
            <p class="today-main">
              {l.subject}
              {showClass && <span class="muted"> · {l.className}</span>}
              {l.status === 'cancelled' && <Badge tone="warning">{t('today.cancelled')}</Badge>}
              {l.status === 'moved' && <Badge tone="info">{t('today.moved')}</Badge>}
            </p>
            <p class="muted small">
              {[l.teacherName, l.room ? t('today.room', { room: l.room }) : '', l.virtual ? t('today.virtual') : ''].filter(Boolean).join(' · ')}
            </p>
          </div>
          <JoinLesson lesson={l} now={now} />
        </li>
      ))}
    </ol>
  );
}

export function LessonsCard({ title, lessons, showClass }: { title: string; lessons: TodayLesson[]; showClass: boolean }): JSX.Element {
  const { t } = useI18n();
  return (
    <Card
      title={title}
      icon="calendar"
      level={3}
      footer={
        <Link class="card-link" href="/emploi-du-temps">
          {t('today.timetableLink')}
          <Icon name="chevronRight" size={16} />
        </Link>
      }
    >
      <LessonList lessons={lessons} showClass={showClass} />
    </Card>
  );
}
