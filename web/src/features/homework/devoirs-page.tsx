/**
 * « Devoirs »: a pupil's homework by due date with its status, the hand-in form, and the
 * teacher's feedback and mark. A parent sees the same for each child, read only.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { navigate, useQueryParam } from '../../app/router.tsx';
import { FormError } from '../../app/ui/fields.tsx';
import { Icon } from '../../app/ui/icons.tsx';
import { Badge, Empty, ErrorState, Loading, PageHeader } from '../../app/ui/page.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.ts';
import { subjectLabel } from '../../lib/subjects.ts';
import { useResource } from '../../lib/use-resource.ts';
import { useLive } from '../../live/use-live.ts';
import { attachmentUrl, homeworkApi, submissionFileUrl, type TFileRef, type TFollowedPupils, type TPupilHomeworkItem } from './homework-api.ts';
import { dueText, FileLinks, FileUploader, formatMark, Prose, schoolToday, StatusBadge, TextArea, useAction } from './homework-ui.tsx';

type Pupil = TFollowedPupils['pupils'][number];

function HandInForm({ item, onDone }: { item: TPupilHomeworkItem; onDone: (message: string) => void }): JSX.Element {
  const { t } = useI18n();
  const [text, setText] = useState(item.submission?.text ?? '');
  const [files, setFiles] = useState<TFileRef[]>(item.submission?.files ?? []);
  const { busy, error, run } = useAction();
  const id = `handin-${item.id}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    let late = false;
    const sent = await run(async () => {
      late = (await homeworkApi.handIn(item.id, { text, fileIds: files.map((f) => f.id) })).isLate;
    });
    if (sent) onDone(late ? t('homework.handIn.doneLate') : t('homework.handIn.done'));
  };
  return (
    <form class="hw-handin stack" onSubmit={(e) => void submit(e)} aria-label={t('homework.handIn.title')}>
      <TextArea id={`${id}-text`} label={t('homework.handIn.text')} value={text} onValue={setText} maxLength={20000} rows={4} />
      <FileUploader id={`${id}-files`} label={t('homework.handIn.files')} hint={t('homework.files.hint')} files={files} onChange={setFiles} />
      <FormError message={error} />
      <div class="form-actions form-actions-start">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          <Icon name="upload" size={18} />
          {item.submission ? t('homework.handIn.replace') : t('homework.handIn.submit')}
        </button>
      </div>
    </form>
  );
}

/** What was handed in and, once reviewed, the teacher's feedback and mark. */
function Submission({ item }: { item: TPupilHomeworkItem }): JSX.Element | null {
  const { t, locale } = useI18n();
  const s = item.submission;
  if (!s) return null;
  const work = (
    <>
      {s.text && <Prose text={s.text} />}
      <FileLinks files={s.files} href={(f) => submissionFileUrl(s.id, f)} label={t('homework.files.handedIn')} />
    </>
  );
  return (
    <div class="hw-submission stack">
      <p class="muted">
        {t('homework.handIn.sentOn', { when: formatDateTime(s.submittedAt, locale) })}
        {s.isLate && ` · ${t('homework.handIn.late')}`}
      </p>
      {s.reviewedAt ? (
        <>
          <div class="notice notice-info hw-feedback">
            <Icon name="check" />
            <div>
              <p class="notice-title">
                {s.mark !== null ? t('homework.feedback.withMark', { mark: formatMark(s.mark, locale) }) : t('homework.feedback.title')}
              </p>
              {s.feedback && <Prose text={s.feedback} />}
            </div>
          </div>
          <details class="details">
            <summary>{t('homework.handIn.myWork')}</summary>
            {work}
          </details>
        </>
      ) : (
        work
      )}
    </div>
  );
}

function ItemCard({ item, canHandIn, onChanged }: { item: TPupilHomeworkItem; canHandIn: boolean; onChanged: (message: string) => void }): JSX.Element {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(false);
  const overdue = item.status === 'todo' && item.dueDate < schoolToday();
  const mayHandIn = canHandIn && item.requiresSubmission && !item.closedAt && item.status !== 'reviewed';
  return (
    <li class="card hw-entry" id={`devoir-${item.id}`}>
      <div class="hw-entry-head">
        <h3 class="hw-entry-title">
          {subjectLabel(item.subject.code, locale)}
          {item.dueTime && <span class="muted hw-time"> · {t('homework.due.time', { time: item.dueTime })}</span>}
        </h3>
        <div class="chip-row">
          {item.requiresSubmission && <StatusBadge status={item.status} />}
          {overdue && item.requiresSubmission && <Badge tone="warning">{t('homework.status.overdue')}</Badge>}
          {item.closedAt && item.requiresSubmission && <Badge>{t('homework.item.closed')}</Badge>}
        </div>
      </div>
      <Prose text={item.instructions} />
      <p class="muted hw-teacher">{`${item.teacher.firstName} ${item.teacher.lastName}`}</p>
      <FileLinks files={item.attachments} href={(f) => attachmentUrl(item.id, f)} label={t('homework.files.attached')} />
      {!open && <Submission item={item} />}
      {item.requiresSubmission && item.closedAt && canHandIn && item.status === 'todo' && <p class="muted">{t('homework.handIn.closed')}</p>}
      {mayHandIn &&
        (open ? (
          <HandInForm
            item={item}
            onDone={(m) => {
              setOpen(false);
              onChanged(m);
            }}
          />
        ) : (
          <div class="hw-entry-actions">
            <button type="button" class="btn btn-primary btn-small" onClick={() => setOpen(true)} aria-expanded="false">
              <Icon name="upload" size={16} />
              {item.submission ? t('homework.handIn.change') : t('homework.handIn.open')}
            </button>
          </div>
        ))}
    </li>
  );
}

