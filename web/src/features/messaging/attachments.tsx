/**
 * Attachments: files are uploaded first (POST /api/files, the documents module), then the message
 * carries their ids. At most 5 files and 20 Mo in all; downloads go through the message, so only
 * its sender and recipients can fetch them.
 */
import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { Icon } from '../../app/ui/icons.tsx';
import { api, ApiError } from '../../lib/api-client.ts';
import { describeError } from '../../lib/errors.ts';
import { formatNumber } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.ts';
import type { Locale } from '../../lib/api-types.ts';
import type { TAttachment } from './messaging-api.ts';

export const MAX_ATTACHMENTS = 5;
export const MAX_TOTAL_BYTES = 20 * 1024 * 1024;

export function formatSize(bytes: number, locale: Locale): string {
  if (bytes < 1024) return `${formatNumber(bytes, locale)} o`;
  if (bytes < 1024 * 1024) return `${formatNumber(Math.round(bytes / 1024), locale)} Ko`;
  return `${formatNumber(Math.round((bytes / (1024 * 1024)) * 10) / 10, locale)} Mo`;
}

/** Uploads one file to the person's documents; resolves with its id. */
async function uploadFile(file: File, schoolId: string | undefined): Promise<TAttachment> {
  const { csrfToken } = await api.get<{ csrfToken: string }>('/api/auth/csrf', { redirectOn401: false });
  const form = new FormData();
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(schoolId ? `/api/files?schoolId=${encodeURIComponent(schoolId)}` : '/api/files', { method: 'POST', body: form, headers: { 'x-csrf-token': csrfToken, accept: 'application/json' }, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Le serveur ne répond pas. Vérifiez votre connexion.');
  }
  const body = (await response.json().catch(() => null)) as
    | { id: string; name: string; size: number; contentType: string; file?: TAttachment; error?: { code: string; message: string } }
    | null;
  if (!response.ok || !body) throw new ApiError(response.status, body?.error?.code ?? 'HTTP', body?.error?.message ?? response.statusText);
  const meta = body.file ?? body;
  return { id: meta.id, name: meta.name, size: meta.size, contentType: meta.contentType };
}

interface Item {
  key: number;
  name: string;
  size: number;
  status: 'uploading' | 'done' | 'error';
  id?: string;
  error?: string;
}

export interface AttachmentsState {
  items: Item[];
  busy: boolean;
  add(files: readonly File[]): void;
  remove(key: number): void;
  ids(): string[];
  clear(): void;
}

/** Files being attached; `schoolId` tells the upload where it belongs (people of several schools). */
export function useAttachments(schoolId?: string): AttachmentsState {
  const { t, locale } = useI18n();
  const [items, setItems] = useState<Item[]>([]);
  const next = useRef(1);
  const update = (key: number, change: Partial<Item>) => setItems((all) => all.map((i) => (i.key === key ? { ...i, ...change } : i)));
  return {
    items,
    busy: items.some((i) => i.status === 'uploading'),
    add(files) {
      const kept = items.filter((i) => i.status !== 'error');
      let total = kept.reduce((sum, i) => sum + i.size, 0);
      const added: Item[] = [];
      for (const file of files) {
        const key = next.current++;
        total += file.size;
        const refusal =
          kept.length + added.length >= MAX_ATTACHMENTS
            ? t('messaging.attach.tooMany', { max: MAX_ATTACHMENTS })
            : total > MAX_TOTAL_BYTES
              ? t('messaging.attach.tooBig')
              : null;
        if (refusal) total -= file.size;
        added.push({ key, name: file.name, size: file.size, status: refusal ? 'error' : 'uploading', ...(refusal ? { error: refusal } : {}) });
        if (!refusal) {
          uploadFile(file, schoolId).then(
            (meta) => update(key, { status: 'done', id: meta.id, name: meta.name }),
            (cause: unknown) => update(key, { status: 'error', error: describeError(cause, t, locale) }),
          );
        }
      }
      setItems([...kept, ...added]);
    },
    remove: (key) => setItems((all) => all.filter((i) => i.key !== key)),
    ids: () => items.filter((i) => i.status === 'done' && i.id).map((i) => i.id!),
    clear: () => setItems([]),
  };
}

export function AttachmentsField({ state, idPrefix }: { state: AttachmentsState; idPrefix: string }): JSX.Element {
  const { t, locale } = useI18n();
  const inputId = `${idPrefix}-files`;
  const input = useRef<HTMLInputElement>(null);
  return (
    <div class="field msg-attach">
      <button type="button" class="btn btn-secondary btn-small" aria-describedby={`${inputId}-hint`} onClick={() => input.current?.click()}>
        <Icon name="paperclip" size={16} />
        {t('messaging.attach.add')}
      </button>
      <input
        ref={input}
        id={inputId}
        hidden
        type="file"
        multiple
        onChange={(e) => {
          state.add([...(e.currentTarget.files ?? [])]);
          e.currentTarget.value = '';
        }}
      />
      <p class="field-hint" id={`${inputId}-hint`}>
        {t('messaging.attach.hint', { max: MAX_ATTACHMENTS })}
      </p>
      {state.items.length > 0 && (
        <ul class="msg-files" aria-live="polite">
          {state.items.map((item) => (
            <li key={item.key} class={item.status === 'error' ? 'msg-file msg-file-error' : 'msg-file'}>
              <Icon name={item.status === 'error' ? 'alert' : 'file'} size={16} />
              <span class="msg-file-name">{item.name}</span>
              <span class="muted">{formatSize(item.size, locale)}</span>
              <span class="msg-file-status">
                {item.status === 'uploading' ? t('messaging.attach.uploading') : item.status === 'error' ? item.error : t('messaging.attach.ready')}
              </span>
              <button type="button" class="btn btn-ghost btn-small" onClick={() => state.remove(item.key)}>
                {t('messaging.attach.remove')}
                <span class="visually-hidden"> {item.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A message's attachments, each a download link. */
export function AttachmentList({ messageId, attachments }: { messageId: string; attachments: readonly TAttachment[] }): JSX.Element {
  const { t, locale } = useI18n();
  return (
    <ul class="msg-files" aria-label={t('messaging.attach.list')}>
      {attachments.map((a) => (
        <li key={a.id} class="msg-file">
          <Icon name="paperclip" size={16} />
          <a href={`/api/messages/${messageId}/attachments/${a.id}/content`} download={a.name}>
            {a.name}
          </a>
          <span class="muted">{formatSize(a.size, locale)}</span>
        </li>
      ))}
    </ul>
  );
}
