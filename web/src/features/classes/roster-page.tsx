import type { JSX } from 'preact';
import type { PageProps } from '../../app/routes.ts';
import { Card, Empty, ErrorState, Loading, PageHeader } from '../../app/ui/page.tsx';
import { api } from '../../lib/api-client.ts';
import type { TClassRoster } from '../../lib/api-types.ts';
import { useI18n } from '../../lib/i18n.ts';
import { useResource } from '../../lib/use-resource.ts';
import { NameList, TeacherList } from '../dashboard/people-list.tsx';

function Roster({ roster }: { roster: TClassRoster }): JSX.Element {
  const { t, tn } = useI18n();
  return (
    <>
      <PageHeader
        title={t('roster.title', { name: roster.class.name })}
        subtitle={[roster.class.level && t('roster.level', { level: roster.class.level }), tn('count.pupils', roster.pupils.length)]
          .filter(Boolean)
          .join(' · ')}
        back={{ href: '/', label: t('nav.backHome') }}
      />
      <div class="grid grid-roster">
        <Card title={t('roster.teachers')} icon="book">
          {roster.teachers.length > 0 ? <TeacherList teachers={roster.teachers} /> : <Empty>{t('roster.noTeachers')}</Empty>}
        </Card>
        <Card title={t('roster.pupils', { count: roster.pupils.length })} icon="users">
          {roster.pupils.length > 0 ? <NameList people={roster.pupils} ordered /> : <Empty>{t('roster.noPupils')}</Empty>}
        </Card>
      </div>
    </>
  );
}

export function RosterPage({ params }: PageProps): JSX.Element {
  const { t } = useI18n();
  const id = params['id'] ?? '';
  const roster = useResource(`class:${id}`, (signal) => api.get<TClassRoster>(`/api/classes/${encodeURIComponent(id)}`, { signal }));
  if (roster.status === 'ready') return <Roster roster={roster.data} />;
  return (
    <>
      <PageHeader title={t('roster.loadingTitle')} back={{ href: '/', label: t('nav.backHome') }} />
      {roster.status === 'loading' ? <Loading /> : <ErrorState error={roster.error} onRetry={roster.reload} />}
    </>
  );
}
