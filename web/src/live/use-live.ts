/** A view's hook on live updates: `listener` runs on each of `types` while the component is mounted. */
import { useEffect, useRef } from 'preact/hooks';
import { onLive, type LiveEvent } from './live.ts';

export function useLive(types: readonly LiveEvent[], listener: (data: unknown) => void): void {
  const latest = useRef(listener);
  latest.current = listener;
  const key = types.join(',');
  useEffect(() => onLive(types, (data) => latest.current(data)), [key]);
}
