/** Unread messages with the newest conversations, and the newest documents of the class. */
import type { JSX } from 'preact';
import { Link } from '../../../app/router.tsx';
import { Icon } from '../../../app/ui/icons.tsx';
import { Badge, Card, Empty } from '../../../app/ui/page.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useI18n } from '../../../lib/i18n.ts';
import type { TToday } from './today-types.ts';

export function MessagesCard({ today }: { today: TToday }): JSX.Element {
  const { t, tn, locale } = useI18n();
  return (
    <Card
      title={t('today.messages')}
      icon="mail"
      level={3}
      footer={
        <Link class="card-link" href="/messagerie">
          {t('today.messagesLink')}
          <Icon name="chevronRight" size={16} />
        </Link>
      }
    >
      <p class={today.unreadMessages > 0 ? 'today-main' : 'muted'}>
        {today.unreadMessages > 0 ? tn('today.unread', today.unreadMessages) : t('today.noUnread')}
      </p>
      {today.recentThreads.length > 0 && (
        <ul class="today-list">
          {today.recentThreads.map((thread) => (
            <li key={thread.id} class="today-item">
              <div class="today-body">
                <p class={thread.unreadCount > 0 ? 'today-main' : ''}>
                  <Link href={`/messagerie/${thread.id}`}>{thread.subject}</Link>
                </p>
                <p class="muted small">
                  {thread.lastMessage.sender.firstName} {thread.lastMessage.sender.lastName} · {formatDateTime(thread.lastMessage.sentAt, locale)}
                </p>
              </div>
              {thread.unreadCount > 0 && <Badge tone="warning">{thread.unreadCount}</Badge>}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function DocumentsCard({ documents }: { documents: TToday['documents'] }): JSX.Element {
  const { t, locale } = useI18n();
  return (
    <Card
      title={t('today.documents')}
      icon="file"
      level={3}
      footer={
        <Link class="card-link" href="/documents">
          {t('today.documentsLink')}
          <Icon name="chevronRight" size={16} />
        </Link>
      }
    >
      {documents.length === 0 ? (
        <Empty>{t('today.noDocuments')}</Empty>
      ) : (
        <ul class="today-list">
          {documents.map((d) => (
            <li key={d.id} class="today-item">
              <div class="today-body">
                <p class="today-main">
                  <a href={`/api/documents/files/${d.id}/content`} download={d.name} aria-label={t('today.download', { name: d.name })}>
                    {d.name}
                  </a>
                </p>
                <p class="muted small">
                  {t('today.sharedBy', { name: `${d.sharedBy.firstName} ${d.sharedBy.lastName}`, date: formatDateTime(d.sharedAt, locale) })}
                </p>
              </div>
              <Icon name="download" size={18} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
