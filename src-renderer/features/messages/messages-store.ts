/**
 * The messages slice: conversations and loaded threads (messages-model.ts), the conversation open
 * on screen, drafts per conversation, the "New message" form and the message search.
 */
import { create } from 'zustand';
import type { ChatMessage, Conversation, MessagePage } from '../../../src-main/contract/presence.js';
import * as model from './messages-model.js';

export interface MessagesState extends model.MessagesModel {
  /** `messages.conversations` has answered at least once. */
  loaded: boolean;
  /** The peer whose conversation is open (Messages view), if any. */
  open: string | undefined;
  drafts: Record<string, string>;
  /** The "New message" form is open. */
  composing: boolean;
  search: string;
  /** Messages matching `search` (newest first); undefined while none was asked. */
  results: ChatMessage[] | undefined;
  /** The last new-message announcement (a polite live region reads it). */
  announcement: string;
  setConversations(conversations: Conversation[]): void;
  applyPage(peer: string, page: MessagePage, older: boolean): void;
  applyMessage(message: ChatMessage): void;
  applyStatus(id: number, status: 'delivered' | 'failed', code: number): void;
  applyRead(peer: string): void;
  openConversation(peer: string | undefined): void;
  setDraft(peer: string, text: string): void;
  setComposing(composing: boolean): void;
  setSearch(search: string): void;
  setResults(search: string, results: ChatMessage[] | undefined): void;
  announce(text: string): void;
}

export const useMessagesStore = create<MessagesState>()((set) => ({
  ...model.initialMessages,
  loaded: false,
  open: undefined,
  drafts: {},
  composing: false,
  search: '',
  results: undefined,
  announcement: '',
  setConversations: (conversations) => set((s) => ({ ...model.applyConversations(s, conversations), loaded: true })),
  applyPage: (peer, page, older) => set((s) => model.applyPage(s, peer, page, older)),
  applyMessage: (message) => set((s) => model.applyMessage(s, message)),
  applyStatus: (id, status, code) => set((s) => model.applyStatus(s, id, status, code)),
  applyRead: (peer) => set((s) => model.applyRead(s, peer)),
  openConversation: (open) => set({ open, composing: false }),
  setDraft: (peer, text) => set((s) => ({ drafts: { ...s.drafts, [peer]: text } })),
  setComposing: (composing) => set({ composing }),
  setSearch: (search) => set({ search, ...(search.trim() === '' ? { results: undefined } : {}) }),
  setResults: (search, results) => set((s) => (s.search === search ? { results } : {})),
  announce: (announcement) => set({ announcement }),
}));
