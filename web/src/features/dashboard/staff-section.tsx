import type { JSX } from 'preact';
import { Link } from '../../app/router.tsx';
import { Icon } from '../../app/ui/icons.tsx';
import { Card } from '../../app/ui/page.tsx';
import type { TDashboard } from '../../lib/api-types.ts';
import { formatNumber } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.ts';
import { roleKey } from '../../lib/roles.ts';

type StaffSchool = NonNullable<TDashboard['staff']>['schools'][number];

function Stat({ label, value }: { label: string; value: number }): JSX.Element {
  const { locale } = useI18n();
  return (
    <div class="stat">
      <dt>{label}</dt>
      <dd>{formatNumber(value, locale)}</dd>
    </div>
  );
}

function ClassLinks({ classes }: { classes: StaffSchool['classes'] }): JSX.Element {
  const { tn } = useI18n();
  return (
    <ul class="link-grid">
      {classes.map((c) => (
        <li key={c.id}>
          <Link href={`/classes/${c.id}`}>
            <span class="link-grid-name">{c.name}</span>
            <span class="link-grid-meta">{tn('count.pupils', c.pupilCount)}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function SchoolBlock({ school }: { school: StaffSchool }): JSX.Element {
  const { t } = useI18n();
  // Groups (options, languages) have no level; classes do.
  const classes = school.classes.filter((c) => c.level !== '');
  const groups = school.classes.filter((c) => c.level === '');
  const isAdmin = school.roles.includes('school_admin');
  const roles = school.roles.map((r) => roleKey(r)).filter((k) => k !== null).map((k) => t(k));
  const headingId = `school-${school.id}`;
  return (
    <section class="section" aria-labelledby={headingId}>
      <div class="section-head">
        <div>
          <h2 id={headingId} class="section-title">
            {school.name}
          </h2>
          <p class="muted">
            {t('dashboard.staff.uai', { uai: school.uai })} · {roles.join(', ')}
          </p>
        </div>
        {isAdmin && (
          <div class="page-actions">
            <Link class="btn btn-primary" href={`/admin/${school.id}/import`}>
              <Icon name="upload" size={18} />
              {t('dashboard.staff.import')}
            </Link>
            <Link class="btn btn-secondary" href={`/admin/${school.id}/personnes`}>
              <Icon name="key" size={18} />
              {t('dashboard.staff.people')}
            </Link>
          </div>
        )}
      </div>
      <dl class="stats">
        <Stat label={t('dashboard.staff.pupils')} value={school.pupils} />
        <Stat label={t('dashboard.staff.parents')} value={school.parents} />
        <Stat label={t('dashboard.staff.teachers')} value={school.teachers} />
        <Stat label={t('dashboard.staff.activated')} value={school.activated} />
      </dl>
      <Card title={t('dashboard.staff.classes')} icon="school" level={3}>
        {classes.length === 0 ? <p class="empty">{t('dashboard.staff.noClasses')}</p> : <ClassLinks classes={classes} />}
        {groups.length > 0 && (
          <>
            <h4 class="subheading">{t('dashboard.staff.groups')}</h4>
            <ClassLinks classes={groups} />
          </>
        )}
      </Card>
    </section>
  );
}

export function StaffSection({ staff }: { staff: NonNullable<TDashboard['staff']> }): JSX.Element {
  return (
    <>
      {staff.schools.map((school) => (
        <SchoolBlock key={school.id} school={school} />
      ))}
    </>
  );
}
