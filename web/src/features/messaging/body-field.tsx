/** The text of a message: a labelled textarea with its length limit and error tied to it. */
import type { JSX } from 'preact';
import { Icon } from '../../app/ui/icons.tsx';
import { useI18n } from '../../lib/i18n.ts';

export const BODY_MAX = 20_000;

export function BodyField({ id, label, value, onValue, error, rows = 8 }: { id: string; label: string; value: string; onValue: (v: string) => void; error?: string | null; rows?: number }): JSX.Element {
  const { t } = useI18n();
  const near = value.length > BODY_MAX * 0.9;
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      <textarea
        id={id}
        class="textarea"
        rows={rows}
        maxLength={BODY_MAX}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={[near ? `${id}-count` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}
      />
      {near && (
        <p class="field-hint" id={`${id}-count`}>
          {t('messaging.length', { count: value.length, max: BODY_MAX })}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          <Icon name="alert" size={16} />
          {error}
        </p>
      )}
    </div>
  );
}
