/** « Nouveau message »: recipients among those allowed, subject, text, attachments. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { navigate } from '../../app/router.tsx';
import { FormError, TextField } from '../../app/ui/fields.tsx';
import { Icon } from '../../app/ui/icons.tsx';
import { PageHeader } from '../../app/ui/page.tsx';
import { describeError } from '../../lib/errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { AttachmentsField, useAttachments } from './attachments.tsx';
import { BodyField } from './body-field.tsx';
import { messagingApi } from './messaging-api.ts';
import { RecipientPicker, type Choice } from './recipient-picker.tsx';
import { refreshUnread } from './unread.ts';

const SUBJECT_MAX = 200;

type Errors = Partial<Record<'to' | 'subject' | 'body' | 'form', string>>;

function SchoolChoice({ schools, value, onChange }: { schools: Array<{ id: string; name: string }>; value: string; onChange: (id: string) => void }): JSX.Element | null {
  const { t } = useI18n();
  if (schools.length < 2) return null;
  return (
    <div class="field">
      <label for="msg-school">{t('messaging.school')}</label>
      <select id="msg-school" value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {schools.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ComposePage(): JSX.Element {
  const { t, locale } = useI18n();
  const [schoolId, setSchoolId] = useState<string | undefined>(undefined);
  const [schools, setSchools] = useState<Array<{ id: string; name: string }>>([]);
  const [chosen, setChosen] = useState<Choice[]>([]);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const files = useAttachments(schoolId);

  const check = (): Errors => {
    const found: Errors = {};
    if (chosen.length === 0) found.to = t('messaging.noRecipient');
    if (!subject.trim()) found.subject = t('messaging.emptySubject');
    if (!body.trim()) found.body = t('messaging.emptyBody');
    return found;
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = check();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      document.getElementById(found.to ? 'to-q' : found.subject ? 'msg-subject' : 'msg-body')?.focus();
      return;
    }
    setBusy(true);
    try {
      const sent = await messagingApi.start({
        ...(schoolId ? { schoolId } : {}),
        subject,
        body,
        recipients: {
          people: chosen.flatMap((c) => (c.type === 'person' ? [c.person.id] : [])),
          groups: chosen.flatMap((c) => (c.type === 'group' ? [{ kind: c.group.kind, ...(c.group.classId ? { classId: c.group.classId } : {}) }] : [])),
        },
        attachmentIds: files.ids(),
      });
      void refreshUnread();
      navigate(`/messagerie/${sent.threadId}`);
    } catch (cause) {
      setErrors({ form: describeError(cause, t, locale) });
      setBusy(false);
    }
  };

  return (
    <div class="stack-lg">
      <PageHeader title={t('messaging.compose')} back={{ href: '/messagerie', label: t('messaging.back') }} />
      <form class="card msg-compose stack" onSubmit={(e) => void submit(e)} noValidate>
        <SchoolChoice
          schools={schools}
          value={schoolId ?? ''}
          onChange={(id) => {
            setSchoolId(id);
            setChosen([]);
          }}
        />
        <RecipientPicker
          schoolId={schoolId}
          chosen={chosen}
          onChange={(next) => {
            setChosen(next);
            if (next.length > 0) setErrors((e) => ({ ...e, to: undefined }));
          }}
          error={errors.to}
          onSchools={(school, all) => {
            setSchools(all);
            setSchoolId((current) => current ?? school.id);
          }}
        />
        <TextField id="msg-subject" label={t('messaging.subject')} value={subject} onValue={setSubject} maxLength={SUBJECT_MAX} error={errors.subject} autocomplete="off" />
        <BodyField id="msg-body" label={t('messaging.body')} value={body} onValue={setBody} error={errors.body} />
        <AttachmentsField state={files} idPrefix="compose" />
        <FormError message={errors.form ?? null} />
        <div class="form-actions form-actions-start">
          <button type="submit" class="btn btn-primary" disabled={busy || files.busy}>
            <Icon name="send" size={18} />
            {busy ? t('messaging.sending') : t('messaging.send')}
          </button>
        </div>
      </form>
    </div>
  );
}
