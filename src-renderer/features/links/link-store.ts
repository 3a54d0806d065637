/** The links slice: a tel:/sip: link the OS opened the app with, waiting for the user's yes or no. */
import { create } from 'zustand';

interface LinkStore {
  /** What the link asks to call (a number or a sip:/sips: URI), until the user answers. */
  pending: string | undefined;
  offer(target: string): void;
  settle(): void;
}

export const useLinkStore = create<LinkStore>()((set) => ({
  pending: undefined,
  offer: (target) => set({ pending: target }),
  settle: () => set({ pending: undefined }),
}));
