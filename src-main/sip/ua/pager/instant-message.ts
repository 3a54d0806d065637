/**
 * Instant messages (RFC 3428 MESSAGE, outside any dialog): sending text/plain UTF-8 through the
 * account's proxy with digest auth, the final response telling delivered or failed (§4, §7); and
 * receiving them under the incoming-call policy, so strangers cannot push text at the user.
 */
import { createResponse, formatUri, getCallId, getCSeq, getFrom, getTo } from '../../message/index.js';
import type { SipRequest, SipUri } from '../../message/index.js';
import type { ServerTransaction } from '../../transaction/index.js';
import type { Source } from '../../transport/types.js';
import { buildOutOfDialogRequest, sendOutOfDialog } from '../core/out-of-dialog-request.js';
import type { RequestUsage, UsageAccount, UsageHost } from '../core/usage.js';

export const textPlainUtf8 = 'text/plain;charset=UTF-8';

/**
 * §8: "the size of a MESSAGE request MUST NOT exceed 1300 bytes" over a path that is not
 * congestion controlled (UDP); headers take up to ~600 of them. Streams can carry more.
 */
export const maxTextBytes = { udp: 700, stream: 16 * 1024 } as const;

export interface MessageOutcome {
  delivered: boolean;
  /** The final response's status (408 when nothing answered, 0 when it was never sent). */
  code: number;
  reason: string;
}

/** Send `text` to `target`; `done` gets the outcome from the final response. Returns an error when refused locally. */
export function sendMessage(host: UsageHost, account: UsageAccount, target: SipUri, text: string,
  done: (outcome: MessageOutcome) => void): string | undefined {
  const data = Buffer.from(text, 'utf8');
  const limit = account.protocol === 'udp' ? maxTextBytes.udp : maxTextBytes.stream;
  if (data.length === 0) return 'empty message';
  if (data.length > limit) return `message of ${data.length} bytes is over ${limit} bytes for ${account.protocol.toUpperCase()}`;
  let seq = 1;
  const request = buildOutOfDialogRequest(host, account, {
    method: 'MESSAGE', target, callId: host.ctx.random.token(120), fromTag: host.ctx.random.token(64), seq, contact: false,
    body: { contentType: textPlainUtf8, data },
  });
  sendOutOfDialog(host, account, request, () => ++seq, {
    // §7: a 2xx means the message reached the recipient (or its store); anything else did not.
    onFinal: (r) => done({ delivered: r.status >= 200 && r.status < 300, code: r.status, reason: r.reason }),
    onFailure: (reason, detail) => done({ delivered: false, code: reason === 'timeout' ? 408 : 503, reason: detail }),
  });
  return undefined;
}

export interface ReceivedMessage {
  /** The account it was addressed to. */
  account: string | undefined;
  from: { uri: string; displayName: string | undefined };
  text: string;
}

/** Duplicates (a retry of the same Call-ID and CSeq in a new transaction) remembered. */
const recentMemory = 128;

/** The UAS side: MESSAGE outside a dialog, claimed from the user agent's dispatch. */
export class MessageReceiver implements RequestUsage {
  private readonly recent = new Set<string>();

  constructor(private readonly host: UsageHost, private readonly deliver: (message: ReceivedMessage) => void) {}

  receive(request: SipRequest, tx: ServerTransaction | undefined, source: Source): boolean {
    if (request.method !== 'MESSAGE' || !tx || getTo(request).params.has('tag')) return false;
    // Same rule as for calls: from our server, or addressed to our user (docs/decisions.md).
    const verdict = this.host.checkPolicy(request, source);
    if (!verdict.accept) {
      this.host.notice(`refused ${verdict.reason.replace(/^INVITE/, 'MESSAGE')}`);
      tx.respond(createResponse(request, 403));
      return true;
    }
    const text = decodeText(request);
    if (typeof text !== 'string') {
      const r = createResponse(request, text.status, text.reason);
      if (text.status === 415) r.headers.append('Accept', 'text/plain');
      tx.respond(r);
      return true;
    }
    tx.respond(createResponse(request, 200));
    const key = `${getCallId(request)}\n${getCSeq(request).seq}`;
    if (this.recent.has(key)) return true;
    this.recent.add(key);
    if (this.recent.size > recentMemory) this.recent.delete(this.recent.values().next().value!);
    const from = getFrom(request);
    this.deliver({
      account: this.host.accountFor(request)?.key,
      from: { uri: formatUri({ ...from.uri, params: new Map(), headers: new Map() }), displayName: from.displayName },
      text,
    });
    return true;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** §7 / §9: text/plain in UTF-8 (the default charset here); anything else is 415 or 400. */
function decodeText(request: SipRequest): string | { status: number; reason?: string } {
  const type = (request.headers.get('Content-Type') ?? '').toLowerCase();
  const [media, ...params] = type.split(';').map((p) => p.trim());
  if (media !== 'text/plain') return { status: 415 };
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'us-ascii') return { status: 415, reason: 'Unsupported Media Type (charset)' };
  if (request.body.length === 0) return { status: 400, reason: 'Bad Request (empty MESSAGE)' };
  try {
    return utf8.decode(request.body);
  } catch {
    return { status: 400, reason: 'Bad Request (text is not UTF-8)' };
  }
}

