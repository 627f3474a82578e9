import type { JSX } from 'preact';
import { useI18n } from '../lib/i18n.ts';
import { useStore } from '../lib/store.ts';
import { bannerStore } from './banner.ts';
import { Icon } from './ui/icons.tsx';

/** « We have a problem on our side »: shown on network or server errors, never a blank page. */
export function ServerTroubleBanner(): JSX.Element | null {
  const { t } = useI18n();
  const error = useStore(bannerStore);
  if (!error) return null;
  const message = error.isNetwork ? t('banner.network') : error.status === 503 ? t('banner.busy') : t('banner.server');
  return (
    <div class="banner" role="alert">
      <div class="container banner-inner">
        <Icon name="alert" />
        <p>{message}</p>
        <div class="banner-actions">
          <button type="button" class="btn btn-secondary btn-small" onClick={() => window.location.reload()}>
            {t('common.reload')}
          </button>
          <button type="button" class="btn btn-ghost btn-small" onClick={() => bannerStore.set(null)}>
            {t('common.close')}
          </button>
        </div>
      </div>
    </div>
  );
}
