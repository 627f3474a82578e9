import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Link, navigate } from '../../app/router.tsx';
import { usePageTitle } from '../../app/ui/page.tsx';
import { api, ApiError } from '../../lib/api-client.ts';
import type { TActivationCheck } from '../../lib/api-types.ts';
import { describeError } from '../../lib/errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { TextField } from '../../app/ui/fields.tsx';
import { normaliseActivationCode } from './activation-code.ts';
import { AuthLayout } from './auth-layout.tsx';
import { ChoosePasswordStep } from './choose-password-step.tsx';

type Step = { step: 'code' } | { step: 'password'; code: string; person: TActivationCheck };

function CodeStep({ onChecked }: { onChecked: (code: string, person: TActivationCheck) => void }): JSX.Element {
  const { t, locale } = useI18n();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const normalised = normaliseActivationCode(code);
    if (!normalised) {
      setError(t('activation.codeMissing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const person = await api.post<TActivationCheck>('/api/auth/activation/check', { code: normalised }, { redirectOn401: false });
      onChecked(normalised, person);
    } catch (cause) {
      setBusy(false);
      const unknown = cause instanceof ApiError && (cause.status === 404 || cause.status === 400);
      setError(unknown ? t('activation.codeUnknown') : describeError(cause, t, locale));
    }
  };

  return (
    <form class="stack" noValidate onSubmit={(e) => void submit(e)}>
      <h2 class="step-title">
        <span class="step-count">{t('activation.step', { n: 1, total: 2 })}</span>
        {t('activation.codeTitle')}
      </h2>
      <TextField
        id="code"
        label={t('activation.code')}
        hint={t('activation.codeHint')}
        value={code}
        onValue={(value) => {
          setCode(value);
          setError(null);
        }}
        error={error}
        class="input-code"
        autocomplete="one-time-code"
        autocapitalize="characters"
        spellcheck={false}
        maxLength={40}
        required
      />
      <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
        {busy ? t('activation.checking') : t('activation.check')}
      </button>
    </form>
  );
}

export function ActivationPage(): JSX.Element {
  const { t } = useI18n();
  usePageTitle(t('activation.title'));
  const [state, setState] = useState<Step>({ step: 'code' });

  return (
    <AuthLayout>
      <h1 tabIndex={-1}>{t('activation.title')}</h1>
      <p class="lead">{t('activation.intro')}</p>
      {state.step === 'code' ? (
        <CodeStep onChecked={(code, person) => setState({ step: 'password', code, person })} />
      ) : (
        <ChoosePasswordStep
          code={state.code}
          person={state.person}
          onBack={() => setState({ step: 'code' })}
          onDone={() => navigate('/', { replace: true })}
        />
      )}
      <p class="auth-footer">
        {t('activation.haveAccount')} <Link href="/connexion">{t('activation.signIn')}</Link>
      </p>
    </AuthLayout>
  );
}
