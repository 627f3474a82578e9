/**
 * « Documents »: for teachers and staff, their library (folders, files, sharing) then what is
 * shared with their classes; for pupils and parents, « Documents de la classe ».
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorState, Loading, PageHeader } from '../../app/ui/page.tsx';
import { useI18n } from '../../lib/i18n.ts';
import { useResource } from '../../lib/use-resource.ts';
import { documentsApi } from './documents-api.ts';
import { formatBytes } from './documents-ui.tsx';
import { LibraryView } from './library-view.tsx';
import { SharedView } from './shared-view.tsx';

export function DocumentsPage(): JSX.Element {
  const { t, locale } = useI18n();
  const library = useResource('documents-library', (signal) => documentsApi.library(signal));
  const shared = useResource('documents-shared', (signal) => documentsApi.shared(signal));
  const [announcement, setAnnouncement] = useState('');
  const canShare = library.status === 'ready' && library.data.canShare;
  const quota = library.status === 'ready' ? library.data.quota : null;

  const announce = (message: string) => {
    setAnnouncement(message);
    shared.reload();
  };

  return (
    <>
      <PageHeader
        title={t('documents.title')}
        subtitle={library.status === 'ready' && (canShare ? t('documents.subtitle.teacher') : t('documents.subtitle.family'))}
        actions={
          canShare &&
          quota && (
            <div class="doc-quota">
              <label for="doc-quota-meter">{t('documents.quotaLabel')}</label>
              <meter id="doc-quota-meter" min={0} max={quota.limitBytes} value={quota.usedBytes} high={quota.limitBytes * 0.9} />
              <span>{t('documents.quota', { used: formatBytes(quota.usedBytes, t, locale), limit: formatBytes(quota.limitBytes, t, locale) })}</span>
            </div>
          )
        }
      />
      <p class="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {library.status === 'loading' && <Loading />}
      {library.status === 'error' && <ErrorState error={library.error} onRetry={library.reload} />}
      {library.status === 'ready' && (
        <div class="stack-lg">
          {canShare && <LibraryView library={library.data} reload={library.reload} announce={announce} />}
          <section aria-labelledby="doc-shared-title" class="doc-shared">
            <h2 id="doc-shared-title" class={canShare ? 'section-title' : 'visually-hidden'}>
              {canShare ? t('documents.fromColleagues') : t('documents.classDocuments')}
            </h2>
            {shared.status === 'loading' && <Loading />}
            {shared.status === 'error' && <ErrorState error={shared.error} onRetry={shared.reload} />}
            {shared.status === 'ready' && <SharedView shared={shared.data} level={3} empty={canShare ? t('documents.noSharedByColleagues') : t('documents.noShared')} />}
          </section>
        </div>
      )}
    </>
  );
}
