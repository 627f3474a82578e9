import type { JSX } from 'preact';
import { Link } from '../../app/router.tsx';
import { Icon } from '../../app/ui/icons.tsx';
import { Badge, Card, Empty } from '../../app/ui/page.tsx';
import type { TDashboard } from '../../lib/api-types.ts';
import { useI18n } from '../../lib/i18n.ts';
import { subjectLabel } from '../../lib/subjects.ts';

type Teacher = NonNullable<TDashboard['teacher']>;

export function TeacherSection({ teacher }: { teacher: Teacher }): JSX.Element {
  const { t, tn, locale } = useI18n();
  return (
    <section class="section" aria-labelledby="section-teacher">
      <h2 id="section-teacher" class="section-title">
        {t('dashboard.teacher.title')}
      </h2>
      {teacher.classes.length === 0 ? (
        <Empty>{t('dashboard.teacher.none')}</Empty>
      ) : (
        <div class="grid grid-4">
          {teacher.classes.map((c) => (
            <Card
              key={c.id}
              title={c.name}
              icon="school"
              level={3}
              footer={
                <Link class="card-link" href={`/classes/${c.id}`}>
                  {t('dashboard.teacher.roster')}
                  <span class="visually-hidden"> {c.name}</span>
                  <Icon name="chevronRight" size={16} />
                </Link>
              }
            >
              <p class="muted">{tn('count.pupils', c.pupilCount)}</p>
              <div class="chip-row">
                {c.subjects.map((s) => (
                  <Badge key={s} tone="info">
                    {subjectLabel(s, locale)}
                  </Badge>
                ))}
              </div>
            </Card>
          ))}
        </div>
      )}
    </section>
  );
}
