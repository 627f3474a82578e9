import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { Icon } from '../../app/ui/icons.tsx';
import { useI18n } from '../../lib/i18n.ts';

export interface PickedFile {
  name: string;
  size: number;
  file: File;
}

/** A real file input (keyboard, screen readers) dressed as a drop zone that also accepts drag and drop. */
export function FilePicker({ picked, onPick }: { picked: PickedFile | null; onPick: (file: PickedFile) => void }): JSX.Element {
  const { t, locale } = useI18n();
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const take = (file: File | undefined | null) => {
    if (file) onPick({ name: file.name, size: file.size, file });
  };
  const size = picked ? new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format(Math.max(0.1, picked.size / 1024)) : '';

  return (
    <div
      class={dragging ? 'dropzone dropzone-active' : 'dropzone'}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const files = e.dataTransfer?.files;
        if (files && files.length > 0 && input.current) input.current.files = files;
        take(files?.[0]);
      }}
    >
      <Icon name="upload" size={28} class="dropzone-icon" />
      <label for="csv-file" class="dropzone-label">
        {t('import.file.label')}
      </label>
      <p class="field-hint" id="csv-file-hint">
        {t('import.file.hint')}
      </p>
      <input
        ref={input}
        id="csv-file"
        type="file"
        accept=".csv,text/csv"
        aria-describedby="csv-file-hint"
        onChange={(e) => take(e.currentTarget.files?.[0])}
      />
      {picked && (
        <p class="dropzone-picked" role="status">
          <Icon name="file" size={18} />
          {t('import.file.picked', { name: picked.name, size })}
        </p>
      )}
    </div>
  );
}
