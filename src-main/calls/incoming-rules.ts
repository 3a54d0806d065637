/**
 * What to do with a new incoming call, before it rings: forward it (302), refuse it (DND, no free
 * line), or ring — possibly forwarding later if nobody answers. Pure, so every rule is a table test.
 */
export interface IncomingSettings {
  maxLines: number;
  dnd: false | 486 | 603;
  forward: { mode: 'always' | 'busy' | 'no-answer'; target: string; noAnswerSeconds: number } | undefined;
  /** A second call while one is in progress rings (call waiting) or is refused as busy. */
  callWaiting: boolean;
}

export type IncomingDecision =
  | { action: 'forward'; target: string }
  | { action: 'reject'; status: 486 | 603; reason: 'dnd' | 'lines-busy' | 'no-call-waiting' }
  | { action: 'ring'; forwardAfter: { target: string; seconds: number } | undefined };

export function decideIncoming(settings: IncomingSettings, state: { busy: boolean; liveCalls: number }): IncomingDecision {
  const forward = settings.forward;
  if (forward && (forward.mode === 'always' || (forward.mode === 'busy' && state.busy))) {
    return { action: 'forward', target: forward.target };
  }
  if (settings.dnd) return { action: 'reject', status: settings.dnd, reason: 'dnd' };
  if (state.liveCalls >= settings.maxLines) return { action: 'reject', status: 486, reason: 'lines-busy' };
  if (!settings.callWaiting && state.liveCalls > 0) return { action: 'reject', status: 486, reason: 'no-call-waiting' };
  return {
    action: 'ring',
    forwardAfter: forward?.mode === 'no-answer' ? { target: forward.target, seconds: forward.noAnswerSeconds } : undefined,
  };
}
