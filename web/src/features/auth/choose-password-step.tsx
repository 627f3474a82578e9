import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { setSignedIn } from '../../app/session.ts';
import { Checkbox, FormError, PasswordField } from '../../app/ui/fields.tsx';
import { Icon } from '../../app/ui/icons.tsx';
import { api } from '../../lib/api-client.ts';
import type { TActivationCheck, TMe } from '../../lib/api-types.ts';
import { describeError } from '../../lib/errors.ts';
import { useI18n } from '../../lib/i18n.ts';

/** Mirrors PASSWORD_MIN_LENGTH in the identity schemas. */
export const PASSWORD_MIN = 10;

interface Props {
  code: string;
  person: TActivationCheck;
  onBack: () => void;
  onDone: () => void;
}

export function ChoosePasswordStep({ code, person, onBack, onDone }: Props): JSX.Element {
  const { t, locale } = useI18n();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [remember, setRemember] = useState(true);
  const [errors, setErrors] = useState<{ password?: string; confirm?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const next: typeof errors = {};
    if (password.length < PASSWORD_MIN) next.password = t('activation.passwordTooShort', { min: PASSWORD_MIN });
    else if (confirm !== password) next.confirm = t('activation.passwordMismatch');
    setErrors(next);
    if (next.password || next.confirm) return;
    setBusy(true);
    try {
      const me = await api.post<TMe>('/api/auth/activation', { code, password, remember }, { redirectOn401: false });
      setSignedIn(me);
      onDone();
    } catch (cause) {
      setBusy(false);
      setErrors({ form: describeError(cause, t, locale) });
    }
  };

  const longEnough = password.length >= PASSWORD_MIN;
  return (
    <form class="stack" noValidate onSubmit={(e) => void submit(e)}>
      <h2 class="step-title" tabIndex={-1} ref={heading}>
        <span class="step-count">{t('activation.step', { n: 2, total: 2 })}</span>
        {t('activation.passwordTitle')}
      </h2>
      <div class="notice notice-info">
        <Icon name="user" />
        <p>
          {t('activation.hello', { name: `${person.firstName} ${person.lastName}` })}
          {' — '}
          {t('activation.yourLogin')} <strong class="login-chip">{person.login}</strong>
          <br />
          <span class="muted">{t('activation.keepLogin')}</span>
        </p>
      </div>
      <FormError message={errors.form ?? null} />
      <input type="text" name="username" autocomplete="username" value={person.login} readOnly hidden />
      <PasswordField
        id="new-password"
        label={t('activation.password')}
        hint={
          <span class={longEnough ? 'rule rule-ok' : 'rule'}>
            <Icon name={longEnough ? 'check' : 'info'} size={16} />
            {t('activation.passwordRule', { min: PASSWORD_MIN })}
          </span>
        }
        value={password}
        onValue={setPassword}
        error={errors.password}
        autocomplete="new-password"
        minLength={PASSWORD_MIN}
        required
      />
      <PasswordField
        id="confirm-password"
        label={t('activation.confirm')}
        value={confirm}
        onValue={setConfirm}
        error={errors.confirm}
        autocomplete="new-password"
        required
      />
      <Checkbox id="remember" label={t('login.remember')} hint={t('login.rememberHint')} checked={remember} onChange={setRemember} />
      <div class="form-actions form-actions-stacked">
        <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('activation.activating') : t('activation.activate')}
        </button>
        <button type="button" class="btn btn-ghost" onClick={onBack}>
          <Icon name="arrowLeft" size={16} />
          {t('activation.back')}
        </button>
      </div>
    </form>
  );
}
