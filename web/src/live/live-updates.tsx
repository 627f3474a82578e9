/**
 * Mounted once while someone is signed in: opens the shared live connection, and shows
 * « Votre cours commence bientôt » when a lesson of theirs starts within 10 minutes, with
 * « Rejoindre » (the virtual class: records the presence and opens it) or the timetable.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Link } from '../app/router.tsx';
import { Icon } from '../app/ui/icons.tsx';
import { api } from '../lib/api-client.ts';
import { useI18n } from '../lib/i18n.ts';
import { startLive, stopLive, type LessonStarting } from './live.ts';
import { useLive } from './use-live.ts';

function LessonToast({ lesson, onClose }: { lesson: LessonStarting; onClose: () => void }): JSX.Element {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState(false);
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }).format(new Date(lesson.startsAt));
  const join = async (occurrenceId: string) => {
    setBusy(true);
    try {
      const joined = await api.post<{ url: string }>(`/api/lessons/${encodeURIComponent(occurrenceId)}/join`);
      window.open(joined.url, '_blank', 'noopener,noreferrer');
      onClose();
    } catch {
      setBusy(false);
    }
  };
  return (
    <div class="live-toast notice notice-info">
      <Icon name="video" />
      <div>
        <p class="notice-title">{t('live.lessonTitle')}</p>
        <p>{t('live.lessonText', { subject: lesson.subject, time })}</p>
        <p class="live-toast-actions">
          {lesson.virtual && lesson.occurrenceId ? (
            <button type="button" class="btn btn-primary btn-small" disabled={busy} onClick={() => void join(lesson.occurrenceId!)}>
              {busy ? t('live.joinBusy') : t('live.join')}
            </button>
          ) : (
            <Link class="btn btn-secondary btn-small" href="/emploi-du-temps" onClick={onClose}>
              {t('live.timetable')}
            </Link>
          )}
        </p>
      </div>
      <button type="button" class="live-toast-close" aria-label={t('live.dismiss')} onClick={onClose}>
        <Icon name="close" size={18} />
      </button>
    </div>
  );
}

export function LiveUpdates(): JSX.Element | null {
  const [lessons, setLessons] = useState<LessonStarting[]>([]);
  useEffect(() => {
    startLive();
    return stopLive;
  }, []);
  useLive(['lesson.starting'], (data) => {
    const lesson = data as LessonStarting;
    setLessons((now) => [...now.filter((l) => l.occurrenceId !== lesson.occurrenceId), lesson].slice(-3));
  });
  if (lessons.length === 0) return null;
  return (
    <div class="live-toasts" aria-live="polite">
      {lessons.map((lesson) => (
        <LessonToast key={lesson.occurrenceId ?? lesson.lessonId} lesson={lesson} onClose={() => setLessons((now) => now.filter((l) => l !== lesson))} />
      ))}
    </div>
  );
}
