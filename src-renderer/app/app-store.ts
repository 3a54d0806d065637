/** App-wide UI state: the current view, whether the host is reachable, transient messages. */
import { create } from 'zustand';
import type { LinkStatus } from '../transport/link.js';

export type View = 'dialpad' | 'history' | 'contacts' | 'team' | 'messages' | 'settings';
/** In navigation order (Ctrl/Cmd+1..6). */
export const views: readonly View[] = ['dialpad', 'history', 'contacts', 'team', 'messages', 'settings'];

export interface Notice {
  id: number;
  /**
   * A catalogue key, or an error text from the core shown through `errors.failed`; `echoAdvice`
   * (app.echoAdvice) suggests a headset when echo stays high with separate devices.
   */
  kind: 'disconnected' | 'timedOut' | 'failed' | 'core' | 'echoAdvice';
  text: string;
  /** Values for the catalogue text (echoAdvice: input, output). */
  params?: Record<string, string>;
}

interface AppState {
  view: View;
  link: LinkStatus;
  /** True once the core's state has been read at least once. */
  synced: boolean;
  notices: Notice[];
  setView(view: View): void;
  setLink(link: LinkStatus): void;
  setSynced(): void;
  notify(notice: Omit<Notice, 'id'>): void;
  dismiss(id: number): void;
}

let nextNotice = 1;

export const useAppStore = create<AppState>()((set) => ({
  view: 'dialpad',
  link: 'connecting',
  synced: false,
  notices: [],
  setView: (view) => set({ view }),
  setLink: (link) => set({ link }),
  setSynced: () => set({ synced: true }),
  notify: (notice) => set((s) => ({
    notices: [...s.notices.filter((n) => n.text !== notice.text).slice(-2), { ...notice, id: nextNotice++ }],
  })),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));
