import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { useI18n } from '../lib/i18n.ts';
import { useStore } from '../lib/store.ts';
import { Layout } from './layout.tsx';
import { resolveRoute } from './routes.ts';
import { navigate, safeNext, useLocation } from './router.tsx';
import { loadSession, sessionStore, signInPath } from './session.ts';
import { ErrorState, Loading, usePageTitle } from './ui/page.tsx';

function Unavailable({ error }: { error: unknown }): JSX.Element {
  const { t } = useI18n();
  usePageTitle(t('unavailable.title'));
  return (
    <div class="stack">
      <h1 tabIndex={-1}>{t('unavailable.title')}</h1>
      <ErrorState error={error} onRetry={() => void loadSession()} />
    </div>
  );
}

export function App(): JSX.Element {
  const session = useStore(sessionStore);
  const { path, search } = useLocation();
  const { route, params } = resolveRoute(path);
  const signedIn = session.status === 'signed-in';
  const mustSignIn = route.access === 'user' && session.status === 'anonymous';
  const mustLeave = route.access === 'guest' && signedIn;

  useEffect(() => {
    if (mustSignIn) navigate(signInPath(), { replace: true });
    else if (mustLeave) navigate(safeNext(new URLSearchParams(search).get('suivant')), { replace: true });
  }, [mustSignIn, mustLeave, search]);

  const Page = route.component;
  let content: JSX.Element;
  if (session.status === 'loading' || mustSignIn || mustLeave) content = <Loading />;
  else if (session.status === 'unavailable') content = <Unavailable error={session.error} />;
  else content = <Page params={params} />;

  return (
    <Layout me={signedIn ? session.me : null} narrow={route.access === 'guest'}>
      {content}
    </Layout>
  );
}
