/** What the renderer talks to: the contract's transport plus whether the host is reachable. */
import type { PhoneTransport } from '../../src-main/contract/channels.js';

export type LinkStatus = 'connecting' | 'open' | 'closed';

export interface HostLink extends PhoneTransport {
  /** Calls the listener at once with the current status, then on every change. */
  onStatus(listener: (status: LinkStatus) => void): () => void;
}

/** The error a request gets while the host is unreachable (the UI translates it). */
export const DISCONNECTED = 'disconnected';
/** The error a request gets when no reply comes in time. */
export const TIMED_OUT = 'timed out';

/** A tiny listener set. */
export function listeners<T>(): { add(fn: (v: T) => void): () => void; emit(v: T): void } {
  const set = new Set<(v: T) => void>();
  return {
    add: (fn) => { set.add(fn); return () => { set.delete(fn); }; },
    emit: (v) => { for (const fn of [...set]) fn(v); },
  };
}
