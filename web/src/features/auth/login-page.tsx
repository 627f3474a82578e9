import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Link, navigate, safeNext, useQueryParam } from '../../app/router.tsx';
import { setSignedIn } from '../../app/session.ts';
import { Checkbox, FormError, PasswordField, TextField } from '../../app/ui/fields.tsx';
import { usePageTitle } from '../../app/ui/page.tsx';
import { api, ApiError } from '../../lib/api-client.ts';
import type { TMe } from '../../lib/api-types.ts';
import { describeError } from '../../lib/errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { AuthLayout } from './auth-layout.tsx';

export function LoginPage(): JSX.Element {
  const { t, locale } = useI18n();
  usePageTitle(t('login.title'));
  const next = safeNext(useQueryParam('suivant'));
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!login.trim() || !password) {
      setError(t('login.missing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const me = await api.post<TMe>('/api/auth/login', { login: login.trim(), password, remember }, { redirectOn401: false });
      setSignedIn(me);
      navigate(next, { replace: true });
    } catch (cause) {
      setBusy(false);
      setPassword('');
      setError(cause instanceof ApiError && cause.status === 401 ? t('login.invalid') : describeError(cause, t, locale));
    }
  };

  return (
    <AuthLayout>
      <h1 tabIndex={-1}>{t('login.title')}</h1>
      <p class="lead">{t('login.intro')}</p>
      <form class="stack" noValidate onSubmit={(e) => void submit(e)}>
        <FormError message={error} />
        <TextField
          id="login"
          name="username"
          label={t('login.login')}
          hint={t('login.loginHint')}
          value={login}
          onValue={setLogin}
          autocomplete="username"
          autocapitalize="none"
          spellcheck={false}
          required
        />
        <PasswordField
          id="password"
          name="password"
          label={t('login.password')}
          value={password}
          onValue={setPassword}
          autocomplete="current-password"
          required
        />
        <Checkbox id="remember" label={t('login.remember')} hint={t('login.rememberHint')} checked={remember} onChange={setRemember} />
        <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
      <p class="auth-footer">
        {t('login.firstTime')} <Link href="/activation">{t('login.activate')}</Link>
      </p>
    </AuthLayout>
  );
}
