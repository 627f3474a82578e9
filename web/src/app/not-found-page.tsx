import type { JSX } from 'preact';
import { useI18n } from '../lib/i18n.ts';
import { Link } from './router.tsx';
import { PageHeader } from './ui/page.tsx';

export function NotFoundPage(): JSX.Element {
  const { t } = useI18n();
  return (
    <div class="stack">
      <PageHeader title={t('notFound.title')} />
      <p>{t('notFound.text')}</p>
      <p>
        <Link class="btn btn-primary" href="/">
          {t('notFound.home')}
        </Link>
      </p>
    </div>
  );
}
