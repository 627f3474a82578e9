import type { JSX } from 'preact';
import type { TMe } from '../lib/api-types.ts';
import { useI18n } from '../lib/i18n.ts';
import { adminSchools } from '../lib/roles.ts';
import { LangSwitch } from './lang-switch.tsx';
import { Link, useLocation } from './router.tsx';
import { Icon, LogoMark, type IconName } from './ui/icons.tsx';
import { UserMenu } from './user-menu.tsx';
import { useMessagingNavItem } from '../features/messaging/unread.ts';
import { homeworkNavItems } from '../features/homework/nav.ts';

interface NavItem {
  href: string;
  label: string;
  icon: IconName;
}

function useNavItems(me: TMe): NavItem[] {
  const { t } = useI18n();
  const items: NavItem[] = [{ href: '/', label: t('nav.home'), icon: 'home' }];
  // School-day entries below, one line each (issue 3).
  if (me.roles.some((r) => r.role !== 'operator')) items.push({ href: '/documents', label: t('documents.nav'), icon: 'folder' });
  items.push(useMessagingNavItem());
  items.push(...homeworkNavItems(me, t));
  if (me.roles.some((r) => r.role !== 'operator')) items.push({ href: '/emploi-du-temps', label: t('timetable.navEntry'), icon: 'calendar' });
  const school = adminSchools(me)[0];
  if (school) {
    items.push({ href: `/admin/${school.id}/personnes`, label: t('nav.people'), icon: 'users' });
    items.push({ href: `/admin/${school.id}/import`, label: t('nav.import'), icon: 'upload' });
  }
  if (me.roles.some((r) => r.role === 'operator')) items.push({ href: '/exploitation/salle-d-attente', label: t('nav.operations'), icon: 'users' });
  items.push({ href: '/compte/sessions', label: t('nav.devices'), icon: 'device' });
  return items;
}

function MainNav({ me }: { me: TMe }): JSX.Element {
  const { t } = useI18n();
  const { path } = useLocation();
  const items = useNavItems(me);
  return (
    <nav class="main-nav" aria-label={t('nav.label')}>
      <ul class="container">
        {items.map((item) => (
          <li key={item.href}>
            <Link href={item.href} aria-current={path === item.href ? 'page' : undefined}>
              <Icon name={item.icon} size={18} />
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Header({ me }: { me: TMe | null }): JSX.Element {
  const { t } = useI18n();
  return (
    <header class="site-header">
      <div class="container header-inner">
        <Link href="/" class="brand">
          <LogoMark />
          <span class="brand-text">
            <span class="brand-name">{t('app.name')}</span>
            <span class="brand-tagline">{t('app.tagline')}</span>
          </span>
        </Link>
        <div class="header-tools">
          <LangSwitch />
          {me && <UserMenu me={me} />}
        </div>
      </div>
      {me && <MainNav me={me} />}
    </header>
  );
}
