import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { currentMe } from '../../app/session.ts';
import { ErrorState, Loading, PageHeader } from '../../app/ui/page.tsx';
import { takePrefetched } from '../../lib/api-client.ts';
import type { TDashboard } from '../../lib/api-types.ts';
import { formatLongDate } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.ts';
import { useResource } from '../../lib/use-resource.ts';
import { useLive } from '../../live/use-live.ts';
import { ParentSection } from './parent-section.tsx';
import { PupilSection } from './pupil-section.tsx';
import { StaffSection } from './staff-section.tsx';
import { TeacherSection } from './teacher-section.tsx';
import { TodaySection } from './today/today-section.tsx';

function Sections({ data }: { data: TDashboard }): JSX.Element {
  const { t } = useI18n();
  const hasSection = data.pupil || data.parent || data.teacher || data.staff;
  return (
    <div class="sections">
      <TodaySection data={data} />
      {data.staff && <StaffSection staff={data.staff} />}
      {data.teacher && <TeacherSection teacher={data.teacher} />}
      {data.pupil && <PupilSection pupil={data.pupil} />}
      {data.parent && <ParentSection parent={data.parent} />}
      {!hasSection && <p class="empty">{t('dashboard.empty')}</p>}
    </div>
  );
}

/**
 * Live events come in bursts (a class message, then its unread count): fetch once, a moment after
 * the first of them. The server forgets a cached dashboard on every node as soon as an event
 * concerns its person or one of their classes (src/modules/dashboard/dashboard.cache.ts), so the
 * refetch sees the change; the short wait also lets the event reach the other nodes.
 */
const COALESCE_MS = 300;

function useCoalescedRefetch(reload: () => void): () => void {
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return () => {
    if (timer.current !== undefined) return;
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      reload();
    }, COALESCE_MS);
  };
}

/** The home page: one GET /api/dashboard, one section per role the person holds. */
export function DashboardPage(): JSX.Element {
  const { t, locale } = useI18n();
  const me = currentMe();
  const dashboard = useResource('dashboard', (signal) => takePrefetched<TDashboard>('/api/dashboard', signal));
  // Live: what the dashboard shows changed (or we were disconnected): fetch it again, no reload.
  const refetch = useCoalescedRefetch(dashboard.reload);
  useLive(['homework.changed', 'message.received', 'submission.received', 'submission.reviewed', 'timetable.changed', 'documents.changed', 'resync'], refetch);
  const firstName = dashboard.status === 'ready' ? dashboard.data.user.firstName : (me?.firstName ?? '');

  return (
    <>
      <PageHeader
        title={t('dashboard.hello', { name: firstName })}
        subtitle={
          <time dateTime={new Date().toISOString().slice(0, 10)}>{formatLongDate(new Date(), locale)}</time>
        }
      />
      {dashboard.status === 'loading' && <Loading />}
      {dashboard.status === 'error' && <ErrorState error={dashboard.error} onRetry={dashboard.reload} />}
      {dashboard.status === 'ready' && <Sections data={dashboard.data} />}
    </>
  );
}
