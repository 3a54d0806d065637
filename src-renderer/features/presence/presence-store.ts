/**
 * The presence slice: the model (presence-model.ts) in a store, plus what only the screen needs —
 * contact names found for watched and chatting addresses, the Team view's add form and edit mode.
 */
import { create } from 'zustand';
import type { LampState, MwiState, OwnPresence, PeerPresence, PresenceSnapshot } from '../../../src-main/contract/presence.js';
import * as model from './presence-model.js';

export interface PresenceState extends model.PresenceModel {
  /** Contact names by URI (looked up in the contacts; absent: none found). */
  names: Record<string, string>;
  /** The Team view's "Add" form is open. */
  adding: boolean;
  /** The Team view shows Remove buttons. */
  editing: boolean;
  applySnapshot(snap: PresenceSnapshot): void;
  applyLamp(uri: string, lamp: LampState): void;
  applyPeerPresence(uri: string, presence: PeerPresence): void;
  applyOwn(own: OwnPresence): void;
  applyMwi(mwi: MwiState): void;
  removed(uri: string): void;
  setNames(names: Record<string, string | undefined>): void;
  setAdding(adding: boolean): void;
  setEditing(editing: boolean): void;
}

export const usePresenceStore = create<PresenceState>()((set) => ({
  ...model.initialPresence,
  names: {},
  adding: false,
  editing: false,
  applySnapshot: (snap) => set((s) => model.applySnapshot(s, snap)),
  applyLamp: (uri, lamp) => set((s) => model.applyLamp(s, uri, lamp)),
  applyPeerPresence: (uri, presence) => set((s) => model.applyPeerPresence(s, uri, presence)),
  applyOwn: (own) => set((s) => model.applyOwn(s, own)),
  applyMwi: (mwi) => set((s) => model.applyMwi(s, mwi)),
  removed: (uri) => set((s) => model.removeWatched(s, uri)),
  setNames: (found) => set((s) => {
    const names = { ...s.names };
    for (const [uri, name] of Object.entries(found)) {
      if (name) names[uri] = name;
      else delete names[uri];
    }
    return { names };
  }),
  setAdding: (adding) => set({ adding }),
  setEditing: (editing) => set({ editing }),
}));
