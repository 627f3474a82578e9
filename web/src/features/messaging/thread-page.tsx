/** One conversation: its messages (marked read on opening), a reply form, and one's own actions on it. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PageProps } from '../../app/routes.ts';
import { navigate } from '../../app/router.tsx';
import { Icon } from '../../app/ui/icons.tsx';
import { ErrorState, Loading, PageHeader } from '../../app/ui/page.tsx';
import { describeError } from '../../lib/errors.ts';
import { formatDateTime, initials } from '../../lib/format.ts';
import { useI18n } from '../../lib/i18n.ts';
import { useResource } from '../../lib/use-resource.ts';
import { AttachmentList } from './attachments.tsx';
import { audienceText, personName } from './audience.ts';
import { messagingApi, type TMessageView, type TThreadView } from './messaging-api.ts';
import { ReplyForm, type ReplyTarget } from './reply-form.tsx';
import { refreshUnread } from './unread.ts';

function MessageItem({ message, onReply }: { message: TMessageView; onReply: (target: ReplyTarget) => void }): JSX.Element {
  const { t, tn, locale } = useI18n();
  const others = message.audience.groups.length + message.audience.people.length > 1;
  const headingId = `msg-${message.id}`;
  return (
    <li>
      <article class={message.isMine ? 'msg-item msg-mine' : 'msg-item'} aria-labelledby={headingId}>
        <header class="msg-item-head">
          <span class="avatar avatar-small" aria-hidden="true">
            {initials(message.sender.firstName, message.sender.lastName)}
          </span>
          <div class="msg-item-meta">
            <h2 id={headingId} class="msg-from">
              {message.isMine ? t('messaging.me') : personName(message.sender)}
              {message.wasUnread && <span class="badge badge-info">{t('messaging.new')}</span>}
            </h2>
            <p class="msg-to">
              {t('messaging.to')} {audienceText(message.audience, t, tn, 4)}
              {message.recipientCount > 1 && <span class="muted"> · {tn('messaging.recipients', message.recipientCount)}</span>}
            </p>
          </div>
          <time class="msg-date" dateTime={message.sentAt}>
            {formatDateTime(message.sentAt, locale)}
          </time>
        </header>
        <div class="msg-body">{message.body}</div>
        {message.attachments.length > 0 && <AttachmentList messageId={message.id} attachments={message.attachments} />}
        <div class="msg-item-actions">
          {message.isMine ? (
            <button type="button" class="btn btn-ghost btn-small" onClick={() => onReply({ message, replyAll: true })}>
              <Icon name="reply" size={16} />
              {t('messaging.followUp')}
            </button>
          ) : (
            <>
              <button type="button" class="btn btn-ghost btn-small" onClick={() => onReply({ message, replyAll: false })}>
                <Icon name="reply" size={16} />
                {t('messaging.reply')}
                <span class="visually-hidden"> {personName(message.sender)}</span>
              </button>
              {others && (
                <button type="button" class="btn btn-ghost btn-small" onClick={() => onReply({ message, replyAll: true })}>
                  <Icon name="reply" size={16} />
                  {t('messaging.replyAll')}
                </button>
              )}
            </>
          )}
        </div>
      </article>
    </li>
  );
}

function ThreadActions({ thread }: { thread: TThreadView }): JSX.Element {
  const { t, locale } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      void refreshUnread();
      navigate(thread.archived ? '/messagerie?dossier=archives' : '/messagerie');
    } catch (cause) {
      setError(describeError(cause, t, locale));
    }
  };
  return (
    <div class="msg-actions">
      <button type="button" class="btn btn-secondary btn-small" onClick={() => void act(() => messagingApi.setState(thread.id, { read: false }))}>
        <Icon name="mail" size={16} />
        {t('messaging.markUnread')}
      </button>
      <button type="button" class="btn btn-secondary btn-small" onClick={() => void act(() => messagingApi.setState(thread.id, { archived: !thread.archived }))}>
        <Icon name="archive" size={16} />
        {thread.archived ? t('messaging.unarchive') : t('messaging.archiveAction')}
      </button>
      {confirming ? (
        <span class="msg-confirm" role="group" aria-label={t('messaging.deleteConfirm')}>
          <span>{t('messaging.deleteConfirm')}</span>
          <button type="button" class="btn btn-danger-outline btn-small" onClick={() => void act(() => messagingApi.remove(thread.id))}>
            {t('messaging.deleteYes')}
          </button>
          <button type="button" class="btn btn-ghost btn-small" onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </button>
        </span>
      ) : (
        <button type="button" class="btn btn-danger-outline btn-small" onClick={() => setConfirming(true)}>
          <Icon name="trash" size={16} />
          {t('messaging.delete')}
        </button>
      )}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** The message a reply answers by default: the latest from someone else, else the latest. */
function defaultTarget(thread: TThreadView): ReplyTarget | null {
  const fromOthers = [...thread.messages].reverse().find((m) => !m.isMine);
  const message = fromOthers ?? thread.messages[thread.messages.length - 1];
  return message ? { message, replyAll: !fromOthers } : null;
}

export function ThreadPage({ params }: PageProps): JSX.Element {
  const { t } = useI18n();
  const threadId = params['threadId'] ?? '';
  const thread = useResource(threadId, (signal) => messagingApi.thread(threadId, signal));
  const [target, setTarget] = useState<ReplyTarget | null>(null);
  useEffect(() => {
    if (thread.status === 'ready') void refreshUnread();
  }, [thread.status]);
  useEffect(() => setTarget(null), [threadId]);

  if (thread.status === 'loading') return <Loading />;
  if (thread.status === 'error') {
    return (
      <div class="stack-lg">
        <PageHeader title={t('messaging.title')} back={{ href: '/messagerie', label: t('messaging.back') }} />
        <ErrorState error={thread.error} onRetry={thread.reload} />
      </div>
    );
  }
  const data = thread.data;
  const chosen = target ?? defaultTarget(data);
  return (
    <div class="stack-lg">
      <PageHeader title={data.subject} back={{ href: '/messagerie', label: t('messaging.back') }} actions={<ThreadActions thread={data} />} />
      <ol class="msg-thread">
        {data.messages.map((message) => (
          <MessageItem
            key={message.id}
            message={message}
            onReply={(next) => {
              setTarget(next);
              window.setTimeout(() => document.getElementById('reply-body')?.focus(), 0);
            }}
          />
        ))}
      </ol>
      {chosen && <ReplyForm threadId={data.id} schoolId={data.schoolId} target={chosen} onModeChange={(replyAll) => setTarget({ ...chosen, replyAll })} onSent={thread.reload} />}
    </div>
  );
}
