import type { JSX } from 'preact';
import { Icon } from '../../app/ui/icons.tsx';
import { ErrorState, Loading } from '../../app/ui/page.tsx';
import { useI18n } from '../../lib/i18n.ts';
import { useResource } from '../../lib/use-resource.ts';
import { formatClock } from './paris-time.ts';
import { timetableApi } from './timetable-api.ts';

/** Who joined the virtual class of an occurrence: each pupil of the class, joined at or absent. */
export function PresenceList({ occurrenceId }: { occurrenceId: string }): JSX.Element {
  const { t, tn, locale } = useI18n();
  const presence = useResource(`presence:${occurrenceId}`, (signal) => timetableApi.presence(occurrenceId, signal));
  return (
    <section class="tt-presence" aria-labelledby="tt-presence-title">
      <div class="tt-presence-head">
        <h3 id="tt-presence-title">{t('timetable.presence.title')}</h3>
        <button type="button" class="btn btn-secondary btn-small" onClick={presence.reload}>
          <Icon name="refresh" size={16} />
          {t('timetable.presence.refresh')}
        </button>
      </div>
      {presence.status === 'loading' && <Loading />}
      {presence.status === 'error' && <ErrorState error={presence.error} onRetry={presence.reload} />}
      {presence.status === 'ready' && (
        <>
          <p class="muted" role="status" aria-live="polite">
            {tn('timetable.presence.count', presence.data.joined, { total: presence.data.total })}
          </p>
          <ul class="tt-presence-list">
            {presence.data.pupils.map((p) => (
              <li key={p.id} class={p.joinedAt ? 'tt-present' : 'tt-absent'}>
                <span>
                  <span class="person-last">{p.lastName}</span> {p.firstName}
                </span>
                <span class="tt-presence-state">
                  {p.joinedAt ? (
                    <>
                      <Icon name="check" size={16} />
                      {t('timetable.presence.joinedAt', { time: formatClock(p.joinedAt, locale) })}
                    </>
                  ) : (
                    t('timetable.presence.absent')
                  )}
                </span>
              </li>
            ))}
          </ul>
          {presence.data.moderators.length > 0 && (
            <p class="muted">
              {t('timetable.presence.teachers', {
                names: presence.data.moderators.map((m) => `${m.firstName} ${m.lastName} (${formatClock(m.joinedAt ?? '', locale)})`).join(', '),
              })}
            </p>
          )}
        </>
      )}
    </section>
  );
}
