/**
 * What a new message does outside the conversation view: the unread count in the window title
 * ("(2) Nimbus Phone"), a system notification when the window is not focused — only where the
 * user granted the permission (the web host asks on a click in Messages; nothing is ever asked
 * unprompted) — and a polite announcement for screen readers. Reading the open conversation in a
 * focused window marks it read.
 */
import type { ChatMessage } from '../../../src-main/contract/presence.js';
import { useAppStore } from '../../app/app-store.js';
import { i18n } from '../../i18n/index.js';
import type { HostLink } from '../../transport/link.js';
import { partyName } from '../presence/presence-model.js';
import { usePresenceStore } from '../presence/presence-store.js';
import { markRead } from './messages-actions.js';
import { preview, titleWithUnread, totalUnread, worthNotifying } from './messages-model.js';
import { useMessagesStore } from './messages-store.js';

const focused = (): boolean => document.hasFocus() && document.visibilityState === 'visible';

/** The conversation the user is looking at (Messages view, one conversation open). */
const openPeer = (): string | undefined => (useAppStore.getState().view === 'messages' ? useMessagesStore.getState().open : undefined);

export const notificationsAvailable = (): boolean => typeof Notification !== 'undefined';

/** A new message from the core (received or sent from elsewhere). */
export function messageArrived(link: HostLink, msg: ChatMessage): void {
  if (msg.direction !== 'in') return;
  const peer = openPeer();
  if (peer === msg.peer && focused()) {
    void markRead(link, msg.peer);
    return;
  }
  if (!worthNotifying(msg, { focused: document.hasFocus(), visible: document.visibilityState === 'visible', openPeer: peer })) return;
  const name = partyName(msg.peer, usePresenceStore.getState().names, msg.peerName);
  useMessagesStore.getState().announce(i18n.t('messages.announce', { name, text: preview(msg.text, 120) }));
  if (!focused() && notificationsAvailable() && Notification.permission === 'granted') {
    try {
      const n = new Notification(i18n.t('messages.notificationTitle', { name }), { body: preview(msg.text, 200), tag: `message:${msg.peer}` });
      n.onclick = () => {
        window.focus();
        useAppStore.getState().setView('messages');
        useMessagesStore.getState().openConversation(msg.peer);
        n.close();
      };
    } catch {
      // Some hosts refuse page notifications even when granted: the title badge still shows.
    }
  }
}

/** Keeps the title's count and the open conversation's read state in step; returns a stop function. */
export function startNotifier(link: HostLink): () => void {
  let shown = '';
  const applyTitle = (): void => {
    const title = titleWithUnread(i18n.t('app.title'), totalUnread(useMessagesStore.getState().conversations));
    if (title !== shown || document.title !== title) { shown = title; document.title = title; }
  };
  const offStore = useMessagesStore.subscribe((s, prev) => { if (s.conversations !== prev.conversations) applyTitle(); });
  // The language setting rewrites the title after a change: put the count back after it.
  const onLanguage = (): void => { setTimeout(applyTitle, 0); };
  i18n.on('languageChanged', onLanguage);
  const onFocus = (): void => {
    const peer = openPeer();
    if (peer && focused()) void markRead(link, peer);
  };
  window.addEventListener('focus', onFocus);
  document.addEventListener('visibilitychange', onFocus);
  applyTitle();
  return () => {
    offStore();
    i18n.off('languageChanged', onLanguage);
    window.removeEventListener('focus', onFocus);
    document.removeEventListener('visibilitychange', onFocus);
  };
}
