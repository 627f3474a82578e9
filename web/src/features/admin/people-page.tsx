import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PageProps } from '../../app/routes.ts';
import { Icon } from '../../app/ui/icons.tsx';
import { ErrorState, Loading, PageHeader } from '../../app/ui/page.tsx';
import { api } from '../../lib/api-client.ts';
import type { TPeoplePage, TPersonRow } from '../../lib/api-types.ts';
import { useI18n } from '../../lib/i18n.ts';
import { adminSchoolName } from '../../app/session.ts';
import { FILTERABLE_ROLES } from '../../lib/roles.ts';
import { useResource } from '../../lib/use-resource.ts';
import { CodeDialog } from './code-dialog.tsx';
import { PeopleTable } from './people-table.tsx';

const PAGE_SIZE = 50;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function Filters({ q, role, onQ, onRole }: { q: string; role: string; onQ: (q: string) => void; onRole: (r: string) => void }): JSX.Element {
  const { t } = useI18n();
  return (
    <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <div class="field">
        <label for="people-q">{t('people.search')}</label>
        <div class="field-control field-search">
          <Icon name="search" size={18} />
          <input id="people-q" type="search" value={q} onInput={(e) => onQ(e.currentTarget.value)} placeholder={t('people.searchHint')} autocomplete="off" />
        </div>
      </div>
      <div class="field">
        <label for="people-role">{t('people.role')}</label>
        <select id="people-role" value={role} onChange={(e) => onRole(e.currentTarget.value)}>
          <option value="">{t('people.allRoles')}</option>
          {FILTERABLE_ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}

export function PeoplePage({ params }: PageProps): JSX.Element {
  const { t, tn } = useI18n();
  const schoolId = params['schoolId'] ?? '';
  const [q, setQ] = useState('');
  const [role, setRole] = useState('');
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<TPersonRow | null>(null);
  const query = useDebounced(q.trim(), 250);

  useEffect(() => setOffset(0), [query, role]);

  const key = JSON.stringify([schoolId, query, role, offset]);
  const people = useResource(key, (signal) =>
    api.get<TPeoplePage>(`/api/schools/${encodeURIComponent(schoolId)}/people`, {
      query: { q: query, role, limit: PAGE_SIZE, offset },
      signal,
    }),
  );

  const total = people.status === 'ready' ? people.data.total : 0;
  return (
    <div class="stack-lg">
      <PageHeader title={t('people.title')} subtitle={adminSchoolName(schoolId) || undefined} back={{ href: '/', label: t('nav.backHome') }} />
      <Filters q={q} role={role} onQ={setQ} onRole={setRole} />
      <p class="muted" role="status">
        {people.status === 'ready' ? tn('people.count', total) : ''}
      </p>
      {people.status === 'loading' && <Loading />}
      {people.status === 'error' && <ErrorState error={people.error} onRetry={people.reload} />}
      {people.status === 'ready' && (
        <>
          <PeopleTable people={people.data.people} onNewCode={setSelected} />
          {total > PAGE_SIZE && (
            <nav class="pager" aria-label={t('people.pages')}>
              <button type="button" class="btn btn-secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
                {t('people.previous')}
              </button>
              <span>{t('people.range', { from: offset + 1, to: Math.min(offset + PAGE_SIZE, total), total })}</span>
              <button type="button" class="btn btn-secondary" disabled={offset + PAGE_SIZE >= total} onClick={() => setOffset(offset + PAGE_SIZE)}>
                {t('people.next')}
              </button>
            </nav>
          )}
        </>
      )}
      {selected && (
        <CodeDialog
          schoolId={schoolId}
          person={selected}
          onClose={(changed) => {
            setSelected(null);
            if (changed) people.reload();
          }}
        />
      )}
    </div>
  );
}
