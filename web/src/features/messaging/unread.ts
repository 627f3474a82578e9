/**
 * The unread count behind the « Messagerie » nav entry: asked at sign-in, at once after reading
 * or sending, and live: each `hello` of the live connection brings it, each new message adds one.
 * While the live connection is down, every 60 s when the page is visible.
 */
import { useEffect } from 'preact/hooks';
import { useI18n } from '../../lib/i18n.ts';
import { createStore, useStore } from '../../lib/store.ts';
import { isLiveConnected, onLive } from '../../live/live.ts';
import { messagingApi } from './messaging-api.ts';

const POLL_MS = 60_000;

export const unreadStore = createStore<number>(0);

export async function refreshUnread(): Promise<void> {
  try {
    unreadStore.set((await messagingApi.unreadCount()).count);
  } catch {
    // Signed out or offline: the badge keeps its last value; the next poll tries again.
  }
}

/** The nav entry, with the unread count in its label: « Messagerie (3) ». */
export function useMessagingNavItem(): { href: string; label: string; icon: 'mail' } {
  const { t, tn } = useI18n();
  const count = useStore(unreadStore);
  useEffect(() => {
    void refreshUnread();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible' && !isLiveConnected()) void refreshUnread();
    }, POLL_MS);
    const offHello = onLive(['hello'], (data) => unreadStore.set((data as { unread: number }).unread));
    const offMessage = onLive(['message.received'], () => unreadStore.set(unreadStore.get() + 1));
    return () => {
      window.clearInterval(timer);
      offHello();
      offMessage();
    };
  }, []);
  return { href: '/messagerie', label: count > 0 ? `${t('messaging.nav')} (${tn('messaging.navUnread', count)})` : t('messaging.nav'), icon: 'mail' };
}
