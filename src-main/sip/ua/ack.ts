/** The ACK for a 2xx to an INVITE (RFC 3261 §13.2.2.4): a new transaction-less request each time. */
import { getCSeq } from '../message/index.js';
import type { SipRequest } from '../message/index.js';
import type { Dialog } from '../dialog/dialog.js';
import type { SessionHost } from './invite-session.js';

/** §13.2.2.4: CSeq number of the INVITE, its credentials, a new branch; sent statelessly. */
export function sendAckFor2xx(host: SessionHost, dialog: Dialog, invite: SipRequest): void {
  const ack = dialog.createRequest('ACK', getCSeq(invite).seq, host.contact());
  for (const name of ['Authorization', 'Proxy-Authorization']) {
    for (const v of invite.headers.getAll(name)) ack.headers.append(name, v);
  }
  const branch = `z9hG4bK${host.ctx.random.token()}`;
  void host.ctx.resolve(dialog.nextHop(), host.protocol).then((targets) => {
    const target = targets[0];
    if (!target) return;
    const local = host.ctx.transport.localAddress(target.protocol);
    ack.headers.prepend('Via', `SIP/2.0/${target.protocol.toUpperCase()} ${local.address}:${local.port};rport;branch=${branch}`);
    host.ctx.transactions.sendStateless(ack, target).catch(() => {});
  }).catch(() => {});
}
