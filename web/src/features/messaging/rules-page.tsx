/** The school admin's page: who may write to whom in the messagerie of their school. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PageProps } from '../../app/routes.ts';
import { adminSchoolName } from '../../app/session.ts';
import { FormError } from '../../app/ui/fields.tsx';
import { ErrorState, Loading, PageHeader } from '../../app/ui/page.tsx';
import { describeError } from '../../lib/errors.ts';
import { useI18n, type MessageKey } from '../../lib/i18n.ts';
import { useResource } from '../../lib/use-resource.ts';
import { messagingApi, type TRule, type TRulesView } from './messaging-api.ts';

type Role = TRule['from'];
type Reach = TRule['reach'];
const ROLES: readonly Role[] = ['pupil', 'parent', 'teacher', 'staff'];

const FROM = {
  pupil: 'messaging.rules.fromPupil',
  parent: 'messaging.rules.fromParent',
  teacher: 'messaging.rules.fromTeacher',
  staff: 'messaging.rules.fromStaff',
} as const satisfies Record<Role, MessageKey>;
const TO = {
  pupil: 'messaging.rules.toPupil',
  parent: 'messaging.rules.toParent',
  teacher: 'messaging.rules.toTeacher',
  staff: 'messaging.rules.toStaff',
} as const satisfies Record<Role, MessageKey>;
const REACH = {
  none: 'messaging.rules.none',
  linked: 'messaging.rules.linked',
  school: 'messaging.rules.school',
} as const satisfies Record<Reach, MessageKey>;

type Grid = Record<string, Reach>;
const key = (from: Role, to: Role): string => `${from}:${to}`;
const toGrid = (view: TRulesView): Grid => Object.fromEntries(view.rules.map((r) => [key(r.from, r.to), r.reach]));

function RulesForm({ schoolId, view }: { schoolId: string; view: TRulesView }): JSX.Element {
  const { t, locale } = useI18n();
  const [grid, setGrid] = useState<Grid>(() => toGrid(view));
  const [saved, setSaved] = useState<TRulesView>(view);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => setGrid(toGrid(view)), [view]);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const rules = ROLES.flatMap((from) => ROLES.map((to) => ({ from, to, reach: grid[key(from, to)] ?? 'none' })));
      const next = await messagingApi.saveRules(schoolId, rules);
      setSaved(next);
      setGrid(toGrid(next));
      setStatus(t('messaging.rules.saved'));
    } catch (cause) {
      setError(describeError(cause, t, locale));
    } finally {
      setBusy(false);
    }
  };

  const isDefault = (from: Role, to: Role) =>
    saved.rules.find((r) => r.from === from && r.to === to)?.isDefault === true && toGrid(saved)[key(from, to)] === grid[key(from, to)];
  return (
    <form class="stack-lg" onSubmit={(e) => void save(e)}>
      {ROLES.map((from) => (
        <fieldset key={from} class="card msg-rules">
          <legend class="card-title">{t(FROM[from])}</legend>
          <div class="msg-rules-grid">
            {ROLES.map((to) => {
              const id = `rule-${from}-${to}`;
              const staffCell = from === 'staff' || to === 'staff';
              return (
                <div class="field" key={to}>
                  <label for={id}>
                    {t(TO[to])}
                    {!isDefault(from, to) && <span class="badge badge-warning">{t('messaging.rules.changed')}</span>}
                  </label>
                  <select id={id} value={grid[key(from, to)]} onChange={(e) => setGrid({ ...grid, [key(from, to)]: e.currentTarget.value as Reach })}>
                    {(staffCell ? (['none', 'school'] as const) : (['none', 'linked', 'school'] as const)).map((reach) => (
                      <option key={reach} value={reach}>
                        {t(REACH[reach])}
                      </option>
                    ))}
                  </select>
                </div>
              );
            })}
          </div>
        </fieldset>
      ))}
      <FormError message={error} />
      <div class="form-actions form-actions-start">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('messaging.rules.save')}
        </button>
        <p role="status" class="msg-done">
          {status}
        </p>
      </div>
    </form>
  );
}

export function RulesPage({ params }: PageProps): JSX.Element {
  const { t } = useI18n();
  const schoolId = params['schoolId'] ?? '';
  const rules = useResource(schoolId, (signal) => messagingApi.rules(schoolId, signal));
  return (
    <div class="stack-lg">
      <PageHeader
        title={t('messaging.rules.title')}
        subtitle={adminSchoolName(schoolId) || undefined}
        back={{ href: '/messagerie', label: t('messaging.back') }}
      />
      <p class="lead">{t('messaging.rules.intro')}</p>
      {rules.status === 'loading' && <Loading />}
      {rules.status === 'error' && <ErrorState error={rules.error} onRetry={rules.reload} />}
      {rules.status === 'ready' && <RulesForm schoolId={schoolId} view={rules.data} />}
    </div>
  );
}
