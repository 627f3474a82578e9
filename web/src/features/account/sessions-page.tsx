import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { forgetSession } from '../../app/session.ts';
import { Icon } from '../../app/ui/icons.tsx';
import { Badge, ErrorState, Loading, PageHeader } from '../../app/ui/page.tsx';
import { api } from '../../lib/api-client.ts';
import type { TSessionView } from '../../lib/api-types.ts';
import { describeError } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.ts';
import { useResource } from '../../lib/use-resource.ts';
import { summariseUserAgent } from '../../lib/user-agent.ts';

function useDeviceName(): (userAgent: string) => string {
  const { t } = useI18n();
  return (userAgent) => {
    const { browser, os } = summariseUserAgent(userAgent);
    if (browser && os) return t('sessions.browserOn', { browser, os });
    return browser ?? os ?? t('sessions.unknownDevice');
  };
}

function SessionItem({ session, onRevoked }: { session: TSessionView; onRevoked: () => void }): JSX.Element {
  const { t, locale } = useI18n();
  const deviceName = useDeviceName()(session.userAgent);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mobile = /Android|iPhone|iPad|iPod/.test(session.userAgent);

  const revoke = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.delete(`/api/me/sessions/${encodeURIComponent(session.id)}`);
      if (session.current) forgetSession();
      else onRevoked();
    } catch (cause) {
      setBusy(false);
      setError(describeError(cause, t, locale));
    }
  };

  return (
    <li class={session.current ? 'device device-current' : 'device'}>
      <span class="device-icon" aria-hidden="true">
        <Icon name={mobile ? 'phone' : 'device'} size={24} />
      </span>
      <div class="device-body">
        <h2 class="device-name">
          {deviceName}
          {session.current && <Badge tone="success">{t('sessions.thisDevice')}</Badge>}
        </h2>
        <dl class="device-facts">
          <div>
            <dt>{t('sessions.ip')}</dt>
            <dd>{session.ip || '—'}</dd>
          </div>
          <div>
            <dt>{t('sessions.created')}</dt>
            <dd>{formatDateTime(session.createdAt, locale)}</dd>
          </div>
          <div>
            <dt>{t('sessions.lastSeen')}</dt>
            <dd>{formatDateTime(session.lastSeenAt, locale)}</dd>
          </div>
          <div>
            <dt>{session.remember ? t('sessions.rememberedUntil') : t('sessions.expires')}</dt>
            <dd>{formatDateTime(session.expiresAt, locale)}</dd>
          </div>
        </dl>
        {error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <button
        type="button"
        class="btn btn-danger-outline"
        disabled={busy}
        aria-label={session.current ? t('sessions.revokeCurrentLong') : t('sessions.revokeLong', { device: deviceName, ip: session.ip })}
        onClick={() => void revoke()}
      >
        <Icon name="logout" size={18} />
        {t('sessions.revoke')}
      </button>
    </li>
  );
}

export function SessionsPage(): JSX.Element {
  const { t } = useI18n();
  const list = useResource('sessions', (signal) => api.get<{ sessions: TSessionView[] }>('/api/me/sessions', { signal }));
  return (
    <>
      <PageHeader title={t('sessions.title')} subtitle={t('sessions.intro')} back={{ href: '/', label: t('nav.backHome') }} />
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorState error={list.error} onRetry={list.reload} />}
      {list.status === 'ready' && (
        <ul class="device-list">
          {[...list.data.sessions]
            .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt))
            .map((s) => (
              <SessionItem key={s.id} session={s} onRevoked={list.reload} />
            ))}
        </ul>
      )}
    </>
  );
}
