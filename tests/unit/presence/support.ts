/** A scripted notifier / presence server on the fake network, and a subscriber phone with the usages attached. */
import { getContacts, getFrom, parseMessage } from '../../../src-main/sip/message/index.js';
import type { SipRequest } from '../../../src-main/sip/message/index.js';
import { SubscriptionManager } from '../../../src-main/sip/ua/subscription/subscription-manager.js';
import type { Subscription, SubscriptionState } from '../../../src-main/sip/ua/subscription/subscription.js';
import { FakeNetwork, PBX, phone, RawPeer, reply, ALICE } from '../ua/support.js';

export { FakeNetwork, PBX, RawPeer, ALICE };

/** Alice with account alice@PBX (registrar PBX, not registering) and a subscription manager. */
export function subscriber(net: FakeNetwork, max?: number) {
  const alice = phone(net, 'alice', ALICE, { registrar: `sip:${PBX}`, register: false, password: 'pw' });
  const manager = new SubscriptionManager(alice.ua.usageHost(), max);
  alice.ua.use(manager);
  return { alice, manager };
}

/** States a subscription went through. */
export function track(sub: Subscription): SubscriptionState[] {
  const seen: SubscriptionState[] = [sub.state];
  sub.on('state', (s) => seen.push(s));
  return seen;
}

let branch = 0;

/**
 * Answers SUBSCRIBE / PUBLISH with `script(request, n)` (undefined: no answer) and sends NOTIFYs
 * on request. 2xx to SUBSCRIBE carry To tag `tag` and the granted Expires.
 */
export class Notifier {
  readonly peer: RawPeer;
  readonly requests: SipRequest[] = [];
  private cseq = 100;

  constructor(net: FakeNetwork, private readonly script: (request: SipRequest, n: number) => number | undefined,
    private readonly opts: { expires?: number; tag?: string; edit?: (request: SipRequest, r: import('../../../src-main/sip/message/index.js').SipResponse) => void } = {}) {
    let n = 0;
    this.peer = new RawPeer(net, PBX, 5060, (m, peer) => {
      if (m.message.kind !== 'request' || !['SUBSCRIBE', 'PUBLISH', 'MESSAGE'].includes(m.message.method)) return;
      const request = m.message;
      this.requests.push(request);
      const status = this.script(request, n++);
      if (status === undefined) return;
      reply(peer, request, status, (r) => {
        if (status === 401) r.headers.append('WWW-Authenticate', 'Digest realm="pbx.test", nonce="n1", qop="auth", algorithm=MD5');
        if (status === 423) r.headers.append('Min-Expires', '1200');
        if (status >= 200 && status < 300 && request.method !== 'MESSAGE') {
          const asked = Number(request.headers.get('Expires') ?? 600);
          r.headers.append('Expires', String(Math.min(asked, this.opts.expires ?? 3600)));
          if (request.method === 'SUBSCRIBE') r.headers.append('Contact', `<sip:pbx@${PBX}>`);
        }
        this.opts.edit?.(request, r);
      }, this.opts.tag ?? 'ntf');
    });
  }

  subscribes(): SipRequest[] {
    return this.requests.filter((r) => r.method === 'SUBSCRIBE');
  }

  /** A NOTIFY in the dialog of `subscribe` (our tag `tag`, default the one we answer with). */
  notify(subscribe: SipRequest, o: { state: string; body?: string; type?: string; tag?: string; event?: string; cseq?: number }): void {
    const from = getFrom(subscribe);
    const contact = getContacts(subscribe).contacts[0]!.uri;
    const body = o.body ?? '';
    const text = [
      `NOTIFY sip:${contact.user ?? ''}@${contact.host}:${contact.port ?? 5060} SIP/2.0`,
      `Via: SIP/2.0/UDP ${PBX}:5060;branch=z9hG4bKntf${++branch}`,
      'Max-Forwards: 70',
      `From: <sip:target@${PBX}>;tag=${o.tag ?? this.opts.tag ?? 'ntf'}`,
      `To: <sip:${from.uri.user}@${from.uri.host}>;tag=${from.params.get('tag')}`,
      `Call-ID: ${subscribe.headers.get('Call-ID')}`,
      `CSeq: ${o.cseq ?? ++this.cseq} NOTIFY`,
      `Contact: <sip:pbx@${PBX}>`,
      `Event: ${o.event ?? subscribe.headers.get('Event')}`,
      `Subscription-State: ${o.state}`,
      ...(body ? [`Content-Type: ${o.type ?? 'application/dialog-info+xml'}`] : []),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
    const parsed = parseMessage(Buffer.from(text));
    if (!parsed.ok) throw new Error(parsed.reason);
    this.peer.send(parsed.message, { address: contact.host, port: contact.port ?? 5060 });
  }

  /** Final responses the subscriber sent to our NOTIFYs. */
  notifyResponses(): number[] {
    return this.peer.responses().filter((r) => r.headers.get('CSeq')?.endsWith('NOTIFY')).map((r) => r.status);
  }
}
