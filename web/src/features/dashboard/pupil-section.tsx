import type { JSX } from 'preact';
import { Badge, Card, Empty } from '../../app/ui/page.tsx';
import type { TDashboard } from '../../lib/api-types.ts';
import { useI18n } from '../../lib/i18n.ts';
import { NameList, TeacherList } from './people-list.tsx';

type Pupil = NonNullable<TDashboard['pupil']>;

export function PupilSection({ pupil }: { pupil: Pupil }): JSX.Element {
  const { t, tn } = useI18n();
  return (
    <section class="section" aria-labelledby="section-pupil">
      <h2 id="section-pupil" class="section-title">
        {t('dashboard.pupil.title')}
      </h2>
      <div class="grid grid-pupil">
        <div class="stack">
          <Card title={t('dashboard.pupil.class')} icon="school" level={3} class="card-highlight">
            {pupil.class ? <p class="big-name">{pupil.class.name}</p> : <Empty>{t('dashboard.pupil.noClass')}</Empty>}
            <p class="muted">{pupil.school.name}</p>
            {pupil.groups.length > 0 && (
              <ul class="chip-row" aria-label={t('dashboard.pupil.groups')}>
                {pupil.groups.map((g) => (
                  <li key={g.id}>
                    <Badge>{g.name}</Badge>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card title={t('dashboard.pupil.teachers')} icon="book" level={3}>
            {pupil.teachers.length > 0 ? <TeacherList teachers={pupil.teachers} /> : <Empty>{t('dashboard.pupil.noTeachers')}</Empty>}
          </Card>
        </div>
        <Card title={t('dashboard.pupil.classmates')} icon="users" level={3}>
          <p class="muted">{tn('count.pupils', pupil.classmates.length)}</p>
          {pupil.classmates.length > 0 && <NameList people={pupil.classmates} />}
        </Card>
      </div>
    </section>
  );
}
