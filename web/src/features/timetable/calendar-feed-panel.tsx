import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Icon } from '../../app/ui/icons.tsx';
import { FormError } from '../../app/ui/fields.tsx';
import { Card, Loading } from '../../app/ui/page.tsx';
import { describeError } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.ts';
import { useResource } from '../../lib/use-resource.ts';
import { timetableApi, type TCalendarFeed } from './timetable-api.ts';

/** « Mon agenda (iCal) »: the private subscription URL, to copy, regenerate (the old one stops) or turn off. */
export function CalendarFeedPanel(): JSX.Element {
  const { t, locale } = useI18n();
  const loaded = useResource('calendar-feed', (signal) => timetableApi.feed(signal));
  const [feed, setFeed] = useState<TCalendarFeed | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const current = feed ?? (loaded.status === 'ready' ? loaded.data : null);
  const url = current?.path ? `${window.location.origin}${current.path}` : null;

  const act = async (change: () => Promise<TCalendarFeed>, message: string) => {
    setBusy(true);
    setError(null);
    try {
      setFeed(await change());
      setConfirming(false);
      setStatus(message);
    } catch (cause) {
      setError(describeError(cause, t, locale));
    } finally {
      setBusy(false);
    }
  };
  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setStatus(t('timetable.feed.copied'));
    } catch {
      (document.getElementById('tt-feed-url') as HTMLInputElement | null)?.select();
      setStatus(t('timetable.feed.copyByHand'));
    }
  };

  return (
    <Card title={t('timetable.feed.title')} icon="calendar" class="tt-feed">
      <div class="stack">
        <p>{t('timetable.feed.intro')}</p>
        {loaded.status === 'loading' && !feed && <Loading />}
        {current && !current.active && (
          <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void act(timetableApi.regenerateFeed, t('timetable.feed.created'))}>
            <Icon name="key" size={18} />
            {t('timetable.feed.create')}
          </button>
        )}
        {current?.active && (
          <>
            {url ? (
              <div class="field">
                <label for="tt-feed-url">{t('timetable.feed.url')}</label>
                <div class="field-control tt-feed-url">
                  <input id="tt-feed-url" type="text" readOnly value={url} onFocus={(e) => e.currentTarget.select()} aria-describedby="tt-feed-private" />
                  <button type="button" class="btn btn-secondary" onClick={() => void copy()}>
                    <Icon name="copy" size={18} />
                    {t('timetable.feed.copy')}
                  </button>
                </div>
              </div>
            ) : (
              <p class="muted">{t('timetable.feed.hidden')}</p>
            )}
            <p class="field-hint" id="tt-feed-private">
              {t('timetable.feed.private')}
              {current.createdAt && ` ${t('timetable.feed.since', { date: formatDateTime(current.createdAt, locale) })}`}
            </p>
            {confirming ? (
              <div class="notice notice-warning">
                <Icon name="alert" />
                <div>
                  <p>{t('timetable.feed.regenerateWarning')}</p>
                  <div class="tt-actions">
                    <button type="button" class="btn btn-primary btn-small" disabled={busy} onClick={() => void act(timetableApi.regenerateFeed, t('timetable.feed.regenerated'))}>
                      {t('timetable.feed.regenerateYes')}
                    </button>
                    <button type="button" class="btn btn-ghost btn-small" onClick={() => setConfirming(false)}>
                      {t('common.cancel')}
                    </button>
                  </div>
                </div>
              </div>
            ) : (
              <div class="tt-actions">
                <button type="button" class="btn btn-secondary" onClick={() => setConfirming(true)}>
                  <Icon name="refresh" size={18} />
                  {t('timetable.feed.regenerate')}
                </button>
                <button type="button" class="btn btn-danger-outline" disabled={busy} onClick={() => void act(timetableApi.revokeFeed, t('timetable.feed.revoked'))}>
                  {t('timetable.feed.revoke')}
                </button>
              </div>
            )}
          </>
        )}
        <FormError message={error ?? (loaded.status === 'error' ? describeError(loaded.error, t, locale) : null)} />
        <p class="visually-hidden" role="status" aria-live="polite">
          {status}
        </p>
      </div>
    </Card>
  );
}
