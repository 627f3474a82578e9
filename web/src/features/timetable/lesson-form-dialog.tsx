import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { FormError } from '../../app/ui/fields.tsx';
import { Loading } from '../../app/ui/page.tsx';
import { describeError } from '../../lib/errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { subjectLabel } from '../../lib/subjects.ts';
import { formatDay } from './paris-time.ts';
import { timetableApi, type ManagedSchool, type TLessonBody } from './timetable-api.ts';

const WEEKDAYS = [1, 2, 3, 4, 5, 6] as const;
/** 2026-09-07 is a Monday: its week names the weekdays in the person's language. */
const dayName = (weekday: number, locale: 'fr' | 'en') => formatDay(`2026-09-${String(6 + weekday).padStart(2, '0')}`, locale).split(' ')[0] ?? '';

interface Props {
  school: ManagedSchool;
  classId: string;
  /** Editing this lesson; creating one when absent. */
  lessonId?: string;
  onSaved: () => void;
  onClose: () => void;
}

/** The direction's form for a weekly lesson: class, subject, teacher, room, day, times, weeks. */
export function LessonFormDialog({ school, classId, lessonId, onSaved, onClose }: Props): JSX.Element {
  const { t, locale } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [form, setForm] = useState<TLessonBody | null>(
    lessonId
      ? null
      : { classId, subjectCode: '', teacherId: '', room: '', weekday: 1, start: '08:00', end: '09:00', validFrom: school.schoolYear.from, validTo: school.schoolYear.to, weekParity: null },
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    if (lessonId) {
      timetableApi.lesson(lessonId).then(
        (l) => setForm({ classId: l.classId, subjectCode: l.subjectCode, teacherId: l.teacherId, room: l.room, weekday: l.weekday, start: l.start, end: l.end, validFrom: l.validFrom, validTo: l.validTo, weekParity: l.weekParity }),
        (cause: unknown) => setError(describeError(cause, t, locale)),
      );
    }
  }, []);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!form) return;
    setBusy(true);
    setError(null);
    try {
      if (lessonId) await timetableApi.updateLesson(lessonId, form);
      else await timetableApi.createLesson(form);
      onSaved();
      onClose();
    } catch (cause) {
      setError(describeError(cause, t, locale));
    } finally {
      setBusy(false);
    }
  };
  const set = <K extends keyof TLessonBody>(key: K, value: TLessonBody[K]) => form && setForm({ ...form, [key]: value });
  const teachers = form?.subjectCode ? [...school.teachers].sort((a, b) => Number(b.subjects.includes(form.subjectCode)) - Number(a.subjects.includes(form.subjectCode))) : school.teachers;

  return (
    <dialog ref={dialog} class="dialog tt-dialog" aria-labelledby="tt-lesson-form-title" onClose={onClose} onCancel={onClose}>
      <h2 id="tt-lesson-form-title">{lessonId ? t('timetable.lesson.editTitle') : t('timetable.lesson.addTitle')}</h2>
      {!form ? (
        error ? <FormError message={error} /> : <Loading />
      ) : (
        <form class="stack" onSubmit={(e) => void save(e)}>
          <div class="tt-form-grid">
            <div class="field">
              <label for="tt-f-class">{t('timetable.lesson.class')}</label>
              <select id="tt-f-class" value={form.classId} onChange={(e) => set('classId', e.currentTarget.value)}>
                {school.classes.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </select>
            </div>
            <div class="field">
              <label for="tt-f-subject">{t('timetable.lesson.subject')}</label>
              <select id="tt-f-subject" value={form.subjectCode} required onChange={(e) => set('subjectCode', e.currentTarget.value)}>
                <option value="">{t('timetable.lesson.choose')}</option>
                {school.subjects.map((s) => <option key={s.code} value={s.code}>{subjectLabel(s.code, locale)}</option>)}
              </select>
            </div>
            <div class="field">
              <label for="tt-f-teacher">{t('timetable.lesson.teacher')}</label>
              <select id="tt-f-teacher" value={form.teacherId} required onChange={(e) => set('teacherId', e.currentTarget.value)}>
                <option value="">{t('timetable.lesson.choose')}</option>
                {teachers.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                    {x.subjects.length > 0 ? ` (${x.subjects.map((s) => subjectLabel(s, locale)).join(', ')})` : ''}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="tt-f-room">{t('timetable.lesson.room')}</label>
              <input id="tt-f-room" value={form.room} maxLength={60} onInput={(e) => set('room', e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="tt-f-weekday">{t('timetable.lesson.weekday')}</label>
              <select id="tt-f-weekday" value={String(form.weekday)} onChange={(e) => set('weekday', Number(e.currentTarget.value))}>
                {WEEKDAYS.map((d) => <option key={d} value={String(d)}>{dayName(d, locale)}</option>)}
              </select>
            </div>
            <div class="field">
              <label for="tt-f-parity">{t('timetable.lesson.parity')}</label>
              <select id="tt-f-parity" value={form.weekParity ?? ''} onChange={(e) => set('weekParity', e.currentTarget.value === 'A' ? 'A' : e.currentTarget.value === 'B' ? 'B' : null)}>
                <option value="">{t('timetable.lesson.everyWeek')}</option>
                <option value="A">{t('timetable.weekParity', { parity: 'A' })}</option>
                <option value="B">{t('timetable.weekParity', { parity: 'B' })}</option>
              </select>
            </div>
            <div class="field">
              <label for="tt-f-start">{t('timetable.lesson.start')}</label>
              <input id="tt-f-start" type="time" value={form.start} required onInput={(e) => set('start', e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="tt-f-end">{t('timetable.lesson.end')}</label>
              <input id="tt-f-end" type="time" value={form.end} required onInput={(e) => set('end', e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="tt-f-from">{t('timetable.lesson.validFrom')}</label>
              <input id="tt-f-from" type="date" value={form.validFrom} required onInput={(e) => set('validFrom', e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="tt-f-to">{t('timetable.lesson.validTo')}</label>
              <input id="tt-f-to" type="date" value={form.validTo} required onInput={(e) => set('validTo', e.currentTarget.value)} />
            </div>
          </div>
          <FormError message={error} />
          <div class="form-actions">
            <button type="button" class="btn btn-secondary" onClick={onClose}>{t('common.cancel')}</button>
            <button type="submit" class="btn btn-primary" disabled={busy}>{lessonId ? t('timetable.lesson.save') : t('timetable.lesson.add')}</button>
          </div>
        </form>
      )}
    </dialog>
  );
}
