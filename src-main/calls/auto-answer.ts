/**
 * Auto-answer requests (Call-Info answer-after, RFC 5373 Answer-Mode, Alert-Info intercom: see
 * sip/ua/auto-answer-hints.ts). Honoured only when the user agent marked the call as coming from
 * the account's own server and the account allows it (InviteServerSession.autoAnswerAllowed); anyone else
 * asking gets a ringing phone and a notice, never an open microphone. An auto-answered call beeps
 * first, so the person at the desk knows the line is live, and says so in its snapshot.
 */
import { answerAfterSeconds } from '../sip/ua/session/auto-answer-hints.js';
import type { InviteServerSession } from '../sip/ua/session/invite-server-session.js';
import type { Clock } from '../util/clock.js';
import type { Call } from './call.js';
import type { CallEngine } from './ports.js';

/** The warning beep before an auto-answered call connects, ms (the call-waiting tone's 300 ms burst). */
export const autoAnswerBeepMs = 400;

export interface AutoAnswerHost {
  engine: Pick<CallEngine, 'tone'>;
  clock: Clock;
  /** Another call is active: the request is not honoured (the user is talking). */
  busy(): boolean;
  answer(call: Call): void;
  notice(message: string): void;
}

/** Schedule the answer a request asks for, if it may be honoured. */
export function honourAutoAnswer(host: AutoAnswerHost, call: Call, session: InviteServerSession): void {
  const after = answerAfterSeconds(session.request);
  if (after === undefined) return;
  if (!session.autoAnswerAllowed) {
    const from = `${session.source.address}:${session.source.port}`;
    host.notice(`call ${call.id}: auto-answer request from ${from} ignored (only the account's own server may ask): ringing instead`);
    return;
  }
  if (host.busy()) return;
  const timer = host.clock.setTimeout(() => {
    if (call.state !== 'incoming') return;
    call.autoAnswered = true;
    host.engine.tone(call.media.stream, 'call-waiting');
    host.clock.setTimeout(() => {
      host.engine.tone(call.media.stream, 'none');
      if (call.state === 'incoming') host.answer(call);
    }, autoAnswerBeepMs);
  }, after * 1000);
  call.once('ended', () => host.clock.clearTimeout(timer));
}
