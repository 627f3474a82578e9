/** Loads data for a page; reloads when the key changes; never leaves the page blank. */
import { useCallback, useEffect, useState } from 'preact/hooks';

export type Resource<T> =
  | { status: 'loading'; reload: () => void }
  | { status: 'error'; error: unknown; reload: () => void }
  | { status: 'ready'; data: T; reload: () => void; refreshing: boolean };

export function useResource<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ key: string; data?: T; error?: unknown; done: boolean }>({ key, done: false });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState((prev) => ({ key, data: prev.key === key ? prev.data : undefined, done: false }));
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ key, data, done: true });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ key, error, done: true });
      },
    );
    return () => controller.abort();
    // `load` is recreated on every render; the key says when the data must change.
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((a) => a + 1), []);

  if (state.key === key && state.data !== undefined) {
    return { status: 'ready', data: state.data, reload, refreshing: !state.done };
  }
  if (state.key === key && state.done && state.error !== undefined) return { status: 'error', error: state.error, reload };
  return { status: 'loading', reload };
}
