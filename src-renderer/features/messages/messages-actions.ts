/** Message requests over the link, applied to the slice (what containers and presence-sync call). */
import { request } from '../../app/request.js';
import type { HostLink } from '../../transport/link.js';
import { dialTarget, type DialTarget } from '../dialpad/number.js';
import { resolveNames } from '../presence/presence-actions.js';
import { dialAccount } from '../settings/account-form.js';
import { useSettingsStore } from '../settings/settings-store.js';
import { conversationKey } from './messages-model.js';
import { useMessagesStore } from './messages-store.js';

export const PAGE_SIZE = 100;


export async function loadConversations(link: HostLink): Promise<void> {
  const reply = await request(link, 'messages.conversations', {}, { quiet: true });
  if (!reply.ok) return;
  useMessagesStore.getState().setConversations(reply.value);
  void resolveNames(link, reply.value.map((c) => c.peer));
}

/** The newest page of a conversation, or (older) the page before what is loaded. */
export async function loadThread(link: HostLink, peer: string, older = false): Promise<void> {
  const thread = useMessagesStore.getState().threads[peer];
  if (older && !thread?.next) return;
  const before = older ? thread?.next : undefined;
  const reply = await request(link, 'messages.list', { peer, limit: PAGE_SIZE, ...(before ? { before } : {}) }, { quiet: true });
  if (reply.ok) useMessagesStore.getState().applyPage(peer, reply.value, older);
}

/** Send a text to a peer; true when the core took it (its delivery status follows by event). */
export async function sendText(link: HostLink, peer: string, text: string): Promise<boolean> {
  if (text.trim() === '') return false;
  const account = dialAccount(useSettingsStore.getState().accounts);
  const reply = await request(link, 'messages.send', { uri: peer, text, ...(account ? { account: account.key } : {}) });
  if (!reply.ok) return false;
  useMessagesStore.getState().applyMessage(reply.value);
  return true;
}

/** The user has seen a conversation: its unread count clears here and in the core. */
export async function markRead(link: HostLink, peer: string): Promise<void> {
  const s = useMessagesStore.getState();
  const unread = s.conversations.find((c) => c.peer === peer)?.unread ?? 0;
  if (unread === 0 && !s.threads[peer]?.messages.some((m) => !m.read)) return;
  s.applyRead(peer);
  await request(link, 'messages.markRead', { peer }, { quiet: true });
}

export async function searchMessages(link: HostLink, search: string): Promise<void> {
  const q = search.trim();
  if (q === '') return;
  const reply = await request(link, 'messages.list', { search: q.slice(0, 128), limit: PAGE_SIZE }, { quiet: true });
  useMessagesStore.getState().setResults(search, reply.ok ? reply.value.messages : []);
}

/** Open the conversation with a typed extension, number or address (the dialpad's rules). */
export function startConversation(link: HostLink, typed: string): DialTarget {
  const target = dialTarget(typed, dialAccount(useSettingsStore.getState().accounts));
  if (!target.ok) return target;
  const peer = conversationKey(target.uri);
  useMessagesStore.getState().openConversation(peer);
  void resolveNames(link, [peer]);
  return { ok: true, uri: peer };
}
