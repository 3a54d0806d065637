/**
 * Message waiting without a subscription: many PBXs send message-summary NOTIFYs (RFC 3842) to a
 * registered phone that never subscribed. RFC 6665 §4.1.3 would answer 481; we accept them, but
 * only from the account's own server (registrar or outbound proxy) — anyone else could light the
 * voicemail lamp of any phone they can reach.
 */
import { createResponse, getTo } from '../../message/index.js';
import type { SipRequest } from '../../message/index.js';
import type { ServerTransaction } from '../../transaction/index.js';
import type { Source } from '../../transport/types.js';
import { parseMessageSummary, type MessageSummary } from '../event-package/message-summary.js';
import type { RequestUsage, UsageHost } from '../core/usage.js';
import { getEvent } from './event-header.js';

export class UnsolicitedMwi implements RequestUsage {
  constructor(private readonly host: UsageHost, private readonly deliver: (account: string | undefined, summary: MessageSummary) => void) {}

  receive(request: SipRequest, tx: ServerTransaction | undefined, source: Source): boolean {
    if (request.method !== 'NOTIFY' || !tx || getTo(request).params.has('tag')) return false;
    let event;
    try {
      event = getEvent(request);
    } catch {
      return false;
    }
    if (event.package !== 'message-summary') return false;
    if (!this.host.fromServer(source)) {
      this.host.notice(`refused an unsolicited message-summary NOTIFY from ${source.address}:${source.port} (not our server)`);
      tx.respond(createResponse(request, 403));
      return true;
    }
    const parsed = parseMessageSummary(request.body);
    if (!parsed.ok) {
      tx.respond(createResponse(request, 400, `Bad Request (${parsed.reason})`.slice(0, 120)));
      return true;
    }
    tx.respond(createResponse(request, 200));
    this.deliver(this.host.accountFor(request)?.key, parsed.summary);
    return true;
  }
}
