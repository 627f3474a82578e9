/** The operator's view of the front door: lanes, pace, wait band, and the cap and attack-mode controls. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Badge, Card, ErrorState, Loading, PageHeader } from '../../app/ui/page.tsx';
import { FormError, TextField } from '../../app/ui/fields.tsx';
import { api } from '../../lib/api-client.ts';
import type { TFrontDoorSettings, TFrontDoorView } from '../../lib/api-types.ts';
import { describeError } from '../../lib/errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { useResource } from '../../lib/use-resource.ts';

const REFRESH_MS = 5000;
const ATTACK_MODES = ['auto', 'on', 'off'] as const;

function useLiveStatus() {
  const resource = useResource('front-door', (signal) => api.get<TFrontDoorView>('/api/operator/front-door', { signal }));
  useEffect(() => {
    const timer = setInterval(resource.reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [resource.reload]);
  return resource;
}

function Figures({ view }: { view: TFrontDoorView }): JSX.Element {
  const { t, locale } = useI18n();
  const figure = (n: number, digits = 1) => n.toLocaleString(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: digits });
  const items: Array<[string, string]> = [
    [t('operations.budget'), figure(view.budgetPerSecond)],
    [t('operations.inflight'), `${figure(view.limiter.inflight, 0)} / ${figure(view.limiter.limit, 0)}`],
    [t('operations.loopDelay'), figure(view.limiter.eventLoopDelayMs)],
    [t('operations.busy'), `${figure(view.limiter.busy * 100, 0)} %`],
  ];
  return (
    <dl class="stats">
      {items.map(([label, value]) => (
        <div class="stat" key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function LanesTable({ view }: { view: TFrontDoorView }): JSX.Element {
  const { t } = useI18n();
  const laneName = (name: string) => (name === 'general' || name === 'priority' || name === 'returning' ? t(`operations.lane.${name}`) : name);
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={t('operations.lanes')}>
      <table class="table table-responsive">
        <caption class="visually-hidden">{t('operations.lanes')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('operations.lane')}</th>
            <th scope="col">{t('operations.state')}</th>
            <th scope="col" class="num">{t('operations.waiting')}</th>
            <th scope="col" class="num">{t('operations.pace')}</th>
            <th scope="col" class="num">{t('operations.lag')}</th>
            <th scope="col" class="num">{t('operations.waitBand')}</th>
          </tr>
        </thead>
        <tbody>
          {view.lanes.map((lane) => (
            <tr key={lane.name}>
              <td data-label={t('operations.lane')} class="strong cell-title">
                {laneName(lane.name)}
              </td>
              <td data-label={t('operations.state')}>{lane.open ? <Badge tone="success">{t('operations.open')}</Badge> : <Badge tone="warning">{t('operations.queueing')}</Badge>}</td>
              <td data-label={t('operations.waiting')} class="num">
                {lane.waiting.toLocaleString()}
              </td>
              <td data-label={t('operations.pace')} class="num">
                {(Math.round(lane.pacePerSecond * 10) / 10).toLocaleString()}
              </td>
              <td data-label={t('operations.lag')} class="num">
                {t('operations.seconds', { value: Math.round(lane.frontierLagSeconds) })}
              </td>
              <td data-label={t('operations.waitBand')} class="num">
                {t('operations.waitRange', { low: lane.waitLowSeconds, high: lane.waitHighSeconds })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Controls({ view, onSaved }: { view: TFrontDoorView; onSaved: () => void }): JSX.Element {
  const { t, locale } = useI18n();
  const [cap, setCap] = useState(view.capPerMinute === null ? '' : String(view.capPerMinute));
  const [mode, setMode] = useState(view.attackMode);
  const [message, setMessage] = useState<string | null>(null);
  const modeLabel = { auto: t('operations.attack.auto'), on: t('operations.attack.on'), off: t('operations.attack.off') };
  const [error, setError] = useState<string | null>(null);

  const save = async (event: Event) => {
    event.preventDefault();
    setMessage(null);
    const trimmed = cap.trim();
    if (trimmed !== '' && !/^[1-9]\d*$/.test(trimmed)) {
      setError(t('operations.capInvalid'));
      return;
    }
    const settings: TFrontDoorSettings = { capPerMinute: trimmed === '' ? null : Number(trimmed), attackMode: mode };
    try {
      await api.put<TFrontDoorView>('/api/operator/front-door', settings);
      setError(null);
      setMessage(t('operations.saved'));
      onSaved();
    } catch (cause) {
      setError(describeError(cause, t, locale));
    }
  };

  return (
    <form class="stack" onSubmit={(e) => void save(e)}>
      <TextField id="cap" label={t('operations.cap')} hint={t('operations.capHint')} value={cap} onValue={setCap} inputMode="numeric" placeholder={t('operations.capNone')} />
      <fieldset class="field radio-group">
        <legend>{t('operations.attack')}</legend>
        <p class="field-hint">{t('operations.attackHint')}</p>
        {ATTACK_MODES.map((m) => (
          <label key={m} class="radio">
            <input type="radio" name="attack" value={m} checked={mode === m} onChange={() => setMode(m)} />
            {modeLabel[m]}
          </label>
        ))}
      </fieldset>
      <FormError message={error} />
      {message && (
        <p role="status" class="notice notice-success">
          {message}
        </p>
      )}
      <div>
        <button type="submit" class="btn btn-primary">{t('operations.save')}</button>
      </div>
    </form>
  );
}

export function FrontDoorPage(): JSX.Element {
  const { t } = useI18n();
  const status = useLiveStatus();
  return (
    <>
      <PageHeader title={t('operations.title')} subtitle={t('operations.intro')} back={{ href: '/', label: t('nav.backHome') }} />
      {status.status === 'loading' && <Loading />}
      {status.status === 'error' && <ErrorState error={status.error} onRetry={status.reload} />}
      {status.status === 'ready' && (
        <div class="stack">
          <p>
            {status.data.attackActive ? <Badge tone="warning">{t('operations.attackActive')}</Badge> : <Badge tone="success">{t('operations.attackInactive')}</Badge>}{' '}
            {status.data.sharedStateHealthy ? (
              <Badge tone="success">{`${t('operations.sharedState')} : ${t('operations.sharedOk')}`}</Badge>
            ) : (
              <Badge tone="warning">{`${t('operations.sharedState')} : ${t('operations.sharedDown')}`}</Badge>
            )}{' '}
            {status.data.isLeader ? t('operations.leader') : t('operations.follower')} · {t('operations.nodes')} : {status.data.nodes}
          </p>
          <Figures view={status.data} />
          <Card title={t('operations.lanes')} icon="users">
            <LanesTable view={status.data} />
          </Card>
          <Card title={t('operations.controls')} icon="key">
            <Controls view={status.data} onSaved={status.reload} />
          </Card>
        </div>
      )}
    </>
  );
}
