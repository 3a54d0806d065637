/**
 * Conversations and their messages as the renderer keeps them, without the DOM: the core's pages
 * and events (new message, delivery status, read) applied to one plain model; unread totals for
 * the navigation and the window title; what a message's status reads as.
 */
import type { ChatMessage, Conversation, MessagePage, MessageStatus } from '../../../src-main/contract/presence.js';

export interface Thread {
  /** Oldest first (the order they are shown in). */
  messages: ChatMessage[];
  /** `before` for the next (older) page; undefined when everything is loaded. */
  next: number | undefined;
}

export interface MessagesModel {
  /** Newest activity first. */
  conversations: Conversation[];
  threads: Record<string, Thread>;
}

export const initialMessages: MessagesModel = { conversations: [], threads: {} };

/** The conversation key the core uses for an address: sip:user@host[:port], no parameters. */
export const conversationKey = (uri: string): string => uri.trim().replace(/^<|>$/g, '').replace(/[;?].*$/, '').replace(/^(sips?):/i, (s) => s.toLowerCase());

export const byActivity = (a: Conversation, b: Conversation): number => b.last.at - a.last.at || b.last.id - a.last.id;

export function applyConversations(m: MessagesModel, conversations: Conversation[]): MessagesModel {
  return { ...m, conversations: [...conversations].sort(byActivity) };
}

/** A page from `messages.list` (newest first) for one peer: the first one, or an older one. */
export function applyPage(m: MessagesModel, peer: string, page: MessagePage, older: boolean): MessagesModel {
  const have = m.threads[peer];
  const incoming = [...page.messages].reverse();
  let messages: ChatMessage[];
  if (older && have) {
    const ids = new Set(have.messages.map((x) => x.id));
    messages = [...incoming.filter((x) => !ids.has(x.id)), ...have.messages];
  } else {
    // A fresh first page; keep anything newer that arrived by event meanwhile.
    const ids = new Set(incoming.map((x) => x.id));
    const newest = incoming[incoming.length - 1]?.id ?? 0;
    messages = [...incoming, ...(have?.messages ?? []).filter((x) => !ids.has(x.id) && x.id > newest)];
  }
  return { ...m, threads: { ...m.threads, [peer]: { messages, next: page.next } } };
}

/** A message stored by the core (sent by us, or received): its thread and its conversation. */
export function applyMessage(m: MessagesModel, msg: ChatMessage): MessagesModel {
  const thread = m.threads[msg.peer];
  const threads = thread && !thread.messages.some((x) => x.id === msg.id)
    ? { ...m.threads, [msg.peer]: { ...thread, messages: [...thread.messages, msg] } }
    : m.threads;
  const found = m.conversations.find((c) => c.peer === msg.peer);
  const unreadMore = msg.direction === 'in' && !msg.read ? 1 : 0;
  const conversation: Conversation = found
    ? { ...found, last: found.last.id > msg.id ? found.last : msg, peerName: msg.peerName ?? found.peerName, unread: found.unread + unreadMore }
    : { peer: msg.peer, peerName: msg.peerName, last: msg, unread: unreadMore };
  const conversations = [conversation, ...m.conversations.filter((c) => c.peer !== msg.peer)].sort(byActivity);
  return { conversations, threads };
}

/** The final delivery status of a message we sent. */
export function applyStatus(m: MessagesModel, id: number, status: 'delivered' | 'failed', code: number): MessagesModel {
  const patch = (x: ChatMessage): ChatMessage => (x.id === id ? { ...x, status, code } : x);
  const threads: Record<string, Thread> = {};
  for (const [peer, t] of Object.entries(m.threads)) {
    threads[peer] = t.messages.some((x) => x.id === id) ? { ...t, messages: t.messages.map(patch) } : t;
  }
  const conversations = m.conversations.map((c) => (c.last.id === id ? { ...c, last: patch(c.last) } : c));
  return { conversations, threads };
}

export function applyRead(m: MessagesModel, peer: string): MessagesModel {
  const thread = m.threads[peer];
  return {
    conversations: m.conversations.map((c) => (c.peer === peer ? { ...c, unread: 0, last: { ...c.last, read: true } } : c)),
    threads: thread ? { ...m.threads, [peer]: { ...thread, messages: thread.messages.map((x) => (x.read ? x : { ...x, read: true })) } } : m.threads,
  };
}

export const totalUnread = (conversations: readonly Conversation[]): number =>
  conversations.reduce((n, c) => n + c.unread, 0);

/** The window title with the unread count in front, as mail and chat apps do: "(3) Nimbus Phone". */
export const titleWithUnread = (title: string, unread: number): string => (unread > 0 ? `(${unread > 99 ? '99+' : unread}) ${title}` : title);

/** Catalogue key under `messages.status` for a message we sent (received ones show none). */
export function statusKey(msg: Pick<ChatMessage, 'direction' | 'status'>): Exclude<MessageStatus, 'received'> | undefined {
  return msg.direction === 'out' && msg.status !== 'received' ? msg.status : undefined;
}

/**
 * Whether a new message deserves a notification: it came in, and the user is not already reading
 * that conversation in a focused, visible window.
 */
export function worthNotifying(msg: Pick<ChatMessage, 'direction' | 'peer'>, o: { focused: boolean; visible: boolean; openPeer: string | undefined }): boolean {
  if (msg.direction !== 'in') return false;
  return !(o.focused && o.visible && o.openPeer === msg.peer);
}

/** A message cut for a notification or a list line: one line, at most `max` characters (whole graphemes). */
export function preview(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(line)].map((s) => s.segment);
  return graphemes.length <= max ? line : `${graphemes.slice(0, max - 1).join('').trimEnd()}…`;
}
