import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon } from '../../app/ui/icons.tsx';
import { Empty, ErrorState, Loading, PageHeader } from '../../app/ui/page.tsx';
import { useI18n } from '../../lib/i18n.ts';
import { useResource } from '../../lib/use-resource.ts';
import { CalendarFeedPanel } from './calendar-feed-panel.tsx';
import { LessonFormDialog } from './lesson-form-dialog.tsx';
import { OccurrenceDialog } from './occurrence-dialog.tsx';
import { addDays, formatDay, isoWeekday, mondayOf, useNarrow, useServerNow, weekParity } from './paris-time.ts';
import { timetableApi, type Scope, type TOccurrence, type TTimetableContext } from './timetable-api.ts';
import { WeekView } from './week-view.tsx';

const keyOf = (s: Scope) => `${s.kind}:${s.id ?? ''}`;

/** « Emploi du temps »: a week (one day at a time on a phone), lessons to open, join, and — for teachers and the direction — change. */
export function TimetablePage(): JSX.Element {
  const { t } = useI18n();
  const context = useResource('timetable-context', (signal) => timetableApi.context(signal));
  if (context.status === 'ready') return <Timetable context={context.data} />;
  return (
    <>
      <PageHeader title={t('timetable.title')} />
      {context.status === 'loading' ? <Loading /> : <ErrorState error={context.error} onRetry={context.reload} />}
    </>
  );
}

