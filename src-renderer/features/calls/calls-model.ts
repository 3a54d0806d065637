/**
 * The calls slice as plain data and pure transitions: the core's live calls, recently ended calls
 * kept on screen a few seconds (to show why they failed), audio levels, the consultation in
 * progress (attended transfer) and transfer progress. State always comes from the core.
 */
import type { CallSnapshot } from '../../../src-main/contract/calls.js';
import type { CallsState } from '../../../src-main/contract/channels.js';
import { lingerMs } from './call-view.js';

export interface Consultation {
  /** The call being transferred (held while consulting). */
  heldId: string;
  /** The call to the transfer target. */
  consultId: string;
}

export interface TransferProgress {
  status: 'trying' | 'success' | 'failed';
  sipfrag: string | undefined;
}

export interface CallsModel {
  live: CallSnapshot[];
  ended: { call: CallSnapshot; until: number }[];
  muted: boolean;
  levels: { inputDb: number; outputDb: number } | undefined;
  consultation: Consultation | undefined;
  transfers: Record<string, TransferProgress>;
}

export const initialCalls: CallsModel = {
  live: [], ended: [], muted: false, levels: undefined, consultation: undefined, transfers: {},
};

function endCall(model: CallsModel, call: CallSnapshot, now: number): CallsModel {
  const ended = call.state === 'ended' ? call : { ...call, state: 'ended' as const, endedAt: call.endedAt ?? now };
  const transfers = { ...model.transfers };
  delete transfers[call.id];
  const consultation = model.consultation &&
    (model.consultation.heldId === call.id || model.consultation.consultId === call.id) ? undefined : model.consultation;
  return {
    ...model,
    live: model.live.filter((c) => c.id !== call.id),
    ended: [...model.ended.filter((e) => e.call.id !== call.id), { call: ended, until: now + lingerMs(ended) }],
    transfers,
    consultation,
  };
}

/**
 * Fresh ICE stats from a polled `calls.snapshot` (issue 13: the core announces a call when its
 * state changes, not when ICE picks a pair): only `ice` of lines still live is taken; events
 * carry everything else, so a reply overtaken by an event never undoes it.
 */
export function applyIce(model: CallsModel, calls: CallSnapshot[]): CallsModel {
  const fresh = new Map(calls.filter((c) => c.ice).map((c) => [c.id, c.ice]));
  if (!model.live.some((c) => fresh.has(c.id))) return model;
  return { ...model, live: model.live.map((c) => (fresh.has(c.id) ? { ...c, ice: fresh.get(c.id)! } : c)) };
}

/** One call changed. */
export function applyCall(model: CallsModel, call: CallSnapshot, now: number): CallsModel {
  if (call.state === 'ended') return endCall(model, call, now);
  const index = model.live.findIndex((c) => c.id === call.id);
  const live = index < 0 ? [...model.live, call] : model.live.map((c, i) => (i === index ? call : c));
  const levels = live.length > 0 ? model.levels : undefined;
  return { ...model, live, levels, ended: model.ended.filter((e) => e.call.id !== call.id) };
}

/** The attended transfer in progress, as the core knows it (survives a page reload). */
function consultationIn(live: CallSnapshot[]): Consultation | undefined {
  const ids = new Set(live.map((c) => c.id));
  const consult = live.find((c) => c.consultFor !== undefined && ids.has(c.consultFor));
  return consult ? { heldId: consult.consultFor!, consultId: consult.id } : undefined;
}

/** The core's full state (on connect, after a reload, on every `calls` event). */
export function applyState(model: CallsModel, state: CallsState, now: number): CallsModel {
  const present = new Set(state.calls.map((c) => c.id));
  let next: CallsModel = { ...model, muted: state.muted };
  for (const gone of model.live.filter((c) => !present.has(c.id))) next = endCall(next, gone, now);
  const live = state.calls.filter((c) => c.state !== 'ended');
  for (const call of state.calls.filter((c) => c.state === 'ended')) {
    if (!next.ended.some((e) => e.call.id === call.id)) next = endCall(next, call, now);
  }
  const ids = new Set(live.map((c) => c.id));
  return {
    ...next,
    consultation: next.consultation ?? consultationIn(live),
    live,
    ended: next.ended.filter((e) => !ids.has(e.call.id)),
    levels: live.length > 0 ? next.levels : undefined,
  };
}

/** Drop ended calls whose time on screen is over. */
export function expire(model: CallsModel, now: number): CallsModel {
  const ended = model.ended.filter((e) => e.until > now);
  return ended.length === model.ended.length ? model : { ...model, ended };
}

/** When the next ended call should leave the screen, if any. */
export function nextExpiry(model: CallsModel): number | undefined {
  return model.ended.length > 0 ? Math.min(...model.ended.map((e) => e.until)) : undefined;
}

export function applyTransfer(model: CallsModel, callId: string, progress: TransferProgress): CallsModel {
  return { ...model, transfers: { ...model.transfers, [callId]: progress } };
}

export function startConsultation(model: CallsModel, consultation: Consultation): CallsModel {
  return { ...model, consultation };
}

export function endConsultation(model: CallsModel): CallsModel {
  return { ...model, consultation: undefined };
}

/** Every call to show, oldest first: live ones and those that just ended. */
export function visibleCalls(model: CallsModel): CallSnapshot[] {
  return [...model.live, ...model.ended.map((e) => e.call)].sort((a, b) => a.startedAt - b.startedAt);
}

/** The dial reply carries the new call's id (a string, or an object with `id`/`callId`). */
export function dialledCallId(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as { id?: unknown; callId?: unknown };
    if (typeof v.callId === 'string') return v.callId;
    if (typeof v.id === 'string') return v.id;
  }
  return undefined;
}
