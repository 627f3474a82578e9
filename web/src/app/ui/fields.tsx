/** Labelled form controls: the label, the hint and the error are tied to the input for screen readers. */
import type { ComponentChildren, JSX, PartialInputHTMLAttributes, TargetedInputEvent } from 'preact';
import { useState } from 'preact/hooks';
import { useI18n } from '../../lib/i18n.ts';
import { Icon } from './icons.tsx';

type InputProps = Omit<PartialInputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onInput' | 'type' | 'role'>;

interface TextFieldProps extends InputProps {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: ComponentChildren;
  error?: string | null;
  type?: 'text' | 'password';
  trailing?: ComponentChildren;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export function TextField({ id, label, value, onValue, hint, error, type = 'text', trailing, ...rest }: TextFieldProps): JSX.Element {
  const common = {
    ...rest,
    id,
    value,
    onInput: (e: TargetedInputEvent<HTMLInputElement>) => onValue(e.currentTarget.value),
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(id, hint, error),
  };
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <div class="field-control">
        {type === 'password' ? <input {...common} type="password" /> : <input {...common} type="text" />}
        {trailing}
      </div>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          <Icon name="alert" size={16} />
          {error}
        </p>
      )}
    </div>
  );
}

type PasswordFieldProps = Omit<TextFieldProps, 'type' | 'trailing'>;

export function PasswordField(props: PasswordFieldProps): JSX.Element {
  const { t } = useI18n();
  const [visible, setVisible] = useState(false);
  const toggle = (
    <button
      type="button"
      class="field-toggle"
      aria-controls={props.id}
      aria-label={visible ? t('password.hideLong') : t('password.showLong')}
      onClick={() => setVisible((v) => !v)}
    >
      <Icon name={visible ? 'eyeOff' : 'eye'} size={18} />
      <span>{visible ? t('password.hide') : t('password.show')}</span>
    </button>
  );
  return <TextField {...props} type={visible ? 'text' : 'password'} trailing={toggle} spellcheck={false} autocapitalize="none" />;
}

interface CheckboxProps {
  id: string;
  label: string;
  hint?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}

export function Checkbox({ id, label, hint, checked, onChange }: CheckboxProps): JSX.Element {
  return (
    <div class="checkbox">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.currentTarget.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <div>
        <label for={id}>{label}</label>
        {hint && (
          <p class="field-hint" id={`${id}-hint`}>
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}

export function FormError({ message }: { message: string | null }): JSX.Element | null {
  if (!message) return null;
  return (
    <div class="notice notice-error" role="alert">
      <Icon name="alert" />
      <p>{message}</p>
    </div>
  );
}
