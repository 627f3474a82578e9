/** Small pieces shared by the homework pages: status badges, due dates, file links, text areas, uploads. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Icon } from '../../app/ui/icons.tsx';
import { Badge } from '../../app/ui/page.tsx';
import type { Locale } from '../../lib/api-types.ts';
import { describeError } from '../../lib/errors.ts';
import { intlLocale } from '../../lib/format.ts';
import { useI18n, type Translate } from '../../lib/i18n.ts';
import { uploadFile, type TFileRef, type THomeworkStatus } from './homework-api.ts';

const STATUS_TONE = { todo: 'neutral', submitted: 'success', late: 'warning', reviewed: 'info' } as const;

export function StatusBadge({ status }: { status: THomeworkStatus }): JSX.Element {
  const { t } = useI18n();
  return <Badge tone={STATUS_TONE[status]}>{t(`homework.status.${status}`)}</Badge>;
}

/**
 * One button's request: `run` clears the error, marks the action busy, and turns a failure into
 * the message to show (in the person's language); it resolves true when the request succeeded.
 */
export function useAction(): { busy: boolean; error: string | null; setError: (message: string | null) => void; run: (request: () => Promise<unknown>) => Promise<boolean> } {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (request: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await request();
      return true;
    } catch (cause) {
      setError(describeError(cause, t, locale));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

/** Today in the school's time zone, 'YYYY-MM-DD'. */
export function schoolToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** « mardi 15 septembre » */
export function formatDay(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}

export const capitalise = (s: string): string => s.charAt(0).toLocaleUpperCase() + s.slice(1);

/** « aujourd'hui », « demain », or « mardi 15 septembre ». */
export function dayName(date: string, t: Translate, locale: Locale): string {
  const today = schoolToday();
  if (date === today) return t('homework.day.today');
  if (date === addDays(today, 1)) return t('homework.day.tomorrow');
  if (date === addDays(today, -1)) return t('homework.day.yesterday');
  return formatDay(date, locale);
}

/** « Pour demain à 08:00 », « Pour le mardi 15 septembre ». */
export function dueText(item: { dueDate: string; dueTime: string | null }, t: Translate, locale: Locale): string {
  const today = schoolToday();
  const relative = item.dueDate === today || item.dueDate === addDays(today, 1);
  const day = dayName(item.dueDate, t, locale);
  const base = relative ? t('homework.due.relative', { day }) : t('homework.due.on', { day });
  return item.dueTime ? t('homework.due.at', { due: base, time: item.dueTime }) : base;
}

export function formatMark(mark: number, locale: Locale): string {
  return new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 1 }).format(mark);
}

export function formatSize(bytes: number, locale: Locale): string {
  const kb = bytes / 1024;
  const number = new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 1 });
  return kb < 1024 ? `${number.format(Math.max(0.1, kb))} ${locale === 'fr' ? 'Ko' : 'KB'}` : `${number.format(kb / 1024)} ${locale === 'fr' ? 'Mo' : 'MB'}`;
}

/** Download links for files, each with its size. */
export function FileLinks({ files, href, label }: { files: readonly TFileRef[]; href: (fileId: string) => string; label: string }): JSX.Element | null {
  const { t, locale } = useI18n();
  if (files.length === 0) return null;
  return (
    <ul class="hw-files" aria-label={label}>
      {files.map((f) => (
        <li key={f.id}>
          <a href={href(f.id)} download={f.name}>
            <Icon name="download" size={16} />
            <span class="hw-file-name">{f.name}</span>
            <span class="visually-hidden">{t('homework.files.download')}</span>
          </a>
          <span class="muted"> · {formatSize(f.size, locale)}</span>
        </li>
      ))}
    </ul>
  );
}

interface TextAreaProps {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: string;
  rows?: number;
  maxLength?: number;
  required?: boolean;
}

export function TextArea({ id, label, value, onValue, hint, rows = 4, maxLength, required }: TextAreaProps): JSX.Element {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <textarea
        id={id}
        class="textarea"
        rows={rows}
        value={value}
        maxLength={maxLength}
        required={required}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
    </div>
  );
}

/** Multi-line text as written, paragraphs kept. */
export function Prose({ text, class: className }: { text: string; class?: string }): JSX.Element {
  return <p class={className ? `hw-prose ${className}` : 'hw-prose'}>{text}</p>;
}

/**
 * Picks files and uploads each at once to the person's files (POST /api/files), listing them
 * with a remove button; errors (too large, wrong type) are announced next to the input.
 */
export function FileUploader({ id, label, hint, files, onChange }: { id: string; label: string; hint: string; files: TFileRef[]; onChange: (files: TFileRef[]) => void }): JSX.Element {
  const { t, locale } = useI18n();
  const [busy, setBusy] = useState(0);
  const [errors, setErrors] = useState<string[]>([]);
  const pick = async (list: FileList | null, input: HTMLInputElement) => {
    const chosen = [...(list ?? [])];
    input.value = '';
    if (chosen.length === 0) return;
    setErrors([]);
    setBusy((n) => n + chosen.length);
    const added: TFileRef[] = [];
    const failed: string[] = [];
    for (const file of chosen) {
      try {
        added.push(await uploadFile(file));
      } catch (error) {
        failed.push(t('homework.files.failed', { name: file.name, reason: describeError(error, t, locale) }));
      } finally {
        setBusy((n) => n - 1);
      }
    }
    setErrors(failed);
    if (added.length > 0) onChange([...files, ...added]);
  };
  return (
    <div class="field hw-upload">
      <label for={id}>{label}</label>
      <p class="field-hint" id={`${id}-hint`}>
        {hint}
      </p>
      <input id={id} type="file" multiple aria-describedby={`${id}-hint`} onChange={(e) => void pick(e.currentTarget.files, e.currentTarget)} />
      <div role="status" aria-live="polite" class="hw-upload-status">
        {busy > 0 && (
          <p class="muted">
            <span class="spinner" aria-hidden="true" /> {t('homework.files.uploading')}
          </p>
        )}
        {errors.map((e) => (
          <p key={e} class="field-error">
            <Icon name="alert" size={16} />
            {e}
          </p>
        ))}
      </div>
      {files.length > 0 && (
        <ul class="hw-files hw-files-edit" aria-label={t('homework.files.chosen')}>
          {files.map((f) => (
            <li key={f.id}>
              <Icon name="file" size={16} />
              <span class="hw-file-name">{f.name}</span>
              <span class="muted"> · {formatSize(f.size, locale)}</span>
              <button type="button" class="btn btn-ghost btn-small" onClick={() => onChange(files.filter((x) => x.id !== f.id))}>
                {t('homework.files.remove')}
                <span class="visually-hidden"> {f.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
