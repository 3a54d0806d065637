/**
 * Per-call behaviour every host shares: hang up a call whose media failed (with a notice), and
 * the automation options (answer after a delay, hang up after a duration, send DTMF once
 * answered) that the CLI's flags and tests ask for.
 */
import type { CallManager } from '../calls/call-manager.js';
import type { Call } from '../calls/call.js';

export interface CallAutomation {
  /** Answer incoming calls after this many ms (never by default). */
  autoAnswerMs?: number;
  /** Hang up each call this many seconds after it is answered. */
  durationS?: number;
  /** Digits sent once a call is answered. */
  dtmfAfterAnswer?: string;
}

export function applyCallPolicy(manager: CallManager, call: Call, automation: CallAutomation, notice: (message: string) => void): void {
  // SDES keys are only as secret as the signalling: the media side warns when it is not TLS.
  call.media.signalling = call.session.signallingProtocol;
  call.media.onNotice = (message) => notice(`call ${call.id}: ${message}`);
  if (call.direction === 'incoming' && automation.autoAnswerMs !== undefined) {
    const timer = setTimeout(() => void manager.answer(call.id), automation.autoAnswerMs);
    timer.unref();
    call.once('ended', () => clearTimeout(timer));
  }
  let durationTimer: NodeJS.Timeout | undefined;
  let answered = false;
  call.on('change', () => {
    if (call.signalling !== 'confirmed' || answered) return;
    answered = true;
    if (call.media.failure) {
      notice(`call ${call.id}: ${call.media.failure}`);
      call.session.hangup();
      return;
    }
    if (automation.durationS !== undefined) durationTimer = setTimeout(() => call.session.hangup(), automation.durationS * 1000);
    if (automation.dtmfAfterAnswer) manager.sendDtmf(call, automation.dtmfAfterAnswer);
  });
  call.once('ended', () => clearTimeout(durationTimer));
}
