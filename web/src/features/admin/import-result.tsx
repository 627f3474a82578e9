import type { JSX } from 'preact';
import { Icon } from '../../app/ui/icons.tsx';
import type { TImportIssue, TImportResult, TNewAccount } from '../../lib/api-types.ts';
import { downloadText, toCsv } from '../../lib/csv.ts';
import { formatNumber } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.ts';
import { roleKey } from '../../lib/roles.ts';

export function ImportIssues({ issues, total }: { issues: readonly TImportIssue[]; total: number }): JSX.Element {
  const { t, tn } = useI18n();
  return (
    <section class="result result-error" aria-labelledby="issues-title">
      <div class="notice notice-error" role="alert">
        <Icon name="alert" />
        <div>
          <h2 id="issues-title" class="notice-title" tabIndex={-1}>
            {tn('import.issues.title', total)}
          </h2>
          <p>{t('import.issues.nothing')}</p>
        </div>
      </div>
      <div class="table-wrap">
        <table class="table table-responsive">
          <caption class="visually-hidden">{tn('import.issues.title', total)}</caption>
          <thead>
            <tr>
              <th scope="col">{t('import.issues.line')}</th>
              <th scope="col">{t('import.issues.column')}</th>
              <th scope="col">{t('import.issues.message')}</th>
            </tr>
          </thead>
          <tbody>
            {issues.map((issue, i) => (
              <tr key={`${issue.line}-${issue.column ?? ''}-${i}`}>
                <td data-label={t('import.issues.line')} class="num">
                  {issue.line}
                </td>
                <td data-label={t('import.issues.column')}>{issue.column ? <code>{issue.column}</code> : '—'}</td>
                <td data-label={t('import.issues.message')}>{issue.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {issues.length < total && <p class="muted">{t('import.issues.more', { shown: issues.length, total })}</p>}
    </section>
  );
}

export function ImportCounts({ result }: { result: TImportResult }): JSX.Element {
  const { t, locale } = useI18n();
  const items: Array<[string, number]> = [
    [t('import.counts.created'), result.created],
    [t('import.counts.updated'), result.updated],
    [t('import.counts.unchanged'), result.unchanged],
    [t('import.counts.classes'), result.classesCreated],
  ];
  return (
    <dl class="stats">
      {items.map(([label, value]) => (
        <div class="stat" key={label}>
          <dt>{label}</dt>
          <dd>{formatNumber(value, locale)}</dd>
        </div>
      ))}
    </dl>
  );
}

export function NewAccounts({ accounts, schoolName }: { accounts: readonly TNewAccount[]; schoolName: string }): JSX.Element {
  const { t } = useI18n();
  const profile = (p: string) => {
    const key = roleKey(p);
    return key ? t(key) : p;
  };
  const download = () => {
    const header = [t('people.col.lastName'), t('people.col.firstName'), t('people.col.login'), t('people.col.roles'), t('people.col.class'), t('import.accounts.code')];
    const rows = accounts.map((a) => [a.lastName, a.firstName, a.login, profile(a.profile), a.className, a.activationCode]);
    downloadText(`preau-codes-activation-${new Date().toISOString().slice(0, 10)}.csv`, toCsv([header, ...rows]));
  };

  return (
    <section class="result" aria-labelledby="accounts-title">
      <div class="section-head">
        <div>
          <h2 id="accounts-title" class="section-title" tabIndex={-1}>
            {t('import.accounts.title', { count: accounts.length })}
          </h2>
          <p class="muted no-print">{t('import.accounts.once')}</p>
          <p class="print-only">{t('import.accounts.printIntro', { school: schoolName })}</p>
        </div>
        <div class="page-actions no-print">
          <button type="button" class="btn btn-primary" onClick={download}>
            <Icon name="download" size={18} />
            {t('import.accounts.download')}
          </button>
          <button type="button" class="btn btn-secondary" onClick={() => window.print()}>
            <Icon name="printer" size={18} />
            {t('import.accounts.print')}
          </button>
        </div>
      </div>
      <div class="table-wrap">
        <table class="table table-responsive">
          <caption class="visually-hidden">{t('import.accounts.title', { count: accounts.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('people.col.lastName')}</th>
              <th scope="col">{t('people.col.firstName')}</th>
              <th scope="col">{t('people.col.login')}</th>
              <th scope="col">{t('people.col.roles')}</th>
              <th scope="col">{t('people.col.class')}</th>
              <th scope="col">{t('import.accounts.code')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.userId}>
                <td data-label={t('people.col.lastName')} class="strong cell-title">
                  {a.lastName}
                </td>
                <td data-label={t('people.col.firstName')} class="cell-title">
                  {a.firstName}
                </td>
                <td data-label={t('people.col.login')}>
                  <code>{a.login}</code>
                </td>
                <td data-label={t('people.col.roles')}>{profile(a.profile)}</td>
                <td data-label={t('people.col.class')}>{a.className ?? '—'}</td>
                <td data-label={t('import.accounts.code')}>
                  <code class="activation-code">{a.activationCode}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
