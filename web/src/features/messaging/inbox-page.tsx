/** « Messagerie »: the conversations, newest first (unread in bold), the archive, and a search box. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Link, navigate, useLocation } from '../../app/router.tsx';
import { currentMe } from '../../app/session.ts';
import { Icon } from '../../app/ui/icons.tsx';
import { Empty, ErrorState, Loading, PageHeader } from '../../app/ui/page.tsx';
import { useI18n } from '../../lib/i18n.ts';
import { adminSchools } from '../../lib/roles.ts';
import { useResource } from '../../lib/use-resource.ts';
import { useLive } from '../../live/use-live.ts';
import { audienceText, personName } from './audience.ts';
import { shortDate } from './dates.ts';
import { messagingApi, type TThreadSummary } from './messaging-api.ts';
import { refreshUnread } from './unread.ts';

const PAGE_SIZE = 20;

type Folder = 'inbox' | 'archive';

function inboxHref(folder: Folder, q: string, page: number): string {
  const params = new URLSearchParams();
  if (folder === 'archive') params.set('dossier', 'archives');
  if (q) params.set('q', q);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `/messagerie?${qs}` : '/messagerie';
}

function ThreadRow({ thread }: { thread: TThreadSummary }): JSX.Element {
  const { t, tn, locale } = useI18n();
  const last = thread.lastMessage;
  const unread = thread.unreadCount > 0;
  const who = last.isMine ? `${t('messaging.to')} ${audienceText(thread.participants, t, tn, 2)}` : personName(last.sender);
  return (
    <li class={unread ? 'msg-row msg-unread' : 'msg-row'}>
      <Link class="msg-link" href={`/messagerie/${thread.id}`}>
        <span class="msg-line">
          <span class="msg-who">
            {unread && <span class="visually-hidden">{t('messaging.unreadMark')} </span>}
            {who}
          </span>
          <time class="msg-date" dateTime={last.sentAt}>
            {shortDate(last.sentAt, locale)}
          </time>
        </span>
        <span class="msg-line">
          <span class="msg-subject">
            {thread.subject}
            {thread.messageCount > 1 && <span class="msg-count"> ({thread.messageCount})</span>}
          </span>
          {unread && <span class="msg-dot">{tn('messaging.unreadCount', thread.unreadCount)}</span>}
        </span>
        <span class="msg-snippet">
          {last.isMine && <span class="msg-you">{t('messaging.you')} </span>}
          {last.snippet}
        </span>
      </Link>
    </li>
  );
}

function SearchBox({ folder, q }: { folder: Folder; q: string }): JSX.Element {
  const { t } = useI18n();
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  return (
    <form
      class="msg-search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        navigate(inboxHref(folder, text.trim(), 1));
      }}
    >
      <div class="field">
        <label for="msg-q">{t('messaging.search')}</label>
        <div class="field-control field-search">
          <Icon name="search" size={18} />
          <input id="msg-q" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder={t('messaging.searchHint')} maxLength={100} autocomplete="off" />
        </div>
      </div>
      <button type="submit" class="btn btn-secondary">
        {t('messaging.searchButton')}
      </button>
    </form>
  );
}

function Pager({ folder, q, page, total }: { folder: Folder; q: string; page: number; total: number }): JSX.Element | null {
  const { t } = useI18n();
  const pages = Math.ceil(total / PAGE_SIZE);
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label={t('messaging.pages')}>
      {page > 1 ? (
        <Link class="btn btn-secondary" href={inboxHref(folder, q, page - 1)}>
          {t('messaging.newer')}
        </Link>
      ) : (
        <span />
      )}
      <span>{t('messaging.pageOf', { page, pages })}</span>
      {page < pages ? (
        <Link class="btn btn-secondary" href={inboxHref(folder, q, page + 1)}>
          {t('messaging.older')}
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}

export function InboxPage(): JSX.Element {
  const { t, tn } = useI18n();
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  const folder: Folder = params.get('dossier') === 'archives' ? 'archive' : 'inbox';
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const threads = useResource(JSON.stringify([folder, q, page]), (signal) =>
    messagingApi.inbox({ folder, q: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, signal),
  );
  useEffect(() => void refreshUnread(), []);
  useLive(['message.received', 'resync'], threads.reload);
  const me = currentMe();
  const adminSchool = me ? adminSchools(me)[0] : undefined;

  return (
    <div class="stack-lg">
      <PageHeader
        title={t('messaging.title')}
        actions={
          <Link class="btn btn-primary" href="/messagerie/nouveau">
            <Icon name="mail" size={18} />
            {t('messaging.compose')}
          </Link>
        }
      />
      <div class="msg-toolbar">
        <nav class="msg-tabs" aria-label={t('messaging.folders')}>
          <Link href={inboxHref('inbox', '', 1)} aria-current={folder === 'inbox' ? 'page' : undefined}>
            {t('messaging.inbox')}
          </Link>
          <Link href={inboxHref('archive', '', 1)} aria-current={folder === 'archive' ? 'page' : undefined}>
            {t('messaging.archive')}
          </Link>
        </nav>
        <SearchBox folder={folder} q={q} />
      </div>
      <p class="muted" role="status">
        {threads.status === 'ready' &&
          (q ? tn('messaging.found', threads.data.total, { q }) : tn('messaging.conversations', threads.data.total))}
      </p>
      {threads.status === 'loading' && <Loading />}
      {threads.status === 'error' && <ErrorState error={threads.error} onRetry={threads.reload} />}
      {threads.status === 'ready' &&
        (threads.data.threads.length === 0 ? (
          <Empty>{q ? t('messaging.noResult') : folder === 'archive' ? t('messaging.emptyArchive') : t('messaging.emptyInbox')}</Empty>
        ) : (
          <>
            <ul class="msg-list">
              {threads.data.threads.map((thread) => (
                <ThreadRow key={thread.id} thread={thread} />
              ))}
            </ul>
            <Pager folder={folder} q={q} page={page} total={threads.data.total} />
          </>
        ))}
      {adminSchool && (
        <p>
          <Link href={`/admin/${adminSchool.id}/messagerie`}>{t('messaging.rules.link')}</Link>
        </p>
      )}
    </div>
  );
}
