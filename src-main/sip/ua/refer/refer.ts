/**
 * REFER in an INVITE dialog (RFC 3515): the REFERs we send and the NOTIFYs of their implicit
 * subscriptions, and the REFERs we receive (handed to the host as IncomingRefer).
 */
import { createResponse, SipParseError } from '../../message/index.js';
import type { SipRequest, SipResponse } from '../../message/index.js';
import type { ServerTransaction } from '../../transaction/index.js';
import type { Clock } from '../../../util/clock.js';
import type { Random } from '../../../util/random.js';
import { IncomingRefer, type SendNotify } from './incoming-refer.js';
import { ReferClient } from './refer-client.js';
import { referEventId } from './sipfrag.js';
import { busyRecheckMs, glareRetryDelayMs, maxOfferTries } from '../session/reinvite.js';

export interface ReferPort {
  clock: Clock;
  random: Random;
  /** We sent the dialog-creating INVITE (§14.1 back-off ranges after a 491). */
  ownsCallId: boolean;
  /** The dialog is confirmed and a REFER can be sent. */
  canSend(): boolean;
  /** Our re-INVITE or REFER is still waiting for its final response: wait for it. */
  busy(): boolean;
  setPending(pending: boolean): void;
  /** Send in the dialog; returns the request's CSeq number. */
  send(method: 'REFER', headers: Array<[string, string]>, onFinal: (response: SipResponse) => void): number;
  sendNotify: SendNotify;
  /** Hand a REFER to the host; false when nobody listens. */
  offer(refer: IncomingRefer): boolean;
  hasListener(): boolean;
}

export class ReferSubscriptions {
  private readonly clients: ReferClient[] = [];

  constructor(private readonly port: ReferPort) {}

  /**
   * §2.4.1 REFER with Refer-To (and RFC 3892 Referred-By); NOTIFYs arrive in this dialog. One
   * INVITE/REFER transaction of ours at a time in the dialog; a 491 is retried with the re-INVITE
   * glare timing (RFC 3261 §14.1), at most maxOfferTries sends.
   */
  refer(referTo: string, referredBy: string | undefined): ReferClient {
    const client = new ReferClient(this.port.clock);
    const headers: Array<[string, string]> = [['Refer-To', referTo]];
    if (referredBy !== undefined) headers.push(['Referred-By', referredBy]);
    this.clients.push(client);
    client.on('done', () => this.clients.splice(this.clients.indexOf(client), 1));
    let tries = 0;
    const attempt = (): void => {
      if (client.state === 'done') return;
      if (!this.port.canSend()) {
        client.failed(481, 'No dialog');
        return;
      }
      if (this.port.busy()) {
        this.port.clock.setTimeout(attempt, busyRecheckMs);
        return;
      }
      tries++;
      this.port.setPending(true);
      const seq = this.port.send('REFER', headers, (response) => {
        this.port.setPending(false);
        if (response.status === 491 && tries < maxOfferTries && client.state === 'sent') {
          this.port.clock.setTimeout(attempt, glareRetryDelayMs(this.port.ownsCallId, this.port.random));
          return;
        }
        client.onResponse(response);
      });
      client.id = String(seq);
    };
    // Callers attach their listeners first: even a refusal is reported asynchronously.
    if (this.port.canSend()) attempt();
    else this.port.clock.setTimeout(attempt, 0);
    return client;
  }

  /** RFC 6665 §4.1.3: a NOTIFY that matches no subscription of ours gets 481. */
  onNotify(request: SipRequest, tx: ServerTransaction): void {
    const event = referEventId(request);
    const client = event === undefined ? undefined
      : event.id !== undefined ? this.clients.find((c) => c.id === event.id) : this.clients.at(-1);
    tx.respond(createResponse(request, client ? client.onNotify(request) : 481));
  }

  /** §2.4.2; no listener → 603 Declined; a missing or invalid Refer-To → 400. */
  onRefer(request: SipRequest, tx: ServerTransaction): void {
    if (!this.port.hasListener()) {
      tx.respond(createResponse(request, 603));
      return;
    }
    let refer: IncomingRefer;
    try {
      refer = new IncomingRefer(request, tx, this.port.sendNotify);
    } catch (e) {
      if (!(e instanceof SipParseError)) throw e;
      tx.respond(createResponse(request, 400, `Bad Request (${e.message})`.slice(0, 120)));
      return;
    }
    if (!this.port.offer(refer)) refer.reject(603);
  }

  dialogEnded(): void {
    for (const c of [...this.clients]) c.dialogEnded();
  }
}
