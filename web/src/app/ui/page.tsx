/** Page furniture: title, header, cards, loading and error states. */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { describeError } from '../../lib/errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { Link } from '../router.tsx';
import { Icon, type IconName } from './icons.tsx';

export function usePageTitle(title: string | null): void {
  const { t } = useI18n();
  useEffect(() => {
    document.title = title ? `${title} — ${t('app.name')}` : t('app.name');
  }, [title, t]);
}

interface PageHeaderProps {
  title: string;
  subtitle?: ComponentChildren;
  back?: { href: string; label: string };
  actions?: ComponentChildren;
}

export function PageHeader({ title, subtitle, back, actions }: PageHeaderProps): JSX.Element {
  usePageTitle(title);
  return (
    <header class="page-header">
      {back && (
        <Link class="back-link" href={back.href}>
          <Icon name="arrowLeft" size={16} />
          {back.label}
        </Link>
      )}
      <div class="page-header-row">
        <div>
          <h1 tabIndex={-1}>{title}</h1>
          {subtitle && <p class="page-subtitle">{subtitle}</p>}
        </div>
        {actions && <div class="page-actions">{actions}</div>}
      </div>
    </header>
  );
}

interface CardProps {
  title: string;
  icon?: IconName;
  /** Heading level inside the page: h2 for sections, h3 for cards within a section. */
  level?: 2 | 3;
  class?: string;
  children: ComponentChildren;
  footer?: ComponentChildren;
}

export function Card({ title, icon, level = 2, class: className, children, footer }: CardProps): JSX.Element {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section class={className ? `card ${className}` : 'card'}>
      <Heading class="card-title">
        {icon && <Icon name={icon} class="card-icon" />}
        {title}
      </Heading>
      <div class="card-body">{children}</div>
      {footer && <div class="card-footer">{footer}</div>}
    </section>
  );
}

export function Loading({ label }: { label?: string }): JSX.Element {
  const { t } = useI18n();
  return (
    <div class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </div>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }): JSX.Element {
  const { t, locale } = useI18n();
  return (
    <div class="notice notice-error" role="alert">
      <Icon name="alert" />
      <div>
        <p>{describeError(error, t, locale)}</p>
        {onRetry && (
          <button type="button" class="btn btn-secondary btn-small" onClick={onRetry}>
            <Icon name="refresh" size={16} />
            {t('common.retry')}
          </button>
        )}
      </div>
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }): JSX.Element {
  return <p class="empty">{children}</p>;
}

export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'success' | 'warning' | 'info'; children: ComponentChildren }): JSX.Element {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}
