import type { JSX } from 'preact';
import { Card, Empty } from '../../app/ui/page.tsx';
import type { TDashboard } from '../../lib/api-types.ts';
import { useI18n } from '../../lib/i18n.ts';

type Parent = NonNullable<TDashboard['parent']>;

export function ParentSection({ parent }: { parent: Parent }): JSX.Element {
  const { t } = useI18n();
  return (
    <section class="section" aria-labelledby="section-parent">
      <h2 id="section-parent" class="section-title">
        {t('dashboard.parent.title')}
      </h2>
      {parent.children.length === 0 ? (
        <Empty>{t('dashboard.parent.none')}</Empty>
      ) : (
        <div class="grid grid-3">
          {parent.children.map((child) => (
            <Card key={child.id} title={`${child.firstName} ${child.lastName}`} icon="heart" level={3}>
              <dl class="facts">
                <div>
                  <dt>{t('dashboard.parent.school')}</dt>
                  <dd>{child.school.name}</dd>
                </div>
                <div>
                  <dt>{t('dashboard.parent.class')}</dt>
                  <dd>{child.class?.name ?? t('dashboard.pupil.noClass')}</dd>
                </div>
              </dl>
            </Card>
          ))}
        </div>
      )}
    </section>
  );
}
