/**
 * The OS notification for a ringing call, pure (main.ts builds Electron's Notification from it;
 * incoming-window.ts wires its events): Answer and Decline buttons where Electron supports
 * notification actions (macOS and Windows: `actions` and the `action` event; Electron 45 maps a
 * Windows toast button to its action index), none elsewhere (Linux: the prompt window has them).
 * Clicking the notification itself brings the main window, which shows the call, forward.
 */
import type { Command } from '../contract/calls.js';
import type { RingingCall } from './incoming-policy.js';
import type { Platform } from './desktop-policy.js';
import type { MainStrings } from './strings.js';

export interface CallNotificationOptions {
  title: string;
  body: string;
  /** The ringtone already plays through the engine. */
  silent: true;
  urgency: 'critical';
  timeoutType: 'never';
  actions?: Array<{ type: 'button'; text: string }>;
}

/** Which button is which, in `actions` order. */
export const callActions = ['answer', 'decline'] as const;

export function supportsActions(platform: Platform): boolean {
  return platform === 'darwin' || platform === 'win32';
}

export function callNotificationOptions(call: RingingCall, s: MainStrings, platform: Platform): CallNotificationOptions {
  return {
    title: s.incomingCall,
    body: call.account ? `${call.caller}\n${s.incomingCallOn(call.account)}` : call.caller,
    silent: true,
    urgency: 'critical',
    timeoutType: 'never',
    ...(supportsActions(platform) ? { actions: [{ type: 'button' as const, text: s.answer }, { type: 'button' as const, text: s.decline }] } : {}),
  };
}

/** What a button press does (an unknown index, e.g. from a stale or forged activation, does nothing). */
export function actionCommand(callId: string, actionIndex: number): { command: Command; showMain: boolean } | undefined {
  const action = Number.isInteger(actionIndex) ? callActions[actionIndex] : undefined;
  if (action === 'answer') return { command: { type: 'answer', callId }, showMain: true };
  if (action === 'decline') return { command: { type: 'reject', callId }, showMain: false };
  return undefined;
}
