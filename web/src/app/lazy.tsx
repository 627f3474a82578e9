import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorState, Loading } from './ui/page.tsx';

/**
 * A page whose code is fetched on first use (admin pages, rosters…) so the dashboard stays small.
 * A failed fetch (often: a new version was deployed) offers to reload the page.
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;

  return function LazyPage(props: P): JSX.Element {
    const [, setReady] = useState(false);
    const [error, setError] = useState<unknown>(null);
    useEffect(() => {
      if (loaded) return;
      pending ??= load();
      pending.then(
        (component) => {
          loaded = component;
          setReady(true);
        },
        (cause: unknown) => {
          pending = null;
          setError(cause);
        },
      );
    }, []);
    const Component = loaded;
    if (Component) return <Component {...props} />;
    if (error) return <ErrorState error={error} onRetry={() => window.location.reload()} />;
    return <Loading />;
  };
}
