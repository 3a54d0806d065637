/**
 * REFER in an INVITE dialog (RFC 3515): the REFERs we send and the NOTIFYs of their implicit
 * subscriptions, and the REFERs we receive (handed to the host as IncomingRefer).
 */
import { createResponse, SipParseError } from '../message/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import type { ServerTransaction } from '../transaction/index.js';
import type { Clock } from '../../util/clock.js';
import { IncomingRefer, type SendNotify } from './incoming-refer.js';
import { ReferClient } from './refer-client.js';
import { referEventId } from './sipfrag.js';

export interface ReferPort {
  clock: Clock;
  /** Send in the dialog; returns the request's CSeq number, or undefined when there is no dialog. */
  send(method: 'REFER', headers: Array<[string, string]>, onFinal: (response: SipResponse) => void): number | undefined;
  sendNotify: SendNotify;
  /** Hand a REFER to the host; false when nobody listens. */
  offer(refer: IncomingRefer): boolean;
  hasListener(): boolean;
}

export class ReferSubscriptions {
  private readonly clients: ReferClient[] = [];

  constructor(private readonly port: ReferPort) {}

  /** §2.4.1 REFER with Refer-To (and RFC 3892 Referred-By); NOTIFYs arrive in this dialog. */
  refer(referTo: string, referredBy: string | undefined): ReferClient {
    const client = new ReferClient(this.port.clock);
    const headers: Array<[string, string]> = [['Refer-To', referTo]];
    if (referredBy !== undefined) headers.push(['Referred-By', referredBy]);
    const seq = this.port.send('REFER', headers, (response) => client.onResponse(response));
    if (seq === undefined) {
      this.port.clock.setTimeout(() => client.failed(481, 'No dialog'), 0);
      return client;
    }
    client.id = String(seq);
    this.clients.push(client);
    client.on('done', () => this.clients.splice(this.clients.indexOf(client), 1));
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
