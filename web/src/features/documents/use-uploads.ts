/** A queue of uploads with their progress, one file after the other. */
import { useCallback, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../lib/api-client.ts';
import { uploadFile } from './documents-api.ts';

export interface UploadEntry {
  key: number;
  name: string;
  sent: number;
  total: number;
  status: 'waiting' | 'sending' | 'done' | 'failed';
  /** The reason, ready to show (server message or local check). */
  error?: unknown;
  cancel: () => void;
}

/**
 * `add(files, folderId)` queues files; each is sent with progress, then `onUploaded` runs (the
 * page reloads its list). Files over `maxBytes` fail at once, without being sent.
 */
export function useUploads(options: { maxBytes: number; tooBig: (name: string) => string; onUploaded: (name: string) => void }) {
  const [entries, setEntries] = useState<UploadEntry[]>([]);
  const nextKey = useRef(0);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const latest = useRef(options);
  latest.current = options;

  const update = (key: number, change: Partial<UploadEntry>) => setEntries((all) => all.map((e) => (e.key === key ? { ...e, ...change } : e)));

  const add = useCallback(
    (files: FileList | File[], folderId: string | null) => {
      for (const file of Array.from(files)) {
        const key = nextKey.current++;
        const controller = new AbortController();
        const entry: UploadEntry = { key, name: file.name, sent: 0, total: file.size, status: 'waiting', cancel: () => controller.abort() };
        if (file.size > latest.current.maxBytes) {
          setEntries((all) => [...all, { ...entry, status: 'failed', error: new ApiError(413, 'PAYLOAD_TOO_LARGE', latest.current.tooBig(file.name)) }]);
          continue;
        }
        setEntries((all) => [...all, entry]);
        chain.current = chain.current.then(async () => {
          if (controller.signal.aborted) return setEntries((all) => all.filter((e) => e.key !== key));
          update(key, { status: 'sending' });
          try {
            await uploadFile(file, { folderId, signal: controller.signal, onProgress: (sent, total) => update(key, { sent, total }) });
            update(key, { status: 'done', sent: file.size });
            latest.current.onUploaded(file.name);
          } catch (error) {
            if (error instanceof DOMException && error.name === 'AbortError') setEntries((all) => all.filter((e) => e.key !== key));
            else update(key, { status: 'failed', error });
          }
        });
      }
    },
    [],
  );

  const dismiss = (key: number) => setEntries((all) => all.filter((e) => e.key !== key));
  return { entries, add, dismiss };
}
