/** Full user agents on the fake network, fake media, and helpers for UA tests. */
import { createResponse, getContacts, getCSeq, parseUri } from '../../../src-main/sip/message/index.js';
import type { NameAddr, SipRequest, SipResponse } from '../../../src-main/sip/message/index.js';
import { accountDefaults, type AccountConfig } from '../../../src-main/sip/ua/core/account.js';
import type { InviteServerSession } from '../../../src-main/sip/ua/session/invite-server-session.js';
import type { InviteSession, SessionMedia } from '../../../src-main/sip/ua/session/invite-session.js';
import type { RegistrationStatus } from '../../../src-main/sip/ua/registration/registerer.js';
import { UserAgent } from '../../../src-main/sip/ua/user-agent.js';
import { Dialog } from '../../../src-main/sip/dialog/dialog.js';
import { sequenceRandom, type Random } from '../../../src-main/util/random.js';
import { FakeNetwork, RawPeer, resolveOnNetwork, type FakeTransport } from '../../support/fake-network.js';

export { FakeNetwork, RawPeer };

/** Addresses on the fake network. */
export const ALICE = '10.0.0.1';
export const BOB = '10.0.0.2';
export const CAROL = '10.0.0.3';
export const PBX = '10.0.0.10';

/** SDP-ish bodies: the UA never parses SDP, it only moves offers and answers around. */
export class FakeMedia implements SessionMedia {
  readonly answers: string[] = [];
  readonly offers: string[] = [];
  accept = true;
  constructor(private readonly name: string) {}
  createOffer(): string {
    const offer = `v=0\r\no=${this.name} 1 1 IN IP4 0.0.0.0\r\ns=offer\r\n`;
    this.offers.push(offer);
    return offer;
  }
  createAnswer(offer: string): string | undefined {
    this.offers.push(offer);
    return this.accept ? `v=0\r\no=${this.name} 2 2 IN IP4 0.0.0.0\r\ns=answer\r\n` : undefined;
  }
  setAnswer(answer: string): void {
    this.answers.push(answer);
  }
}

/** Tokens prefixed per UA so two stacks never share Call-IDs, tags or branches. */
function prefixed(prefix: string, inner: Random): Random {
  return { token: (bits) => `${prefix}${inner.token(bits)}`, int: (max) => inner.int(max) };
}

export interface Phone {
  name: string;
  ua: UserAgent;
  transport: FakeTransport;
  media: FakeMedia;
  incoming: InviteServerSession[];
  registrations: RegistrationStatus[];
  notices: string[];
}

export function phone(net: FakeNetwork, name: string, address: string, account?: Partial<AccountConfig>): Phone {
  const transport = net.transport(address);
  const ua = new UserAgent({
    transport, clock: net.clock, random: prefixed(`${name}-`, sequenceRandom([0])),
    resolve: resolveOnNetwork, userAgent: `test-${name}`,
  });
  const p: Phone = { name, ua, transport, media: new FakeMedia(name), incoming: [], registrations: [], notices: [] };
  if (account) ua.addAccount(accountDefaults({ key: name, aor: `sip:${name}@${PBX}`, ...account }));
  ua.on('incoming', (call) => {
    call.setMedia(p.media);
    p.incoming.push(call);
  });
  ua.on('registration', (_key, status) => p.registrations.push(status));
  ua.on('notice', (m) => p.notices.push(m));
  return p;
}

/**
 * Alice and Bob, each with an account (no registration), on one network, calling each other
 * directly: direct-IP calling is explicit (incoming policy `any`; docs/security.md).
 */
export function twoPhones(net = new FakeNetwork()) {
  const alice = phone(net, 'alice', ALICE, { incomingCallPolicy: 'any' });
  const bob = phone(net, 'bob', BOB, { incomingCallPolicy: 'any' });
  return { net, alice, bob };
}

export const bobUri = () => parseUri(`sip:bob@${BOB}`);

/** States a session goes through, for assertions. */
export function states(session: InviteSession): string[] {
  const seen: string[] = [session.state];
  session.on('state', (s) => seen.push(s));
  return seen;
}

/** Alice calls Bob, Bob answers: both confirmed. */
export async function establishedCall(net = new FakeNetwork()) {
  const { alice, bob } = twoPhones(net);
  const call = alice.ua.call(bobUri(), alice.media, 'alice');
  await net.run(10);
  const answer = bob.incoming[0]!;
  answer.ring();
  await net.run(10);
  answer.answer();
  await net.run(10);
  return { net, alice, bob, call, answer };
}

/**
 * Send an in-dialog request through a phone's own transaction layer (for scripted requests such as
 * a re-INVITE with a chosen CSeq). Resolves with the final response.
 */
export function sendInDialog(
  p: Phone, dialog: Dialog, method: string, opts: { seq?: number; body?: string; contact?: NameAddr } = {},
): Promise<SipResponse> {
  const contact = opts.contact ?? { uri: parseUri(`sip:${p.name}@${p.transport.local.address}`), params: new Map() };
  const request = dialog.createRequest(method, opts.seq ?? dialog.nextSeq(() => 1), contact);
  if (opts.body !== undefined) {
    request.headers.append('Content-Type', 'application/sdp');
    request.body = Buffer.from(opts.body, 'utf8');
  }
  const hop = dialog.nextHop();
  return new Promise((resolve, reject) => {
    p.ua.transactions.sendRequest(request, { protocol: 'udp', address: hop.host, port: hop.port ?? 5060 }, {
      onResponse: (r) => { if (r.status >= 200) resolve(r); },
      onTimeout: () => reject(new Error(`${method} timed out`)),
      onTransportError: reject,
    });
  });
}

