/** « Documents de la classe »: what teachers share with the person's classes, by class then folder. */
import type { JSX } from 'preact';
import { Icon } from '../../app/ui/icons.tsx';
import { useI18n } from '../../lib/i18n.ts';
import { fileContentUrl, type TSharedDocuments } from './documents-api.ts';
import { FileLine, formatShortDate } from './documents-ui.tsx';

export function SharedView({ shared, level, empty }: { shared: TSharedDocuments; level: 2 | 3; empty: string }): JSX.Element {
  const { t, locale } = useI18n();
  const ClassHeading = level === 2 ? 'h2' : 'h3';
  const GroupHeading = level === 2 ? 'h3' : 'h4';
  if (shared.classes.length === 0) return <p class="empty">{empty}</p>;
  return (
    <div class="stack-lg">
      {shared.classes.map((c) => (
        <section key={c.id} class="card doc-class" aria-labelledby={`doc-class-${c.id}`}>
          <ClassHeading class="card-title" id={`doc-class-${c.id}`}>
            <Icon name="users" class="card-icon" />
            {t('documents.classTitle', { name: c.name })}
          </ClassHeading>
          {c.groups.map((g) => (
            <div key={(g.path ?? []).join('/') || 'loose'} class="doc-group">
              <GroupHeading class="doc-group-title">
                <Icon name={g.path ? 'folder' : 'file'} size={18} />
                {g.path ? g.path.join(' › ') : t('documents.looseFiles')}
              </GroupHeading>
              <ul class="doc-list">
                {g.files.map((f) => (
                  <FileLine
                    key={f.id}
                    file={f}
                    detail={t('documents.sharedBy', { name: `${f.sharedBy.firstName} ${f.sharedBy.lastName}`, date: formatShortDate(f.sharedAt, locale) })}
                    trailing={
                      <a class="btn btn-secondary btn-small doc-download" href={fileContentUrl(f.id)} download={f.name} aria-label={t('documents.downloadName', { name: f.name })}>
                        <Icon name="download" size={16} />
                        {t('documents.download')}
                      </a>
                    }
                  />
                ))}
              </ul>
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}
