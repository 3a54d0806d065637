/**
 * The contacts slice: the search shown and the rows loaded (offset paging), the editor (new or
 * edit, its draft and errors) and an import in progress. `generation` drops stale pages.
 */
import { create } from 'zustand';
import type { Contact, ContactPage } from '../../../src-main/contract/directory.js';
import type { ContactDraft } from './contact-form.js';

/** The editor's state; its field errors are computed from the draft as the user types. */
export interface ContactEditor {
  draft: ContactDraft;
  /** Show errors for every field (after Save), not only for those already edited. */
  showAll: boolean;
  touched: Record<string, true>;
  saving: boolean;
  /** The core refused the save: its message and the field it names. */
  saveError: { text: string; field: string | undefined } | undefined;
}

export interface ContactsState {
  query: string;
  contacts: Contact[];
  total: number;
  loading: boolean;
  loaded: boolean;
  generation: number;
  editor: ContactEditor | undefined;
  /** `import-progress` figures while an import runs. */
  progress: { done: number; total: number } | undefined;
  setQuery(query: string): void;
  reload(): void;
  startLoading(generation: number): void;
  applyPage(generation: number, page: ContactPage, append: boolean): void;
  failed(generation: number): void;
  openEditor(editor: ContactEditor | undefined): void;
  setProgress(progress: ContactsState['progress']): void;
}

export const useContactsStore = create<ContactsState>()((set) => ({
  query: '',
  contacts: [],
  total: 0,
  loading: false,
  loaded: false,
  generation: 0,
  editor: undefined,
  progress: undefined,
  setQuery: (query) => set((s) => ({ query, generation: s.generation + 1, loaded: false })),
  reload: () => set((s) => ({ generation: s.generation + 1 })),
  startLoading: (generation) => set((s) => (s.generation === generation ? { loading: true } : {})),
  applyPage: (generation, page, append) => set((s) => {
    if (s.generation !== generation) return {};
    const have = new Set(s.contacts.map((c) => c.id));
    const contacts = append ? [...s.contacts, ...page.contacts.filter((c) => !have.has(c.id))] : page.contacts;
    return { contacts, total: page.total, loading: false, loaded: true };
  }),
  failed: (generation) => set((s) => (s.generation === generation ? { loading: false, loaded: true } : {})),
  openEditor: (editor) => set({ editor }),
  setProgress: (progress) => set({ progress }),
}));
