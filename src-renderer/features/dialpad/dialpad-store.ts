/** The dialpad slice: the Number field, its last error, and focus requests from the window. */
import { create } from 'zustand';
import { emptyField, type FieldState } from './number.js';
import type { Suggestion } from './suggestions.js';

interface DialpadStore {
  field: FieldState;
  error: 'invalid' | 'no-account' | undefined;
  /** The Number field should take focus (the user typed elsewhere in the window). */
  focusPending: boolean;
  /** Contacts and recent numbers matching what is typed. */
  suggestions: Suggestion[];
  setSuggestions(suggestions: Suggestion[]): void;
  setField(field: FieldState): void;
  setError(error: DialpadStore['error']): void;
  requestFocus(): void;
  focusHandled(): void;
}

export const useDialpadStore = create<DialpadStore>()((set) => ({
  field: emptyField,
  error: undefined,
  focusPending: false,
  suggestions: [],
  setSuggestions: (suggestions) => set({ suggestions }),
  setField: (field) => set({ field, error: undefined }),
  setError: (error) => set({ error }),
  requestFocus: () => set({ focusPending: true }),
  focusHandled: () => set({ focusPending: false }),
}));