function Timetable({ context }: { context: TTimetableContext }): JSX.Element {
  const { t, locale } = useI18n();
  const narrow = useNarrow();
  const [scopeKey, setScopeKey] = useState(context.scopes[0] ? keyOf(context.scopes[0]) : '');
  const scope = context.scopes.find((s) => keyOf(s) === scopeKey) ?? null;
  const [monday, setMonday] = useState(mondayOf(context.today));
  /** The day « Aujourd'hui » opens: today, or the coming Monday at a weekend with nothing left. */
  const [home, setHome] = useState(context.today);
  const [day, setDay] = useState(context.today);
  const [selected, setSelected] = useState<TOccurrence | null>(null);
  const [editing, setEditing] = useState<{ lessonId?: string } | null>(null);

  const week = useResource(`timetable:${scopeKey}:${monday}`, (signal) =>
    scope ? timetableApi.week(scope, monday, addDays(monday, 6), signal) : Promise.resolve(null),
  );
  const data = week.status === 'ready' ? week.data : null;
  const now = useServerNow(data?.serverNow ?? context.serverNow);
  // After a reload, the open occurrence shows its fresh state.
  useEffect(() => {
    if (!data || !selected) return;
    const fresh = data.occurrences.find((o) => o.occurrenceId === selected.occurrenceId);
    if (fresh) setSelected(fresh);
  }, [data]);
  // At the weekend, with nothing left this week, open on the coming week.
  const advanced = useRef(false);
  useEffect(() => {
    if (!data || advanced.current) return;
    advanced.current = true;
    if (isoWeekday(context.today) >= 6 && monday === mondayOf(context.today) && !data.occurrences.some((o) => o.day >= context.today)) {
      setHome(addDays(monday, 7));
      goWeek(addDays(monday, 7));
    }
  }, [data]);

  const occurrences = data?.occurrences ?? [];
  const weekend = [6, 7].filter((d) => occurrences.some((o) => isoWeekday(o.day) === d));
  const weekDays = [1, 2, 3, 4, 5, ...weekend].map((d) => addDays(monday, d - 1));
  const goWeek = (to: string) => {
    setMonday(to);
    setDay(to);
  };
  const goDay = (to: string) => {
    setDay(to);
    if (mondayOf(to) !== monday) setMonday(mondayOf(to));
  };
  const managed = scope?.kind === 'class' ? context.manage.find((m) => m.classes.some((c) => c.id === scope.id)) : undefined;
  const onChanged = (o: TOccurrence | null) => {
    if (o) setSelected(o);
    week.reload();
  };

  const title = scope?.kind === 'class' ? t('timetable.titleClass', { name: scope.label }) : scope?.kind === 'pupil' ? t('timetable.titleOf', { name: scope.label }) : t('timetable.title');
  const friday = addDays(monday, 4);
  const weekLabel = t('timetable.weekOf', { from: formatDay(monday, locale, { weekday: 'long' }), to: formatDay(friday, locale, { year: true }), parity: weekParity(monday) });

  return (
    <div class="stack-lg">
      <PageHeader
        title={title}
        subtitle={weekLabel}
        actions={
          managed && scope?.id ? (
            <button type="button" class="btn btn-primary" onClick={() => setEditing({})}>
              <Icon name="calendar" size={18} />
              {t('timetable.lesson.addTitle')}
            </button>
          ) : undefined
        }
      />
      <div class="tt-toolbar">
        {context.scopes.length > 1 && (
          <div class="field tt-scope">
            <label for="tt-scope">{t('timetable.scope')}</label>
            <select id="tt-scope" value={scopeKey} onChange={(e) => setScopeKey(e.currentTarget.value)}>
              {context.scopes.map((s) => (
                <option key={keyOf(s)} value={keyOf(s)}>
                  {s.kind === 'mine' ? t('timetable.scope.mine') : s.kind === 'class' ? t('timetable.scope.class', { name: s.label }) : s.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <nav class="tt-nav" aria-label={narrow ? t('timetable.nav.days') : t('timetable.nav.weeks')}>
          {narrow ? (
            <>
              <button type="button" class="btn btn-secondary btn-small" onClick={() => goDay(addDays(day, isoWeekday(day) === 1 ? -3 : -1))}>
                <Icon name="arrowLeft" size={16} />
                <span class="visually-hidden">{t('timetable.nav.previousDay')}</span>
              </button>
              <button type="button" class="btn btn-ghost btn-small" onClick={() => goDay(home)}>{t('timetable.nav.today')}</button>
              <button type="button" class="btn btn-secondary btn-small" onClick={() => goDay(addDays(day, isoWeekday(day) >= 5 ? 8 - isoWeekday(day) : 1))}>
                <span class="visually-hidden">{t('timetable.nav.nextDay')}</span>
                <Icon name="chevronRight" size={16} />
              </button>
            </>
          ) : (
            <>
              <button type="button" class="btn btn-secondary btn-small" onClick={() => goWeek(addDays(monday, -7))}>
                <Icon name="arrowLeft" size={16} />
                {t('timetable.nav.previousWeek')}
              </button>
              <button type="button" class="btn btn-ghost btn-small" onClick={() => goWeek(mondayOf(context.today))}>{t('timetable.nav.thisWeek')}</button>
              <button type="button" class="btn btn-secondary btn-small" onClick={() => goWeek(addDays(monday, 7))}>
                {t('timetable.nav.nextWeek')}
                <Icon name="chevronRight" size={16} />
              </button>
            </>
          )}
        </nav>
      </div>
      {!scope ? (
        <Empty>{t('timetable.nothing')}</Empty>
      ) : week.status === 'error' ? (
        <ErrorState error={week.error} onRetry={week.reload} />
      ) : !data ? (
        <Loading />
      ) : (
        <div aria-busy={week.status === 'ready' && week.refreshing}>
          {occurrences.length === 0 && <p class="notice notice-info">{t('timetable.emptyWeek')}</p>}
          <WeekView
            days={narrow ? [day] : weekDays}
            occurrences={occurrences}
            today={context.today}
            now={now}
            showClass={scope.kind === 'mine' && occurrences.some((o) => o.can.change)}
            onOpen={setSelected}
          />
        </div>
      )}
      <CalendarFeedPanel />
      {selected && (
        <OccurrenceDialog
          key={selected.occurrenceId}
          occurrence={selected}
          now={now}
          provider={context.videoProvider}
          {...(managed ? { teachers: managed.teachers } : {})}
          onChanged={onChanged}
          onEditLesson={(lessonId) => {
            setSelected(null);
            setEditing({ lessonId });
          }}
          onClose={() => setSelected(null)}
        />
      )}
      {editing && managed && scope?.id && (
        <LessonFormDialog school={managed} classId={scope.id} {...(editing.lessonId ? { lessonId: editing.lessonId } : {})} onSaved={week.reload} onClose={() => setEditing(null)} />
      )}
    </div>
  );
}
