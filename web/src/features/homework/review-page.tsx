/**
 * The review page of an assignment: every pupil of the class with their status (on time, late,
 * nothing yet, reviewed), their work to read and download, the feedback and mark form, and
 * closing or reopening the assignment.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PageProps } from '../../app/routes.ts';
import { FormError } from '../../app/ui/fields.tsx';
import { Icon } from '../../app/ui/icons.tsx';
import { Badge, Empty, ErrorState, Loading, PageHeader } from '../../app/ui/page.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.ts';
import { subjectLabel } from '../../lib/subjects.ts';
import { useResource } from '../../lib/use-resource.ts';
import { attachmentUrl, homeworkApi, submissionFileUrl, type TReviewPage, type TSubmission } from './homework-api.ts';
import { dueText, FileLinks, formatMark, Prose, StatusBadge, TextArea, useAction } from './homework-ui.tsx';

type Row = TReviewPage['pupils'][number];

function ReviewForm({ submission, onSaved }: { submission: TSubmission; onSaved: (message: string) => void }): JSX.Element {
  const { t } = useI18n();
  const [feedback, setFeedback] = useState(submission.feedback ?? '');
  const [mark, setMark] = useState(submission.mark === null ? '' : String(submission.mark));
  const { busy, error, setError, run } = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const text = mark.trim().replace(',', '.');
    const value = text === '' ? null : Number(text);
    if (value !== null && (!Number.isFinite(value) || value < 0 || value > 20)) {
      setError(t('homework.review.markInvalid'));
      return;
    }
    if (await run(() => homeworkApi.saveReview(submission.id, { feedback, mark: value }))) {
      onSaved(t('homework.review.saved', { name: `${submission.pupil.firstName} ${submission.pupil.lastName}` }));
    }
  };
  return (
    <form class="stack" onSubmit={(e) => void submit(e)}>
      <TextArea id="review-feedback" label={t('homework.review.feedback')} value={feedback} onValue={setFeedback} maxLength={5000} rows={3} />
      <div class="field hw-mark">
        <label for="review-mark">{t('homework.review.mark')}</label>
        <p class="field-hint" id="review-mark-hint">
          {t('homework.review.markHint')}
        </p>
        <div class="hw-mark-control">
          <input id="review-mark" type="text" inputMode="decimal" value={mark} aria-describedby="review-mark-hint" onInput={(e) => setMark(e.currentTarget.value)} />
          <span aria-hidden="true">/ 20</span>
        </div>
      </div>
      <FormError message={error} />
      <div class="form-actions form-actions-start">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('homework.review.save')}
        </button>
      </div>
    </form>
  );
}

function WorkPanel({ row, canReview, onSaved }: { row: Row; canReview: boolean; onSaved: (message: string) => void }): JSX.Element {
  const { t, locale } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [row.pupil.id]);
  const s = row.submission;
  return (
    <section class="card hw-work" aria-labelledby="hw-work-title">
      <h2 id="hw-work-title" class="card-title" tabIndex={-1} ref={heading}>
        {t('homework.review.workOf', { name: `${row.pupil.firstName} ${row.pupil.lastName}` })}
      </h2>
      <div class="card-body stack">
        {!s ? (
          <Empty>{t('homework.review.nothing')}</Empty>
        ) : (
          <>
            <p class="muted">
              {t('homework.review.handedIn', { when: formatDateTime(s.submittedAt, locale) })}
              {s.version > 1 && ` · ${t('homework.review.version', { version: s.version })}`} <StatusBadge status={row.status} />
            </p>
            {s.text ? <Prose text={s.text} class="hw-work-text" /> : <p class="muted">{t('homework.review.noText')}</p>}
            <FileLinks files={s.files} href={(f) => submissionFileUrl(s.id, f)} label={t('homework.files.handedIn')} />
            {canReview ? (
              <ReviewForm key={s.id} submission={s} onSaved={onSaved} />
            ) : (
              s.feedback !== null && <Prose text={s.feedback} />
            )}
          </>
        )}
      </div>
    </section>
  );
}

function PupilTable({ rows, selected, onSelect }: { rows: Row[]; selected: string | null; onSelect: (id: string) => void }): JSX.Element {
  const { t, locale } = useI18n();
  return (
    <div class="table-wrap">
      <table class="table hw-table">
        <caption class="visually-hidden">{t('homework.review.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('homework.review.pupil')}</th>
            <th scope="col">{t('homework.review.status')}</th>
            <th scope="col" class="hw-col-when">
              {t('homework.review.when')}
            </th>
            <th scope="col" class="num">
              {t('homework.review.mark')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.pupil.id} aria-current={selected === r.pupil.id ? 'true' : undefined}>
              <th scope="row">
                <button type="button" class="hw-link-button" onClick={() => onSelect(r.pupil.id)}>
                  {r.pupil.lastName} {r.pupil.firstName}
                </button>
              </th>
              <td>
                {r.status === 'todo' ? <Badge>{t('homework.status.missing')}</Badge> : <StatusBadge status={r.status} />}
              </td>
              <td class="hw-col-when">{r.submission ? formatDateTime(r.submission.submittedAt, locale) : '—'}</td>
              <td class="num">{r.submission?.mark != null ? formatMark(r.submission.mark, locale) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Review({ data, onChanged }: { data: TReviewPage; onChanged: (message: string) => void }): JSX.Element {
  const { t, tn, locale } = useI18n();
  const hw = data.homework;
  const [selected, setSelected] = useState<string | null>(data.pupils.find((p) => p.submission && !p.submission.reviewedAt)?.pupil.id ?? null);
  const { error, run } = useAction();
  const row = data.pupils.find((p) => p.pupil.id === selected);
  const c = hw.counts;
  const toggle = async () => {
    const closing = hw.closedAt === null;
    if (await run(() => homeworkApi.setClosed(hw.id, closing))) onChanged(t(closing ? 'homework.review.closedNow' : 'homework.review.reopenedNow'));
  };
  return (
    <div class="stack-lg">
      <PageHeader
        title={t('homework.review.title', { className: hw.class.name, subject: subjectLabel(hw.subject.code, locale) })}
        subtitle={dueText(hw, t, locale)}
        back={{ href: `/cahier-de-textes?classe=${hw.class.id}&matiere=${hw.subject.code}`, label: t('homework.review.back') }}
        actions={
          data.canReview && (
            <button type="button" class="btn btn-secondary" onClick={() => void toggle()}>
              <Icon name={hw.closedAt ? 'refresh' : 'close'} size={18} />
              {hw.closedAt ? t('homework.review.reopen') : t('homework.review.close')}
            </button>
          )
        }
      />
      <section class="card" aria-labelledby="hw-instructions-title">
        <h2 id="hw-instructions-title" class="card-title">
          {t('homework.review.instructions')}
          {hw.closedAt && <Badge tone="warning">{t('homework.item.closed')}</Badge>}
        </h2>
        <div class="card-body stack">
          <Prose text={hw.instructions} />
          <FileLinks files={hw.attachments} href={(f) => attachmentUrl(hw.id, f)} label={t('homework.files.attached')} />
          {c && (
            <dl class="stats hw-stats">
              {(
                [
                  ['submitted', c.submitted],
                  ['late', c.late],
                  ['missing', c.missing],
                  ['toReview', c.toReview],
                ] as const
              ).map(([key, n]) => (
                <div class="stat" key={key}>
                  <dt>{t(`homework.review.stat.${key}`)}</dt>
                  <dd>{n}</dd>
                </div>
              ))}
            </dl>
          )}
        </div>
      </section>
      <FormError message={error} />
      <p class="muted">{tn('count.pupils', data.pupils.length)}</p>
      <div class="hw-review">
        <PupilTable rows={data.pupils} selected={selected} onSelect={setSelected} />
        {row ? <WorkPanel row={row} canReview={data.canReview} onSaved={onChanged} /> : <Empty>{t('homework.review.pick')}</Empty>}
      </div>
    </div>
  );
}

export function ReviewPage({ params }: PageProps): JSX.Element {
  const { t } = useI18n();
  const id = params['id'] ?? '';
  const [message, setMessage] = useState('');
  const data = useResource(`hw-review:${id}`, (signal) => homeworkApi.review(id, signal));
  return (
    <>
      <p class="visually-hidden" role="status" aria-live="polite">
        {message}
      </p>
      {data.status === 'ready' ? (
        <Review
          data={data.data}
          onChanged={(m) => {
            setMessage(m);
            data.reload();
          }}
        />
      ) : (
        <>
          <PageHeader title={t('homework.review.loading')} back={{ href: '/cahier-de-textes', label: t('homework.review.back') }} />
          {data.status === 'loading' ? <Loading /> : <ErrorState error={data.error} onRetry={data.reload} />}
        </>
      )}
    </>
  );
}
