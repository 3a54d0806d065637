/** The few facts about the core's calls the headset acts on, from the call snapshots. */
import type { CallSnapshot } from '../../../src-main/contract/calls.js';

export interface CallFacts {
  /** The call ringing longest (an incoming call not yet answered). */
  ringing: string | undefined;
  /** The call the headset talks on: placed, answered, in conference or held by the far end. */
  talking: string | undefined;
  /** Calls we put on hold, oldest first. */
  held: string[];
  muted: boolean;
}

export const noCalls: CallFacts = { ringing: undefined, talking: undefined, held: [], muted: false };

export function callFacts(calls: readonly CallSnapshot[], muted: boolean, ignore: ReadonlySet<string> = new Set()): CallFacts {
  const live = calls.filter((c) => c.state !== 'ended' && !ignore.has(c.id));
  const ringing = live.find((c) => c.direction === 'incoming' && c.state === 'incoming');
  const talking = live.find((c) => c.state !== 'incoming' && c.state !== 'held' && !c.onHold);
  return {
    ringing: ringing?.id,
    talking: talking?.id,
    held: live.filter((c) => c.state === 'held' || (c.onHold && c.state !== 'incoming')).map((c) => c.id),
    muted,
  };
}
