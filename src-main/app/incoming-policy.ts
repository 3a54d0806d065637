/**
 * When an incoming call shows the prompt window, an OS notification and a flashing taskbar
 * entry — pure, so every rule is table-tested. The Electron side (incoming-window.ts) only
 * carries out the actions.
 *
 * Rules:
 * - A call is ringing while its snapshot says direction `incoming`, state `incoming`.
 * - While a call rings and the main window is not both visible and focused, the prompt window
 *   is shown (inactive: it never takes focus, so typing elsewhere cannot answer a call) and the
 *   main window's taskbar entry flashes.
 * - Each newly ringing call raises one OS notification when the main window is hidden or
 *   unfocused; it is withdrawn when that call stops ringing.
 * - When the user focuses the main window (which shows the call itself) the prompt hides and
 *   the flashing stops; losing focus again while a call still rings brings the prompt back.
 * - When the last ringing call is answered, declined, cancelled or ends, everything goes away.
 *
 *   idle ──call rings, main unfocused──▶ prompting ──main focused──▶ ringing-in-main
 *     ▲                                      │  ▲─────────main blurred──────────┘
 *     └──────────last call stops ringing─────┘ (from either)
 */
import type { CallSnapshot } from '../contract/calls.js';
import type { PhoneEvent } from '../contract/channels.js';

export interface RingingCall {
  id: string;
  /** Display name, else the number/URI. */
  caller: string;
  uri: string;
  account: string | undefined;
}

export interface MainWindowFacts {
  visible: boolean;
  focused: boolean;
}

export interface IncomingState {
  /** In the order they started ringing. */
  ringing: readonly RingingCall[];
  promptShown: boolean;
  flashing: boolean;
}

export type IncomingAction =
  | { type: 'show-prompt' }
  | { type: 'hide-prompt' }
  | { type: 'notify'; call: RingingCall }
  | { type: 'withdraw-notification'; callId: string }
  | { type: 'flash'; on: boolean };

export type IncomingInput =
  | { type: 'phone-event'; event: PhoneEvent; main: MainWindowFacts }
  | { type: 'main-window'; main: MainWindowFacts };

export const initialIncomingState: IncomingState = { ringing: [], promptShown: false, flashing: false };

export function isRinging(call: CallSnapshot): boolean {
  return call.direction === 'incoming' && call.state === 'incoming';
}

export function ringingCallOf(call: CallSnapshot): RingingCall {
  const number = call.peer.uri.replace(/^(sips?|tel):/i, '').replace(/@.*$/, '');
  return { id: call.id, caller: call.peer.displayName?.trim() || number || call.peer.uri, uri: call.peer.uri, account: call.account };
}

/** The next state and what to do, for one phone event or one change of the main window. */
export function nextIncoming(state: IncomingState, input: IncomingInput): { state: IncomingState; actions: IncomingAction[] } {
  const actions: IncomingAction[] = [];
  let ringing = state.ringing;
  const attended = input.main.visible && input.main.focused;

  if (input.type === 'phone-event') {
    const snapshots = input.event.type === 'call' ? [input.event.call]
      : input.event.type === 'calls' ? input.event.state.calls
      : [];
    const complete = input.event.type === 'calls';
    if (snapshots.length === 0 && !complete) return { state, actions };
    const ringingNow = new Map(snapshots.filter(isRinging).map((c) => [c.id, ringingCallOf(c)]));
    const mentioned = new Set(snapshots.map((c) => c.id));
    // Calls that stopped ringing: mentioned and no longer ringing, or (for a full list) absent.
    const kept = ringing.filter((c) => ringingNow.has(c.id) || (!complete && !mentioned.has(c.id)));
    for (const c of ringing) if (!kept.includes(c)) actions.push({ type: 'withdraw-notification', callId: c.id });
    const added = [...ringingNow.values()].filter((c) => !ringing.some((r) => r.id === c.id));
    ringing = [...kept.map((c) => ringingNow.get(c.id) ?? c), ...added];
    if (!attended) for (const c of added) actions.push({ type: 'notify', call: c });
  }

  const wantPrompt = ringing.length > 0 && !attended;
  const wantFlash = ringing.length > 0 && !attended;
  if (wantPrompt !== state.promptShown) actions.push({ type: wantPrompt ? 'show-prompt' : 'hide-prompt' });
  if (wantFlash !== state.flashing) actions.push({ type: 'flash', on: wantFlash });
  return { state: { ringing, promptShown: wantPrompt, flashing: wantFlash }, actions };
}
