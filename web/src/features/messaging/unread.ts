/**
 * The unread count behind the « Messagerie » nav entry: asked at sign-in, then every 60 s while
 * the page is visible, and at once after reading or sending (live updates come later).
 */
import { useEffect } from 'preact/hooks';
import { useI18n } from '../../lib/i18n.ts';
import { createStore, useStore } from '../../lib/store.ts';
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
      if (document.visibilityState === 'visible') void refreshUnread();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, []);
  return { href: '/messagerie', label: count > 0 ? `${t('messaging.nav')} (${tn('messaging.navUnread', count)})` : t('messaging.nav'), icon: 'mail' };
}
