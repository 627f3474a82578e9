import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { TMe } from '../lib/api-types.ts';
import { useI18n } from '../lib/i18n.ts';
import { ServerTroubleBanner } from './banner-view.tsx';
import { bannerStore } from './banner.ts';
import { Header } from './header.tsx';
import { LiveUpdates } from '../live/live-updates.tsx';
import { useLocation } from './router.tsx';

/** After a client-side navigation, move focus to the new page's heading so it is announced. */
function useFocusOnNavigation(): void {
  const { path } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    bannerStore.set(null);
    window.scrollTo(0, 0);
    const timer = window.setTimeout(() => {
      const target = document.querySelector<HTMLElement>('main h1') ?? document.getElementById('contenu');
      target?.focus({ preventScroll: true });
    }, 0);
    return () => window.clearTimeout(timer);
  }, [path]);
}

export function Layout({ me, narrow, children }: { me: TMe | null; narrow: boolean; children: ComponentChildren }): JSX.Element {
  const { t } = useI18n();
  useFocusOnNavigation();
  return (
    <>
      <a class="skip-link" href="#contenu">
        {t('a11y.skip')}
      </a>
      <Header me={me} />
      <ServerTroubleBanner />
      {me && <LiveUpdates />}
      <main id="contenu" tabIndex={-1} class={narrow ? 'main main-narrow' : 'main'}>
        <div class="container">{children}</div>
      </main>
      <footer class="site-footer">
        <div class="container footer-inner">
          <p>
            <strong>{t('app.name')}</strong> · {t('app.tagline')}
          </p>
          <p>{t('footer.help')}</p>
        </div>
      </footer>
    </>
  );
}
