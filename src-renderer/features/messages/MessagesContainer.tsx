/**
 * Wires the Messages screen: the conversation list (search debounced, New message), or the open
 * conversation — its newest page loaded on opening, read while shown in a focused window, sent
 * with the dialling account, Call, Retry.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../src-main/contract/presence.js';
import { useLink } from '../../app/link-context.js';
import { useLocale } from '../../app/useLocale.js';
import { dayKey, dayLabel, fullTime, timeOfDay } from '../history/history-model.js';
import { useMinuteNow } from '../history/useMinuteNow.js';
import { callUri } from '../presence/presence-actions.js';
import { partyName, sipAddress, shownStatus } from '../presence/presence-model.js';
import { usePresenceStore } from '../presence/presence-store.js';
import { useSettingsStore } from '../settings/settings-store.js';
import { ConversationList, type ConversationItem } from './ConversationList.js';
import { ConversationView, type BubbleItem } from './ConversationView.js';
import { loadConversations, loadThread, markRead, searchMessages, sendText, startConversation } from './messages-actions.js';
import { preview } from './messages-model.js';
import { useMessagesStore } from './messages-store.js';
import { notificationsAvailable } from './notifier.js';

const shortTime = (ms: number, now: number, locale: string): string => {
  if (dayKey(ms) === dayKey(now)) return timeOfDay(ms, locale);
  const sameYear = new Date(ms).getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) }).format(ms);
};

export function MessagesContainer() {
  const open = useMessagesStore((s) => s.open);
  return open ? <OpenConversation peer={open} /> : <Conversations />;
}

function Conversations() {
  const { t } = useTranslation();
  const link = useLink();
  const locale = useLocale();
  const now = useMinuteNow();
  const conversations = useMessagesStore((s) => s.conversations);
  const loaded = useMessagesStore((s) => s.loaded);
  const search = useMessagesStore((s) => s.search);
  const results = useMessagesStore((s) => s.results);
  const composing = useMessagesStore((s) => s.composing);
  const names = usePresenceStore((s) => s.names);
  const monitored = usePresenceStore((s) => s.monitored);
  const [composeError, setComposeError] = useState<'invalid' | 'no-account' | undefined>(undefined);
  const [permission, setPermission] = useState(() => (notificationsAvailable() ? Notification.permission : 'denied'));

  useEffect(() => { void loadConversations(link); }, [link]);
  useEffect(() => {
    if (search.trim() === '') return;
    const timer = setTimeout(() => void searchMessages(link, search), 200);
    return () => clearTimeout(timer);
  }, [link, search]);

  const nameOf = (peer: string, given?: string) => partyName(peer, names, given);
  const items: ConversationItem[] = conversations.map((c) => ({
    peer: c.peer,
    name: nameOf(c.peer, c.peerName),
    preview: c.last.direction === 'out' ? t('messages.youSaid', { text: preview(c.last.text) }) : preview(c.last.text),
    time: shortTime(c.last.at, now, locale),
    fullTime: fullTime(c.last.at, locale),
    unread: c.unread,
    status: shownStatus(monitored.find((e) => e.uri === c.peer)?.presence),
    failed: c.last.status === 'failed',
  }));

  return (
    <ConversationList
      conversations={items}
      loaded={loaded}
      search={search}
      results={results?.map((m) => ({ id: m.id, peer: m.peer, name: nameOf(m.peer, m.peerName), preview: preview(m.text), time: shortTime(m.at, now, locale) }))}
      composing={composing}
      composeError={composeError}
      canAskNotifications={permission === 'default'}
      onOpen={(peer) => useMessagesStore.getState().openConversation(peer)}
      onSearch={(s) => useMessagesStore.getState().setSearch(s)}
      onComposing={(on) => { setComposeError(undefined); useMessagesStore.getState().setComposing(on); }}
      onCompose={(to) => {
        const r = startConversation(link, to);
        setComposeError(r.ok ? undefined : r.error === 'no-account' ? 'no-account' : 'invalid');
      }}
      onAskNotifications={() => void Notification.requestPermission().then(setPermission, () => setPermission(Notification.permission))}
    />
  );
}

function bubbles(messages: readonly ChatMessage[], now: number, locale: string, words: { today: string; yesterday: string }): BubbleItem[] {
  return messages.map((m, i) => ({
    id: m.id, direction: m.direction, text: m.text,
    time: timeOfDay(m.at, locale), fullTime: fullTime(m.at, locale),
    day: i === 0 || dayKey(messages[i - 1]!.at) !== dayKey(m.at) ? dayLabel(m.at, now, locale, words) : undefined,
    status: m.direction === 'out' && m.status !== 'received' ? m.status : undefined,
    code: m.code,
  }));
}

function OpenConversation({ peer }: { peer: string }) {
  const { t } = useTranslation();
  const link = useLink();
  const locale = useLocale();
  const now = useMinuteNow();
  const thread = useMessagesStore((s) => s.threads[peer]);
  const draft = useMessagesStore((s) => s.drafts[peer] ?? '');
  const conversation = useMessagesStore((s) => s.conversations.find((c) => c.peer === peer));
  const names = usePresenceStore((s) => s.names);
  const watched = usePresenceStore((s) => s.monitored.find((e) => e.uri === peer));
  const canSend = useSettingsStore((s) => s.accounts.length > 0);
  const unread = conversation?.unread ?? 0;

  useEffect(() => { void loadThread(link, peer); }, [link, peer]);
  // Shown in a focused window: read.
  useEffect(() => {
    if (unread > 0 && document.hasFocus() && document.visibilityState === 'visible') void markRead(link, peer);
  }, [link, peer, unread]);

  const name = partyName(peer, names, conversation?.peerName);
  const address = sipAddress(peer);
  const send = (text: string) => void sendText(link, peer, text);
  return (
    <ConversationView
      name={name}
      address={address ? address.user : peer}
      status={shownStatus(watched?.presence)}
      note={watched?.presence?.note}
      messages={bubbles(thread?.messages ?? [], now, locale, { today: t('history.today'), yesterday: t('history.yesterday') })}
      hasOlder={thread?.next !== undefined}
      draft={draft}
      canSend={canSend}
      onDraft={(text) => useMessagesStore.getState().setDraft(peer, text)}
      onSend={() => {
        const text = draft;
        useMessagesStore.getState().setDraft(peer, '');
        void sendText(link, peer, text).then((ok) => { if (!ok) useMessagesStore.getState().setDraft(peer, text); });
      }}
      onRetry={send}
      onOlder={() => void loadThread(link, peer, true)}
      onBack={() => useMessagesStore.getState().openConversation(undefined)}
      onCall={() => void callUri(link, peer)}
    />
  );
}
