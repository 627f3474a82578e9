/** Small pieces shared by the documents views: sizes, dates, the modal frame. */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { Icon } from '../../app/ui/icons.tsx';
import type { Locale } from '../../lib/api-types.ts';
import { intlLocale } from '../../lib/format.ts';
import { useI18n, type Translate } from '../../lib/i18n.ts';
import { fileContentUrl } from './documents-api.ts';

/** « 850 octets », « 12,4 Ko », « 3,2 Mo » (1 Ko = 1 024 octets, as the server counts). */
export function formatBytes(bytes: number, t: Translate, locale: Locale): string {
  const number = (n: number) => new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 1 }).format(n);
  if (bytes < 1024) return t('documents.size.bytes', { n: number(bytes) });
  if (bytes < 1024 * 1024) return t('documents.size.kb', { n: number(bytes / 1024) });
  return t('documents.size.mb', { n: number(bytes / (1024 * 1024)) });
}

/** « 2 sept. 2026 ». */
export function formatShortDate(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocale(locale), { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(iso));
}

/** File type in a word, from its MIME type (« PDF », « Texte », « Image »…). */
export function kindOf(contentType: string, locale: Locale): string {
  const fr = locale === 'fr';
  const mime = contentType.split(';')[0] ?? '';
  if (mime === 'application/pdf') return 'PDF';
  if (mime.startsWith('image/')) return 'Image';
  if (mime === 'text/csv') return 'CSV';
  if (mime.startsWith('text/')) return fr ? 'Texte' : 'Text';
  if (mime.startsWith('audio/')) return 'Audio';
  if (mime.startsWith('video/')) return fr ? 'Vidéo' : 'Video';
  if (mime.includes('wordprocessing') || mime.endsWith('opendocument.text')) return fr ? 'Traitement de texte' : 'Document';
  if (mime.includes('spreadsheet')) return fr ? 'Tableur' : 'Spreadsheet';
  if (mime.includes('presentation')) return fr ? 'Présentation' : 'Presentation';
  if (mime === 'application/zip') return 'Zip';
  return fr ? 'Fichier' : 'File';
}

interface ModalProps {
  id: string;
  title: string;
  onClose: () => void;
  /** Submitting the form runs this (Enter in a field, the primary button). */
  onSubmit?: () => void;
  actions: ComponentChildren;
  children: ComponentChildren;
}

/** A native modal <dialog> (focus kept inside, Escape closes) holding a form. */
export function Modal({ id, title, onClose, onSubmit, actions, children }: ModalProps): JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
  }, []);
  return (
    <dialog ref={dialog} class="dialog doc-dialog" aria-labelledby={`${id}-title`} onClose={onClose} onCancel={onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit?.();
        }}
      >
        <h2 id={`${id}-title`}>{title}</h2>
        <div class="stack">{children}</div>
        <div class="form-actions">{actions}</div>
      </form>
    </dialog>
  );
}

interface FileLineProps {
  file: { id: string; name: string; size: number; contentType: string };
  /** After type and size on the meta line (a date, who shared it). */
  detail: ComponentChildren;
  /** Under the meta line (share chips). */
  children?: ComponentChildren;
  /** At the end of the line (buttons). */
  trailing?: ComponentChildren;
}

/** One file in a list: its download link, then « PDF · 12 Ko · detail ». */
export function FileLine({ file, detail, children, trailing }: FileLineProps): JSX.Element {
  const { t, locale } = useI18n();
  return (
    <li class="doc-item">
      <Icon name="file" size={28} class="doc-icon" />
      <div class="doc-main">
        <a class="doc-name" href={fileContentUrl(file.id)} download={file.name}>
          {file.name}
        </a>
        <p class="doc-meta">
          {kindOf(file.contentType, locale)} · {formatBytes(file.size, t, locale)} · {detail}
        </p>
        {children}
      </div>
      {trailing}
    </li>
  );
}