function PupilHomework({ pupil }: { pupil: Pupil }): JSX.Element {
  const { t, locale } = useI18n();
  const [message, setMessage] = useState('');
  const data = useResource(`hw-pupil:${pupil.id}`, (signal) => homeworkApi.pupilHomework(pupil.id, signal));
  useLive(['homework.changed', 'submission.reviewed', 'resync'], data.reload);
  if (data.status === 'loading') return <Loading />;
  if (data.status === 'error') return <ErrorState error={data.error} onRetry={data.reload} />;
  const today = schoolToday();
  const upcoming = data.data.items.filter((i) => i.dueDate >= today);
  const past = data.data.items.filter((i) => i.dueDate < today).reverse();
  const days = [...new Set(upcoming.map((i) => i.dueDate))];
  const onChanged = (m: string) => {
    setMessage(m);
    data.reload();
  };
  return (
    <div class="stack-lg">
      <p class="visually-hidden" role="status" aria-live="polite">
        {message}
      </p>
      {days.length === 0 && <Empty>{t('homework.devoirs.none')}</Empty>}
      {days.map((day) => (
        <section key={day} aria-labelledby={`day-${day}`}>
          <h2 id={`day-${day}`} class="section-title">
            {dueText({ dueDate: day, dueTime: null }, t, locale)}
          </h2>
          <ul class="hw-list">
            {upcoming
              .filter((i) => i.dueDate === day)
              .map((i) => (
                <ItemCard key={i.id} item={i} canHandIn={pupil.isSelf} onChanged={onChanged} />
              ))}
          </ul>
        </section>
      ))}
      {past.length > 0 && (
        <section aria-labelledby="hw-past">
          <h2 id="hw-past" class="section-title">
            {t('homework.devoirs.past')}
          </h2>
          <ul class="hw-list">
            {past.map((i) => (
              <ItemCard key={i.id} item={i} canHandIn={pupil.isSelf} onChanged={onChanged} />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

/** « Mes devoirs » for a pupil; for a parent, one child at a time (`?eleve=<id>`). */
export function DevoirsPage(): JSX.Element {
  const { t } = useI18n();
  const pupils = useResource('hw:pupils', (signal) => homeworkApi.pupils(signal));
  const wanted = useQueryParam('eleve');
  const list = pupils.status === 'ready' ? pupils.data.pupils : [];
  const pupil = list.find((p) => p.id === wanted) ?? list[0];
  const title = pupil?.isSelf ? t('homework.devoirs.mine') : t('homework.devoirs.title');
  return (
    <div class="stack-lg">
      <PageHeader title={title} subtitle={pupil && !pupil.isSelf ? t('homework.devoirs.of', { name: pupil.firstName, className: pupil.className ?? '' }) : undefined} />
      {pupils.status === 'loading' && <Loading />}
      {pupils.status === 'error' && <ErrorState error={pupils.error} onRetry={pupils.reload} />}
      {pupils.status === 'ready' && !pupil && <Empty>{t('homework.devoirs.nobody')}</Empty>}
      {list.length > 1 && (
        <nav aria-label={t('homework.devoirs.children')} class="hw-tabs">
          <ul class="chip-row">
            {list.map((p) => (
              <li key={p.id}>
                <a
                  href={`/devoirs?eleve=${p.id}`}
                  class={p.id === pupil?.id ? 'btn btn-primary btn-small' : 'btn btn-secondary btn-small'}
                  aria-current={p.id === pupil?.id ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/devoirs?eleve=${p.id}`, { replace: true });
                  }}
                >
                  {p.firstName}
                  {p.className && <span class="muted-on-btn"> · {p.className}</span>}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {pupil && <PupilHomework key={pupil.id} pupil={pupil} />}
    </div>
  );
}
