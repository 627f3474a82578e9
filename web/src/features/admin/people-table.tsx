import type { JSX } from 'preact';
import { Icon } from '../../app/ui/icons.tsx';
import { Badge, Empty } from '../../app/ui/page.tsx';
import type { TPersonRow } from '../../lib/api-types.ts';
import { useI18n } from '../../lib/i18n.ts';
import { roleKey } from '../../lib/roles.ts';

export function PeopleTable({ people, onNewCode }: { people: readonly TPersonRow[]; onNewCode: (p: TPersonRow) => void }): JSX.Element {
  const { t } = useI18n();
  if (people.length === 0) return <Empty>{t('people.none')}</Empty>;
  const roles = (p: TPersonRow) =>
    p.roles
      .map((r) => roleKey(r))
      .filter((k) => k !== null)
      .map((k) => t(k))
      .join(', ');
  return (
    <div class="table-wrap">
      <table class="table table-responsive">
        <caption class="visually-hidden">{t('people.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('people.col.lastName')}</th>
            <th scope="col">{t('people.col.firstName')}</th>
            <th scope="col">{t('people.col.login')}</th>
            <th scope="col">{t('people.col.roles')}</th>
            <th scope="col">{t('people.col.class')}</th>
            <th scope="col">{t('people.col.state')}</th>
            <th scope="col">
              <span class="visually-hidden">{t('people.col.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <tr key={p.id}>
              <td data-label={t('people.col.lastName')} class="strong cell-title">
                {p.lastName}
              </td>
              <td data-label={t('people.col.firstName')} class="cell-title">
                {p.firstName}
              </td>
              <td data-label={t('people.col.login')}>
                <code>{p.login}</code>
              </td>
              <td data-label={t('people.col.roles')}>{roles(p)}</td>
              <td data-label={t('people.col.class')}>{p.className ?? '—'}</td>
              <td data-label={t('people.col.state')}>
                {p.activated ? <Badge tone="success">{t('people.activated')}</Badge> : <Badge tone="warning">{t('people.pending')}</Badge>}
              </td>
              <td class="cell-action">
                <button
                  type="button"
                  class="btn btn-secondary btn-small"
                  aria-label={t('people.newCodeFor', { name: `${p.firstName} ${p.lastName}` })}
                  onClick={() => onNewCode(p)}
                >
                  <Icon name="key" size={16} />
                  {t('people.newCode')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
