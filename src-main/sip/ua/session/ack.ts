/** The ACK for a 2xx to an INVITE (RFC 3261 §13.2.2.4): a new transaction-less request each time. */
import { getCSeq } from '../../message/index.js';
import type { NameAddr, SipRequest } from '../../message/index.js';
import type { Dialog } from '../../dialog/dialog.js';
import type { TransportProtocol } from '../../transport/types.js';
import type { RequestContext } from '../core/outgoing-request.js';

/** What sending an ACK needs from the session that owns the dialog. */
export interface AckHost {
  ctx: RequestContext;
  protocol: TransportProtocol;
  contact(): NameAddr;
}

/**
 * §13.2.2.4: CSeq number of the INVITE, its credentials, a new branch (the transaction layer's
 * sendAck adds the Via); sent without a transaction. An ACK that cannot leave is a notice: the
 * far end will resend its 2xx and, without an ACK, end the call (§13.3.1.4).
 */
export function sendAckFor2xx(host: AckHost, dialog: Dialog, invite: SipRequest): void {
  const ack = dialog.createRequest('ACK', getCSeq(invite).seq, host.contact());
  for (const name of ['Authorization', 'Proxy-Authorization']) {
    for (const v of invite.headers.getAll(name)) ack.headers.append(name, v);
  }
  const fail = (e: unknown) => host.ctx.notice(`cannot send the ACK for a 2xx: ${e instanceof Error ? e.message : String(e)}`);
  const hop = dialog.nextHop();
  host.ctx.resolve(hop, host.protocol).then((targets) => {
    const target = targets[0];
    if (!target) {
      fail(new Error(`no address for ${hop.host}`));
      return;
    }
    return host.ctx.transactions.sendAck(ack, target).then(() => undefined);
  }).catch(fail);
}
