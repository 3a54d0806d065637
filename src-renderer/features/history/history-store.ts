/**
 * The history slice: the query shown (filter, search), the pages loaded so far, and the missed-call
 * badge. Each new query bumps `generation`, so a page that arrives for an older query is dropped.
 */
import { create } from 'zustand';
import type { HistoryEntry, HistoryPage } from '../../../src-main/contract/directory.js';
import { matchesQuery, type HistoryFilter } from './history-model.js';

export interface HistoryState {
  filter: HistoryFilter;
  search: string;
  entries: HistoryEntry[];
  next: HistoryPage['next'];
  total: number;
  /** A page is being fetched (first page: `entries` are from the previous query until it lands). */
  loading: boolean;
  /** The first page of the current query has arrived. */
  loaded: boolean;
  generation: number;
  /** Missed calls not yet seen: the navigation badge. */
  missed: number;
  setQuery(query: { filter?: HistoryFilter; search?: string }): void;
  /** A fetch for `generation` started. */
  startLoading(generation: number): void;
  applyPage(generation: number, page: HistoryPage, append: boolean): void;
  failed(generation: number): void;
  setMissed(count: number): void;
  added(entry: HistoryEntry): void;
  removed(id: number): void;
  cleared(): void;
}

export const useHistoryStore = create<HistoryState>()((set) => ({
  filter: 'all',
  search: '',
  entries: [],
  next: undefined,
  total: 0,
  loading: false,
  loaded: false,
  generation: 0,
  missed: 0,
  setQuery: (query) => set((s) => ({ ...query, generation: s.generation + 1, loaded: false })),
  startLoading: (generation) => set((s) => (s.generation === generation ? { loading: true } : {})),
  applyPage: (generation, page, append) => set((s) => {
    if (s.generation !== generation) return {};
    const have = new Set(s.entries.map((e) => e.id));
    const entries = append ? [...s.entries, ...page.entries.filter((e) => !have.has(e.id))] : page.entries;
    return { entries, next: page.next, total: page.total, loading: false, loaded: true };
  }),
  failed: (generation) => set((s) => (s.generation === generation ? { loading: false, loaded: true } : {})),
  setMissed: (missed) => set({ missed }),
  added: (entry) => set((s) => {
    if (!s.loaded || !matchesQuery(entry, s.filter, s.search) || s.entries.some((e) => e.id === entry.id)) return {};
    return { entries: [entry, ...s.entries], total: s.total + 1 };
  }),
  removed: (id) => set((s) => {
    const entries = s.entries.filter((e) => e.id !== id);
    return entries.length === s.entries.length ? {} : { entries, total: Math.max(0, s.total - 1) };
  }),
  cleared: () => set({ entries: [], next: undefined, total: 0 }),
}));