/**
 * A NOTIFY of the refer package (RFC 3515 §2.4.4) from `p` in `dialog`, with a sipfrag body and the
 * given Subscription-State (verbatim: peers' defects included). Resolves with the final response.
 */
export function sendReferNotify(
  p: Phone, dialog: Dialog, id: number, frag: string, subscriptionState = 'active;expires=60',
): Promise<SipResponse> {
  const request = dialog.createRequest('NOTIFY', dialog.nextSeq(() => 1), { uri: parseUri(`sip:${p.name}@${p.transport.local.address}`), params: new Map() });
  request.headers.append('Event', `refer;id=${id}`);
  request.headers.append('Subscription-State', subscriptionState);
  request.headers.append('Content-Type', 'message/sipfrag');
  request.body = Buffer.from(frag);
  const hop = dialog.nextHop();
  return new Promise((resolve, reject) => {
    p.ua.transactions.sendRequest(request, { protocol: 'udp', address: hop.host, port: hop.port ?? 5060 }, {
      onResponse: (r) => { if (r.status >= 200) resolve(r); },
      onTimeout: () => reject(new Error('NOTIFY timed out')),
      onTransportError: reject,
    });
  });
}

/** The ACK for a 2xx to a request sent with sendInDialog (§13.2.2.4), optionally with a body. */
export function sendAck(p: Phone, dialog: Dialog, response: SipResponse, body?: string): void {
  const contact = { uri: parseUri(`sip:${p.name}@${p.transport.local.address}`), params: new Map() };
  const ack = dialog.createRequest('ACK', getCSeq(response).seq, contact);
  ack.headers.prepend('Via', `SIP/2.0/UDP ${p.transport.local.address}:5060;branch=z9hG4bKack${getCSeq(response).seq}`);
  if (body !== undefined) {
    ack.headers.append('Content-Type', 'application/sdp');
    ack.body = Buffer.from(body, 'utf8');
  }
  const hop = dialog.nextHop();
  void p.ua.transactions.sendAck(ack, { protocol: 'udp', address: hop.host, port: hop.port ?? 5060 });
}

/** A stateless reply from a RawPeer to a request it received. */
export function reply(peer: RawPeer, request: SipRequest, status: number, edit?: (r: SipResponse) => void, toTag = 'srv'): void {
  const r = createResponse(request, status, undefined, { toTag });
  edit?.(r);
  const from = peer.received.find((m) => m.message === request)!.source;
  peer.send(r, from);
}

/**
 * A scripted registrar: answers the n-th REGISTER (0-based) with the status `script(request, n)`.
 * 401s carry a Digest challenge; 2xx echo the Contact with its granted expires. OPTIONS keep-alives
 * get 200 unless `answerOptions` is false.
 */
export function registrar(
  net: FakeNetwork, script: (request: SipRequest, n: number) => number | undefined, expires = 600, answerOptions = true,
): RawPeer {
  let n = 0;
  return new RawPeer(net, PBX, 5060, (m, peer) => {
    if (m.message.kind !== 'request') return;
    const request = m.message;
    if (request.method === 'OPTIONS' && answerOptions) reply(peer, request, 200);
    if (request.method !== 'REGISTER') return;
    const status = script(request, n++);
    if (status === undefined) return;
    reply(peer, request, status, (r) => {
      if (status === 401) r.headers.append('WWW-Authenticate', 'Digest realm="pbx.test", nonce="n1", qop="auth", algorithm=MD5');
      if (status === 423) r.headers.append('Min-Expires', '1200');
      if (status >= 200 && status < 300) {
        const asked = request.headers.get('Expires') ?? String(expires);
        const contact = request.headers.get('Contact');
        if (contact && asked !== '0') r.headers.append('Contact', `${contact};expires=${Math.min(Number(asked), expires)}`);
      }
    });
  });
}

/**
 * A registrar (always 200) that sees its clients through a NAT: every response's Via carries
 * received/rport = `mapping` (RFC 3581 §4); 2xx to REGISTER list the live bindings. Mutate
 * `mapping` to simulate the NAT remapping.
 */
export function natRegistrar(net: FakeNetwork, mapping: { address: string; port: number }): RawPeer {
  return new RawPeer(net, PBX, 5060, (m, peer) => {
    if (m.message.kind !== 'request') return;
    const request = m.message;
    if (request.method !== 'REGISTER' && request.method !== 'OPTIONS') return;
    reply(peer, request, 200, (r) => {
      const [top, ...rest] = r.headers.getAll('Via');
      r.headers.setAll('Via', [top!.replace(/;rport(?=;|$)/, `;rport=${mapping.port};received=${mapping.address}`), ...rest]);
      if (request.method !== 'REGISTER') return;
      for (const c of getContacts(request).contacts) {
        if (c.params.get('expires') !== '0' && request.headers.get('Expires') !== '0') r.headers.append('Contact', `<sip:${c.uri.user}@${c.uri.host}:${c.uri.port}>;expires=600`);
      }
    });
  });
}

/** An account that registers with the scripted registrar. */
export function registeringPhone(net: FakeNetwork, password = 'pw') {
  return phone(net, 'alice', ALICE, { registrar: `sip:${PBX}`, register: true, password, expires: 600 });
}
