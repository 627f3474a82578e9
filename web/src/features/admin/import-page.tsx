import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PageProps } from '../../app/routes.ts';
import { Icon } from '../../app/ui/icons.tsx';
import { ErrorState, PageHeader } from '../../app/ui/page.tsx';
import { api, ApiError } from '../../lib/api-client.ts';
import type { TImportIssue, TImportResult } from '../../lib/api-types.ts';
import { useI18n } from '../../lib/i18n.ts';
import { adminSchoolName } from '../../app/session.ts';
import { readCsvFile } from './csv-file.ts';
import { FilePicker, type PickedFile } from './file-picker.tsx';
import { ImportFormat } from './import-format.tsx';
import { ImportCounts, ImportIssues, NewAccounts } from './import-result.tsx';

type Phase =
  | { kind: 'idle' }
  | { kind: 'busy'; dryRun: boolean }
  | { kind: 'invalid'; issues: TImportIssue[]; total: number }
  | { kind: 'checked'; result: TImportResult }
  | { kind: 'imported'; result: TImportResult }
  | { kind: 'failed'; error: unknown };

function isIssue(value: unknown): value is TImportIssue {
  return typeof value === 'object' && value !== null && 'line' in value && 'message' in value;
}

/** Reads `details` of a 422: `{ errors: [{ line, column, message }], total? }`. */
function issuesOf(error: ApiError): { issues: TImportIssue[]; total: number } | null {
  if (error.status !== 422 || typeof error.details !== 'object' || error.details === null) return null;
  const details = error.details as { errors?: unknown; total?: unknown };
  if (!Array.isArray(details.errors)) return null;
  const issues = details.errors.filter(isIssue);
  return { issues, total: typeof details.total === 'number' ? details.total : issues.length };
}

async function runImport(schoolId: string, file: PickedFile, dryRun: boolean): Promise<Phase> {
  try {
    const text = await readCsvFile(file.file);
    const result = await api.post<TImportResult>(`/api/schools/${encodeURIComponent(schoolId)}/imports`, undefined, {
      query: { dryRun },
      text: { body: text, contentType: 'text/csv' },
    });
    return dryRun ? { kind: 'checked', result } : { kind: 'imported', result };
  } catch (error) {
    const issues = error instanceof ApiError ? issuesOf(error) : null;
    if (issues) return { kind: 'invalid', ...issues };
    return { kind: 'failed', error };
  }
}

function Outcome({ phase, school }: { phase: Phase; school: string }): JSX.Element | null {
  const { t, tn } = useI18n();
  switch (phase.kind) {
    case 'idle':
    case 'busy':
      return null;
    case 'failed':
      return <ErrorState error={phase.error} />;
    case 'invalid':
      return <ImportIssues issues={phase.issues} total={phase.total} />;
    case 'checked':
      return (
        <section class="result" aria-labelledby="check-title">
          <div class="notice notice-success" role="status">
            <Icon name="check" />
            <div>
              <h2 id="check-title" class="notice-title" tabIndex={-1}>
                {t('import.checked.title')}
              </h2>
              <p>{tn('import.checked.rows', phase.result.rows)}</p>
            </div>
          </div>
          <ImportCounts result={phase.result} />
        </section>
      );
    case 'imported':
      return (
        <div class="stack">
          <section class="result no-print" aria-labelledby="done-title">
            <div class="notice notice-success" role="status">
              <Icon name="check" />
              <div>
                <h2 id="done-title" class="notice-title" tabIndex={-1}>
                  {t('import.done.title')}
                </h2>
                <p>{tn('import.done.rows', phase.result.rows)}</p>
              </div>
            </div>
            <ImportCounts result={phase.result} />
          </section>
          {phase.result.newAccounts.length > 0 && <NewAccounts accounts={phase.result.newAccounts} schoolName={school} />}
        </div>
      );
  }
}

export function ImportPage({ params }: PageProps): JSX.Element {
  const { t } = useI18n();
  const schoolId = params['schoolId'] ?? '';
  const school = adminSchoolName(schoolId);
  const [file, setFile] = useState<PickedFile | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [pickerKey, setPickerKey] = useState(0);
  const busy = phase.kind === 'busy';

  // Bring the outcome into view and to the screen reader: it may be below the fold.
  useEffect(() => {
    if (phase.kind === 'idle' || phase.kind === 'busy') return;
    const heading = document.querySelector<HTMLElement>('.import-outcome h2');
    heading?.focus({ preventScroll: true });
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    heading?.scrollIntoView({ block: 'start', behavior: still ? 'auto' : 'smooth' });
  }, [phase]);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setPhase({ kind: 'busy', dryRun });
    setPhase(await runImport(schoolId, file, dryRun));
  };

  return (
    <div class="stack-lg">
      <PageHeader title={t('import.title')} subtitle={school || undefined} back={{ href: '/', label: t('nav.backHome') }} />
      <div class="import-layout">
        <section class="card import-file no-print" aria-labelledby="file-title">
          <h2 id="file-title" class="card-title">
            <Icon name="upload" class="card-icon" />
            {t('import.file.title')}
          </h2>
          <div class="card-body stack">
            <FilePicker
              key={pickerKey}
              picked={file}
              onPick={(picked) => {
                setFile(picked);
                setPhase({ kind: 'idle' });
              }}
            />
            <p class="muted">{t('import.steps')}</p>
            <div class="form-actions form-actions-start">
              <button type="button" class="btn btn-secondary" disabled={!file || busy} onClick={() => void run(true)}>
                <Icon name="check" size={18} />
                {busy && phase.dryRun ? t('import.checking') : t('import.check')}
              </button>
              <button type="button" class="btn btn-primary" disabled={!file || busy || phase.kind !== 'checked'} onClick={() => void run(false)}>
                <Icon name="upload" size={18} />
                {busy && !phase.dryRun ? t('import.importing') : t('import.run')}
              </button>
            </div>
            {phase.kind === 'imported' && (
              <button
                type="button"
                class="btn btn-ghost"
                onClick={() => {
                  setFile(null);
                  setPhase({ kind: 'idle' });
                  setPickerKey((k) => k + 1);
                }}
              >
                {t('import.another')}
              </button>
            )}
          </div>
        </section>
        <div class="import-outcome">
          <Outcome phase={phase} school={school} />
        </div>
        <ImportFormat />
      </div>
    </div>
  );
}
