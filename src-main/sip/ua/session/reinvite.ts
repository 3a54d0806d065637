/**
 * An offer we send in a confirmed dialog (RFC 3261 §14.1, RFC 3264 §8, RFC 3311): re-INVITE (ACK
 * on each 2xx, answer to the media) or UPDATE, with the §14.1 back-off and retry after 491.
 *
 *   sending ──2xx──► done(ok)     sending ──491──► waiting ──random delay──► sending (≤ 3 tries)
 *   busy (another INVITE transaction in progress, §14.1) ──it ends──► sending
 *   sending ──408 / 481 (§12.2.1.2)──► done(failed, dialog ended)   sending ──other──► done(failed, session kept)
 */
import type { SipRequest, SipResponse } from '../../message/index.js';
import type { MediaRefusal } from './media-refusal.js';
import type { Clock } from '../../../util/clock.js';
import type { Random } from '../../../util/random.js';

export type ReinviteResult = { ok: true } | { ok: false; status: number; reason: string };

/** What the exchange needs from its session. */
export interface OfferPort {
  clock: Clock;
  random: Random;
  /** We sent the dialog-creating INVITE, i.e. we own the Call-ID (§14.1 back-off ranges). */
  ownsCallId: boolean;
  /** Still possible to send (the session is confirmed). */
  canSend(): boolean;
  /** An INVITE transaction is in progress in either direction (§14.1), or our REFER: wait for it to finish. */
  busy(): boolean;
  /** The offer, or undefined for a bodiless UPDATE (a session refresh, RFC 4028 §7.4). */
  createOffer(): string | undefined;
  /** Send the request in the dialog; onFinal sees every final response (2xx retransmissions too). */
  send(method: 'INVITE' | 'UPDATE', body: string | undefined, onFinal: (response: SipResponse, request: SipRequest) => void): void;
  ack(request: SipRequest): void;
  /** A refusal: the answer is unusable. */
  setAnswer(answer: string): MediaRefusal | void;
  /** End the session for an unusable answer (after the ACK). */
  unacceptable(refusal: MediaRefusal): void;
  setPending(pending: boolean): void;
  /** A 2xx arrived (session timers learn the new interval from it). */
  succeeded(response: SipResponse, request: SipRequest): void;
  /** §12.2.1.2: "If the response for a request within a dialog is a 481 or a 408, the UAC SHOULD terminate the dialog". */
  terminate(status: number, reason: string): void;
}

export const maxOfferTries = 3;
/** How often a queued offer looks again whether the other INVITE transaction has finished [ms]. */
export const busyRecheckMs = 50;

/** §14.1 after a 491: the owner of the Call-ID waits 2.1–4 s, the other side 0–2 s (units of 10 ms). */
export function glareRetryDelayMs(ownsCallId: boolean, random: Random): number {
  return ownsCallId ? 2100 + 10 * random.int(191) : 10 * random.int(201);
}

export function sendOffer(port: OfferPort, method: 'INVITE' | 'UPDATE', withBody = true): Promise<ReinviteResult> {
  return new Promise((resolve) => {
    let tries = 0;
    const attempt = (): void => {
      if (!port.canSend()) {
        port.setPending(false);
        resolve({ ok: false, status: 491, reason: 'Request Pending' });
        return;
      }
      // §14.1: "MUST NOT initiate a re-INVITE while another INVITE transaction is in progress in
      // either direction" — e.g. the ACK for the peer's hold is still due: send once it is done.
      if (port.busy()) {
        port.clock.setTimeout(attempt, busyRecheckMs);
        return;
      }
      tries++;
      port.setPending(true);
      let settled = false;
      port.send(method, withBody ? port.createOffer() : undefined, (response, request) => {
        if (response.status >= 200 && response.status < 300) {
          if (method === 'INVITE') port.ack(request); // every 2xx retransmission gets its ACK
          if (settled) return;
          settled = true;
          port.setPending(false);
          const refusal = response.body.length > 0 ? port.setAnswer(response.body.toString('utf8')) : undefined;
          if (refusal) {
            port.unacceptable(refusal);
            resolve({ ok: false, status: 488, reason: refusal.text });
            return;
          }
          port.succeeded(response, request);
          resolve({ ok: true });
          return;
        }
        if (settled) return;
        settled = true;
        port.setPending(false);
        if (response.status === 491 && tries < maxOfferTries) {
          port.clock.setTimeout(attempt, glareRetryDelayMs(port.ownsCallId, port.random));
          return;
        }
        if (response.status === 408 || response.status === 481) port.terminate(response.status, response.reason);
        resolve({ ok: false, status: response.status, reason: response.reason });
      });
    };
    attempt();
  });
}
