/** The calls slice: the pure model (calls-model.ts) in a store, plus per-line UI panels. */
import { create } from 'zustand';
import type { CallSnapshot } from '../../../src-main/contract/calls.js';
import type { CallsState } from '../../../src-main/contract/channels.js';
import * as model from './calls-model.js';

/** A panel open on one line: the DTMF keypad, or the transfer target field. */
export type LinePanel = { callId: string; kind: 'keypad' | 'transfer' | 'consult' } | undefined;

interface CallsStore extends model.CallsModel {
  panel: LinePanel;
  /** DTMF digits sent per call, shown under the keypad. */
  tones: Record<string, string>;
  applyCall(call: CallSnapshot): void;
  applyState(state: CallsState): void;
  applyIce(calls: CallSnapshot[]): void;
  applyTransfer(callId: string, progress: model.TransferProgress): void;
  setLevels(inputDb: number, outputDb: number): void;
  expire(): void;
  startConsultation(c: model.Consultation): void;
  endConsultation(): void;
  openPanel(panel: LinePanel): void;
  addTone(callId: string, digits: string): void;
}

const fromModel = (m: model.CallsModel) => ({
  live: m.live, ended: m.ended, muted: m.muted, levels: m.levels, consultation: m.consultation, transfers: m.transfers,
});

/** A panel on a line that is gone (or no longer talking) closes. */
function keepPanel(panel: LinePanel, live: CallSnapshot[]): LinePanel {
  if (!panel) return undefined;
  const call = live.find((c) => c.id === panel.callId);
  if (!call) return undefined;
  return panel.kind === 'keypad' && call.state !== 'active' && call.state !== 'conference' && call.state !== 'remote-held'
    ? undefined : panel;
}

export const useCallsStore = create<CallsStore>()((set) => ({
  ...model.initialCalls,
  panel: undefined,
  tones: {},
  applyCall: (call) => set((s) => {
    const next = model.applyCall(s, call, Date.now());
    return { ...fromModel(next), panel: keepPanel(s.panel, next.live) };
  }),
  applyState: (state) => set((s) => {
    const next = model.applyState(s, state, Date.now());
    return { ...fromModel(next), panel: keepPanel(s.panel, next.live) };
  }),
  applyIce: (calls) => set((s) => fromModel(model.applyIce(s, calls))),
  applyTransfer: (callId, progress) => set((s) => fromModel(model.applyTransfer(s, callId, progress))),
  setLevels: (inputDb, outputDb) => set({ levels: { inputDb, outputDb } }),
  expire: () => set((s) => fromModel(model.expire(s, Date.now()))),
  startConsultation: (c) => set((s) => fromModel(model.startConsultation(s, c))),
  endConsultation: () => set((s) => fromModel(model.endConsultation(s))),
  openPanel: (panel) => set({ panel }),
  addTone: (callId, digits) => set((s) => ({ tones: { ...s.tones, [callId]: ((s.tones[callId] ?? '') + digits).slice(-24) } })),
}));
