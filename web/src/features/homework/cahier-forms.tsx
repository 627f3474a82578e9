/** The teacher's two forms: a lesson entry (« Séance ») and homework (with files and « demander un rendu »). */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Checkbox, FormError } from '../../app/ui/fields.tsx';
import { Icon } from '../../app/ui/icons.tsx';
import { useI18n } from '../../lib/i18n.ts';
import { homeworkApi, type TFileRef } from './homework-api.ts';
import { addDays, FileUploader, schoolToday, TextArea, useAction } from './homework-ui.tsx';

interface FormProps {
  classId: string;
  subject: string;
  onSaved: (message: string) => void;
  onCancel: () => void;
}

function FormFooter({ error, busy, save, onCancel }: { error: string | null; busy: boolean; save: string; onCancel: () => void }): JSX.Element {
  const { t } = useI18n();
  return (
    <>
      <FormError message={error} />
      <div class="form-actions form-actions-start">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {save}
        </button>
        <button type="button" class="btn btn-ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </>
  );
}

export function LessonForm({ classId, subject, onSaved, onCancel }: FormProps): JSX.Element {
  const { t } = useI18n();
  const [date, setDate] = useState(schoolToday());
  const [content, setContent] = useState('');
  const { busy, error, run } = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await run(() => homeworkApi.createLesson(classId, { subject, date, content }))) onSaved(t('homework.lesson.saved'));
  };
  return (
    <form class="card hw-form" onSubmit={(e) => void submit(e)} aria-labelledby="lesson-form-title">
      <h2 id="lesson-form-title" class="card-title" tabIndex={-1}>
        <Icon name="book" class="card-icon" />
        {t('homework.lesson.new')}
      </h2>
      <div class="card-body stack">
        <div class="field">
          <label for="lesson-date">{t('homework.lesson.date')}</label>
          <input id="lesson-date" type="date" value={date} required onInput={(e) => setDate(e.currentTarget.value)} />
        </div>
        <TextArea id="lesson-content" label={t('homework.lesson.content')} hint={t('homework.lesson.contentHint')} value={content} onValue={setContent} maxLength={5000} required />
        <FormFooter error={error} busy={busy} save={t('homework.lesson.save')} onCancel={onCancel} />
      </div>
    </form>
  );
}

export function HomeworkForm({ classId, subject, onSaved, onCancel }: FormProps): JSX.Element {
  const { t } = useI18n();
  const [instructions, setInstructions] = useState('');
  const [dueDate, setDueDate] = useState(addDays(schoolToday(), 1));
  const [dueTime, setDueTime] = useState('');
  const [requiresSubmission, setRequiresSubmission] = useState(false);
  const [files, setFiles] = useState<TFileRef[]>([]);
  const { busy, error, run } = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = { subject, instructions, dueDate, dueTime: dueTime || null, requiresSubmission, attachmentIds: files.map((f) => f.id) };
    if (await run(() => homeworkApi.createHomework(classId, body))) onSaved(t('homework.item.saved'));
  };
  return (
    <form class="card hw-form" onSubmit={(e) => void submit(e)} aria-labelledby="homework-form-title">
      <h2 id="homework-form-title" class="card-title" tabIndex={-1}>
        <Icon name="calendar" class="card-icon" />
        {t('homework.item.new')}
      </h2>
      <div class="card-body stack">
        <TextArea
          id="homework-instructions"
          label={t('homework.item.instructions')}
          hint={t('homework.item.instructionsHint')}
          value={instructions}
          onValue={setInstructions}
          maxLength={5000}
          required
        />
        <div class="hw-form-row">
          <div class="field">
            <label for="homework-due-date">{t('homework.item.dueDate')}</label>
            <input id="homework-due-date" type="date" value={dueDate} min={schoolToday()} required onInput={(e) => setDueDate(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="homework-due-time">{t('homework.item.dueTime')}</label>
            <input id="homework-due-time" type="time" value={dueTime} onInput={(e) => setDueTime(e.currentTarget.value)} aria-describedby="homework-due-time-hint" />
            <p class="field-hint" id="homework-due-time-hint">
              {t('homework.item.dueTimeHint')}
            </p>
          </div>
        </div>
        <FileUploader id="homework-files" label={t('homework.item.attachments')} hint={t('homework.files.hint')} files={files} onChange={setFiles} />
        <Checkbox
          id="homework-submission"
          label={t('homework.item.requiresSubmission')}
          hint={t('homework.item.requiresSubmissionHint')}
          checked={requiresSubmission}
          onChange={setRequiresSubmission}
        />
        <FormFooter error={error} busy={busy} save={t('homework.item.save')} onCancel={onCancel} />
      </div>
    </form>
  );
}
