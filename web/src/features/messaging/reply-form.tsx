/** The reply at the bottom of a conversation: to the author, or to everyone (those the writer may reach). */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { FormError } from '../../app/ui/fields.tsx';
import { Icon } from '../../app/ui/icons.tsx';
import { describeError } from '../../lib/errors.ts';
import { useI18n } from '../../lib/i18n.ts';
import { AttachmentsField, useAttachments } from './attachments.tsx';
import { audienceText, personName } from './audience.ts';
import { BodyField } from './body-field.tsx';
import { messagingApi, type TMessageView } from './messaging-api.ts';

export interface ReplyTarget {
  message: TMessageView;
  replyAll: boolean;
}

interface Props {
  threadId: string;
  schoolId: string;
  target: ReplyTarget;
  onModeChange: (replyAll: boolean) => void;
  onSent: () => void;
}

function Addressees({ target, onModeChange }: Pick<Props, 'target' | 'onModeChange'>): JSX.Element {
  const { t, tn } = useI18n();
  const { message, replyAll } = target;
  if (message.isMine) {
    return (
      <p class="muted">
        {t('messaging.to')} {audienceText(message.audience, t, tn, 4)}
      </p>
    );
  }
  const others = message.audience.groups.length + message.audience.people.length > 1;
  if (!others) {
    return (
      <p class="muted">
        {t('messaging.to')} {personName(message.sender)}
      </p>
    );
  }
  return (
    <fieldset class="msg-mode">
      <legend>{t('messaging.replyTo')}</legend>
      <label>
        <input type="radio" name="reply-mode" checked={!replyAll} onChange={() => onModeChange(false)} />
        {personName(message.sender)}
      </label>
      <label>
        <input type="radio" name="reply-mode" checked={replyAll} onChange={() => onModeChange(true)} />
        {t('messaging.replyAllHint', { who: audienceText(message.audience, t, tn, 2) })}
      </label>
    </fieldset>
  );
}

export function ReplyForm({ threadId, schoolId, target, onModeChange, onSent }: Props): JSX.Element {
  const { t, tn, locale } = useI18n();
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const files = useAttachments(schoolId);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!body.trim()) {
      setError(t('messaging.emptyBody'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const sent = await messagingApi.reply(threadId, {
        inReplyTo: target.message.id,
        replyAll: target.replyAll,
        body,
        attachmentIds: files.ids(),
      });
      setBody('');
      files.clear();
      setDone(tn('messaging.sentTo', sent.recipientCount));
      onSent();
    } catch (cause) {
      setError(describeError(cause, t, locale));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card msg-reply" aria-labelledby="reply-title">
      <h2 id="reply-title" class="card-title">
        <Icon name="reply" class="card-icon" />
        {target.message.isMine ? t('messaging.followUp') : t('messaging.replyTitle')}
      </h2>
      <form class="stack" onSubmit={(e) => void submit(e)} noValidate>
        <Addressees target={target} onModeChange={onModeChange} />
        <BodyField id="reply-body" label={t('messaging.replyBody')} value={body} onValue={setBody} rows={5} error={error && !body.trim() ? error : null} />
        <AttachmentsField state={files} idPrefix="reply" />
        <FormError message={error && body.trim() ? error : null} />
        <div class="form-actions form-actions-start">
          <button type="submit" class="btn btn-primary" disabled={busy || files.busy}>
            <Icon name="send" size={18} />
            {busy ? t('messaging.sending') : t('messaging.sendReply')}
          </button>
        </div>
        <p role="status" class="msg-done">
          {done}
        </p>
      </form>
    </section>
  );
}
