import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon } from '../../app/ui/icons.tsx';
import { FormError } from '../../app/ui/fields.tsx';
import { describeError } from '../../lib/errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { subjectLabel } from '../../lib/subjects.ts';
import { JoinButton } from './join-button.tsx';
import { OccurrenceActions, SubstituteForm, VirtualClassForm } from './occurrence-actions.tsx';
import { formatClock, formatDay, parisParts } from './paris-time.ts';
import { PresenceList } from './presence-list.tsx';
import { timetableApi, type TOccurrence } from './timetable-api.ts';
import { subjectClass } from './week-view.tsx';

interface Props {
  occurrence: TOccurrence;
  now: number;
  provider: 'jitsi' | 'bbb';
  onChanged: (o: TOccurrence | null) => void;
  onEditLesson: (lessonId: string) => void;
  onClose: () => void;
  /** The school's teachers, when the person makes the timetable (to name a substitute). */
  teachers?: ReadonlyArray<{ id: string; name: string }>;
}

/** One occurrence in a modal (native <dialog>: focus kept inside, Escape closes): what, when, where, and what the person may do. */
export function OccurrenceDialog({ occurrence: o, now, provider, onChanged, onEditLesson, onClose, teachers }: Props): JSX.Element {
  const { t, locale } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [deleting, setDeleting] = useState<'ask' | 'busy' | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
  }, []);

  const remove = async () => {
    setDeleting('busy');
    try {
      await timetableApi.deleteLesson(o.lessonId);
      onChanged(null);
      onClose();
    } catch (cause) {
      setError(describeError(cause, t, locale));
      setDeleting('ask');
    }
  };
  const time = `${formatClock(o.start, locale)} – ${formatClock(o.end, locale)}`;
  const planned = o.planned ? `${formatDay(parisParts(o.planned.start).date, locale)}, ${formatClock(o.planned.start, locale)}${o.planned.room ? ` · ${o.planned.room}` : ''}` : null;
  const editable = now < Date.parse(o.end);

  return (
    <dialog ref={dialog} class={`dialog tt-dialog ${subjectClass(o.subjectCode)}`} aria-labelledby="tt-dialog-title" onClose={onClose} onCancel={onClose}>
      <div class="tt-dialog-head">
        <h2 id="tt-dialog-title">
          {subjectLabel(o.subjectCode, locale)} — {o.className}
        </h2>
        <button type="button" class="btn btn-ghost tt-dialog-close" onClick={onClose} aria-label={t('common.close')}>
          <Icon name="close" size={20} />
        </button>
      </div>
      <div class="stack">
        {o.status === 'cancelled' && (
          <div class="notice notice-warning">
            <Icon name="alert" />
            <p>{o.cancelReason ? t('timetable.cancelledBecause', { reason: o.cancelReason }) : t('timetable.status.cancelled')}</p>
          </div>
        )}
        <dl class="facts">
          <div>
            <dt>{t('timetable.when')}</dt>
            <dd>
              {formatDay(o.day, locale, { year: true })}, {time}
            </dd>
          </div>
          {o.room && (
            <div>
              <dt>{t('timetable.room')}</dt>
              <dd>{o.room}</dd>
            </div>
          )}
          <div>
            <dt>{t('timetable.teacher')}</dt>
            <dd>{o.substitute ? t('timetable.substitutedBy', { teacher: o.teacher.name, substitute: o.substitute.name }) : o.teacher.name}</dd>
          </div>
          {planned && (
            <div>
              <dt>{t('timetable.plannedAt')}</dt>
              <dd>{planned}</dd>
            </div>
          )}
          {o.weekParity && (
            <div>
              <dt>{t('timetable.weeks')}</dt>
              <dd>{t('timetable.weekParity', { parity: o.weekParity })}</dd>
            </div>
          )}
          <div>
            <dt>{t('timetable.virtual.title')}</dt>
            <dd>{o.virtual ? t(`timetable.virtual.kind.${o.virtual.kind}`) : t('timetable.virtual.none')}</dd>
          </div>
        </dl>
        {o.status !== 'cancelled' && <JoinButton occurrence={o} now={now} />}
        {o.can.seePresence && now >= Date.parse(o.joinOpensAt) && <PresenceList occurrenceId={o.occurrenceId} />}
        {o.can.change && editable && (
          <section class="tt-dialog-section" aria-labelledby="tt-change-title">
            <h3 id="tt-change-title">{t('timetable.changeTitle')}</h3>
            <OccurrenceActions occurrence={o} onChanged={onChanged} />
            {o.can.manage && teachers && <SubstituteForm occurrence={o} teachers={teachers} onChanged={onChanged} />}
          </section>
        )}
        {o.can.setVirtual && editable && (
          <section class="tt-dialog-section" aria-labelledby="tt-virtual-title">
            <h3 id="tt-virtual-title">{t('timetable.virtual.title')}</h3>
            <VirtualClassForm key={o.occurrenceId} occurrence={o} provider={provider} onChanged={onChanged} />
          </section>
        )}
        {o.can.manage && (
          <section class="tt-dialog-section" aria-labelledby="tt-lesson-title">
            <h3 id="tt-lesson-title">{t('timetable.lessonTitle')}</h3>
            <FormError message={error} />
            {deleting === null ? (
              <div class="tt-actions">
                <button type="button" class="btn btn-secondary btn-small" onClick={() => onEditLesson(o.lessonId)}>
                  {t('timetable.lesson.edit')}
                </button>
                <button type="button" class="btn btn-danger-outline btn-small" onClick={() => setDeleting('ask')}>
                  {t('timetable.lesson.delete')}
                </button>
              </div>
            ) : (
              <div class="notice notice-warning">
                <Icon name="alert" />
                <div>
                  <p>{t('timetable.lesson.deleteConfirm')}</p>
                  <div class="tt-actions">
                    <button type="button" class="btn btn-danger-outline btn-small" disabled={deleting === 'busy'} onClick={() => void remove()}>
                      {t('timetable.lesson.deleteYes')}
                    </button>
                    <button type="button" class="btn btn-ghost btn-small" onClick={() => setDeleting(null)}>
                      {t('common.cancel')}
                    </button>
                  </div>
                </div>
              </div>
            )}
          </section>
        )}
      </div>
    </dialog>
  );
}
