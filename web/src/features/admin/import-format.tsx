import type { JSX } from 'preact';
import { Icon } from '../../app/ui/icons.tsx';
import { downloadText } from '../../lib/csv.ts';
import { useI18n, type MessageKey } from '../../lib/i18n.ts';
import { CSV_HEADER, exampleCsv } from './csv-file.ts';

const COLUMN_HELP: Record<(typeof CSV_HEADER)[number], Extract<MessageKey, `import.col.${string}`>> = {
  profil: 'import.col.profil',
  identifiant: 'import.col.identifiant',
  nom: 'import.col.nom',
  prenom: 'import.col.prenom',
  date_naissance: 'import.col.date_naissance',
  classe: 'import.col.classe',
  groupes: 'import.col.groupes',
  enfants: 'import.col.enfants',
  enseignements: 'import.col.enseignements',
  email: 'import.col.email',
};

/** What the file must look like, with a sample to download and fill in. */
export function ImportFormat(): JSX.Element {
  const { t } = useI18n();
  return (
    <section class="card import-format no-print" aria-labelledby="format-title">
      <h2 id="format-title" class="card-title">
        <Icon name="file" class="card-icon" />
        {t('import.format.title')}
      </h2>
      <div class="card-body stack">
        <p>{t('import.format.intro')}</p>
        <pre class="code-block" tabIndex={0} aria-label={t('import.format.headerLabel')}>
          <code>{exampleCsv().split('\r\n').slice(0, 3).join('\n')}</code>
        </pre>
        <details class="details">
          <summary>{t('import.format.columns')}</summary>
          <dl class="column-help">
            {CSV_HEADER.map((col) => (
              <div key={col}>
                <dt>
                  <code>{col}</code>
                </dt>
                <dd>{t(COLUMN_HELP[col])}</dd>
              </div>
            ))}
          </dl>
        </details>
        <div>
          <button type="button" class="btn btn-secondary" onClick={() => downloadText('preau-exemple-import.csv', '\uFEFF' + exampleCsv())}>
            <Icon name="download" size={18} />
            {t('import.format.download')}
          </button>
        </div>
      </div>
    </section>
  );
}
