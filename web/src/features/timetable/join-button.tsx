import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Icon } from '../../app/ui/icons.tsx';
import { describeError } from '../../lib/errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { formatClock, formatDay, parisParts } from './paris-time.ts';
import { timetableApi, type TOccurrence } from './timetable-api.ts';

type State = { kind: 'idle' } | { kind: 'busy' } | { kind: 'joined'; url: string } | { kind: 'error'; message: string };

/**
 * « Rejoindre »: enabled from 10 minutes before the start to the end (by the server's clock);
 * before, disabled and saying when it opens. Joining records the presence, then opens the room
 * in a new tab, with a link to open it again.
 */
export function JoinButton({ occurrence, now, compact = false }: { occurrence: TOccurrence; now: number; compact?: boolean }): JSX.Element | null {
  const { t, locale } = useI18n();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const opensAt = Date.parse(occurrence.joinOpensAt);
  const end = Date.parse(occurrence.end);
  if (!occurrence.can.join || now >= end) return null;
  const size = compact ? 'btn-small' : '';

  if (now < opensAt) {
    const sameDay = parisParts(now).date === parisParts(opensAt).date;
    const time = formatClock(opensAt, locale);
    const label = sameDay ? t('timetable.join.opensAt', { time }) : t('timetable.join.opensOn', { date: formatDay(parisParts(opensAt).date, locale), time });
    return (
      <button type="button" class={`btn btn-secondary tt-join ${size}`} disabled>
        <Icon name="video" size={16} />
        {label}
      </button>
    );
  }

  const join = async () => {
    setState({ kind: 'busy' });
    try {
      const joined = await timetableApi.join(occurrence.occurrenceId);
      setState({ kind: 'joined', url: joined.url });
      window.open(joined.url, '_blank', 'noopener,noreferrer');
    } catch (error) {
      setState({ kind: 'error', message: describeError(error, t, locale) });
    }
  };

  return (
    <div class="tt-join-box">
      {state.kind === 'joined' ? (
        <a class={`btn btn-primary tt-join ${size}`} href={state.url} target="_blank" rel="noopener noreferrer">
          <Icon name="video" size={16} />
          {t('timetable.join.open')}
        </a>
      ) : (
        <button type="button" class={`btn btn-primary tt-join ${size}`} disabled={state.kind === 'busy'} onClick={() => void join()}>
          <Icon name="video" size={16} />
          {state.kind === 'busy' ? t('timetable.join.busy') : t('timetable.join.action')}
          <span class="visually-hidden">
            {' '}
            {occurrence.subject}, {formatClock(occurrence.start, locale)}
          </span>
        </button>
      )}
      <p class="visually-hidden" role="status">
        {state.kind === 'joined' ? t('timetable.join.done') : ''}
      </p>
      {state.kind === 'error' && (
        <p class="tt-join-error" role="alert">
          {state.message}
        </p>
      )}
    </div>
  );
}
