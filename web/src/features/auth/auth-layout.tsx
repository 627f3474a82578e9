import type { ComponentChildren, JSX } from 'preact';
import { useI18n } from '../../lib/i18n.ts';
import { Icon } from '../../app/ui/icons.tsx';

/** Sign-in and activation: the form in a card, and on wide screens a calm panel saying what Préau is. */
export function AuthLayout({ children }: { children: ComponentChildren }): JSX.Element {
  const { t } = useI18n();
  return (
    <div class="auth-layout">
      <div class="auth-card">{children}</div>
      <aside class="auth-aside" aria-label={t('auth.aside.label')}>
        <p class="auth-aside-title">{t('auth.aside.title')}</p>
        <ul>
          <li>
            <Icon name="school" />
            {t('auth.aside.point1')}
          </li>
          <li>
            <Icon name="key" />
            {t('auth.aside.point2')}
          </li>
          <li>
            <Icon name="device" />
            {t('auth.aside.point3')}
          </li>
        </ul>
      </aside>
    </div>
  );
}
