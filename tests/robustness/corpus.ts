/**
 * Valid seed messages for the fuzzer: INVITE with SDP, REGISTER, OPTIONS, BYE, CANCEL, ACK,
 * in-dialog requests, responses, folded and compact headers, IPv6 Vias. Every Via points back at
 * the fuzzer's own loopback sockets (with rport), so whatever the stack answers stays on loopback.
 *
 * The corpus is a little stateful: it remembers the INVITEs it sent (for matching CANCELs and
 * ACKs) and the dialogs the stack's responses revealed (for in-dialog requests with real tags).
 */
import type { Prng } from './prng.js';

/** A message before serialization: mutators work on this or on the bytes. */
export interface Draft {
  start: string;
  headers: [string, string][];
  body: string;
}

export interface Endpoints {
  /** The stack under test. */
  stackPort: number;
  /** Where the fuzzer receives UDP responses (its sending socket). */
  udpPort: number;
  /** A TCP sink that swallows responses the stack sends on new connections. */
  tcpSinkPort: number;
}

/** What the fuzzer learned from the stack's responses. */
export interface Learned {
  callId: string;
  fromTag: string;
  toTag: string;
  branch: string;
  cseq: number;
  method: string;
}

export class CorpusState {
  /** Recent INVITEs sent: CANCEL and ACK targets. */
  readonly invites: { callId: string; fromTag: string; branch: string; cseq: number; uri: string }[] = [];
  /** Dialogs (To tags) seen in 1xx/2xx responses to INVITE. */
  readonly dialogs: Learned[] = [];
  /** Non-2xx final responses to INVITE that want an ACK (§17.1.1.3). */
  readonly finals: Learned[] = [];

  remember<T>(list: T[], item: T, max = 64): void {
    list.push(item);
    if (list.length > max) list.shift();
  }

  /** Read a response the stack sent us; cheap regexes, never throws. */
  learn(data: Buffer): void {
    const text = data.toString('latin1', 0, Math.min(data.length, 4096));
    const status = /^SIP\/2\.0 (\d{3})/.exec(text);
    if (!status) return;
    const code = Number(status[1]);
    const callId = /\r\n(?:Call-ID|i)[ \t]*:[ \t]*([^\r\n]+)/i.exec(text)?.[1];
    const to = /\r\n(?:To|t)[ \t]*:[^\r\n]*;tag=([^;\s>,]+)/i.exec(text)?.[1];
    const from = /\r\n(?:From|f)[ \t]*:[^\r\n]*;tag=([^;\s>,]+)/i.exec(text)?.[1];
    const cseq = /\r\nCSeq[ \t]*:[ \t]*(\d+)[ \t]+([A-Za-z]+)/i.exec(text);
    const branch = /\r\n(?:Via|v)[ \t]*:[^\r\n]*;branch=([^;\s,]+)/i.exec(text)?.[1];
    if (!callId || !to || !from || !cseq || !branch) return;
    const learned: Learned = { callId, fromTag: from, toTag: to, branch, cseq: Number(cseq[1]), method: cseq[2]! };
    if (learned.method !== 'INVITE') return;
    if (code >= 101 && code < 300) this.remember(this.dialogs, learned);
    else if (code >= 300) this.remember(this.finals, learned);
  }
}

const users = ['alice', 'bob', '100', 'carol+1', '%61lice', 'x'];
const displayNames = ['', '"Alice" ', 'Bob ', '"Q\\"uoted \\\\ name" ', '"Ünïcødé ☎" '];
const extraMethods = ['INFO', 'MESSAGE', 'NOTIFY', 'SUBSCRIBE', 'REFER', 'UPDATE', 'PRACK', 'PUBLISH'];

export function sdp(rnd: Prng): string {
  const port = 4000 + 2 * rnd.int(1000);
  return [
    'v=0', `o=- ${rnd.int(1e9)} 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    `m=audio ${port} RTP/AVP 0 8 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15', 'a=sendrecv', '',
  ].join('\r\n');
}

/** Build one valid message (a request or a response) of a random kind. */
export function seedMessage(rnd: Prng, ep: Endpoints, state: CorpusState, transport: 'UDP' | 'TCP'): Draft {
  const kind = rnd.int(14);
  const callId = `${rnd.token(12)}@127.0.0.1`;
  const fromTag = rnd.token(8);
  const branch = `z9hG4bK${rnd.token(10)}`;
  const ruri = requestUri(rnd, ep);
  const via = viaValue(rnd, ep, transport, branch);
  const from = `${rnd.pick(displayNames)}<sip:${rnd.pick(users)}@127.0.0.1>;tag=${fromTag}`;
  const to = `<sip:${rnd.pick(users)}@127.0.0.1>`;
  const base = (method: string, seq: number, extra: [string, string][] = [], body = '', type = 'application/sdp'): Draft => ({
    start: `${method} ${ruri} SIP/2.0`,
    headers: [
      ['Via', via], ['Max-Forwards', '70'], ['From', from], ['To', to], ['Call-ID', callId],
      ['CSeq', `${seq} ${method}`], ...extra,
      ...(body ? [['Content-Type', type] as [string, string]] : []),
      ['Content-Length', String(Buffer.byteLength(body))],
    ],
    body,
  });
  const contact: [string, string] = ['Contact', `<sip:${rnd.pick(users)}@127.0.0.1:${ep.udpPort}>`];
  let draft: Draft;
  switch (kind) {
    case 0:
    case 1: {
      const seq = rnd.range(1, 1e6);
      draft = base('INVITE', seq, [contact, ['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS'], ['Supported', 'replaces']], rnd.chance(0.85) ? sdp(rnd) : '');
      state.remember(state.invites, { callId, fromTag, branch, cseq: seq, uri: ruri });
      break;
    }
    case 2:
      draft = base('REGISTER', rnd.range(1, 1e6), [contact, ['Expires', String(rnd.pick([0, 60, 3600]))]]);
      draft.start = `REGISTER sip:127.0.0.1:${ep.stackPort} SIP/2.0`;
      break;
    case 3:
      draft = base('OPTIONS', rnd.range(1, 1e6), [['Accept', 'application/sdp']]);
      break;
    case 4:
      draft = base('BYE', rnd.range(1, 1e6));
      draft.headers[3] = ['To', `${to};tag=${rnd.token(8)}`];
      break;
    case 5: {
      // CANCEL for a recent INVITE: same Request-URI, Call-ID, From, branch and CSeq number (§9.1).
      const inv = state.invites.length > 0 ? rnd.pick(state.invites) : undefined;
      if (!inv) return seedMessage(rnd, ep, state, transport);
      draft = base('CANCEL', inv.cseq);
      draft.start = `CANCEL ${inv.uri} SIP/2.0`;
      draft.headers[0] = ['Via', viaValue(rnd, ep, transport, inv.branch)];
      draft.headers[2] = ['From', `<sip:alice@127.0.0.1>;tag=${inv.fromTag}`];
      draft.headers[4] = ['Call-ID', inv.callId];
      break;
    }
    case 6: {
      // ACK for a non-2xx we were sent (same branch, §17.1.1.3) or for nothing at all.
      const fin = state.finals.length > 0 && rnd.chance(0.8) ? rnd.pick(state.finals) : undefined;
      draft = base('ACK', fin?.cseq ?? rnd.range(1, 1e6));
      if (fin) {
        draft.headers[0] = ['Via', viaValue(rnd, ep, transport, fin.branch)];
        draft.headers[2] = ['From', `<sip:alice@127.0.0.1>;tag=${fin.fromTag}`];
        draft.headers[3] = ['To', `${to};tag=${fin.toTag}`];
        draft.headers[4] = ['Call-ID', fin.callId];
      }
      break;
    }
    case 7:
    case 8: {
      // In-dialog request; with a learned dialog the tags match a live (early) dialog.
      const d = state.dialogs.length > 0 && rnd.chance(0.8) ? rnd.pick(state.dialogs) : undefined;
      const method = rnd.pick(['BYE', 'INFO', 'OPTIONS', 'UPDATE', 'INVITE', 'MESSAGE', 'NOTIFY']);
      const seq = (d?.cseq ?? rnd.range(1, 1e6)) + rnd.range(0, 3);
      const body = method === 'INVITE' || method === 'UPDATE' ? (rnd.chance(0.7) ? sdp(rnd) : '') : '';
      draft = base(method, seq, [contact], body);
      draft.headers[3] = ['To', `${to};tag=${d?.toTag ?? rnd.token(8)}`];
      if (d) {
        draft.headers[2] = ['From', `<sip:alice@127.0.0.1>;tag=${d.fromTag}`];
        draft.headers[4] = ['Call-ID', d.callId];
      }
      break;
    }
    case 9:
      draft = base(rnd.pick(extraMethods), rnd.range(1, 1e6), [contact, ['Event', 'presence']], rnd.chance(0.3) ? 'hello' : '', 'text/plain');
      break;
    default: {
      // A response (stray for the stack: it has no client transactions).
      const status = rnd.pick([100, 180, 183, 200, 401, 407, 486, 487, 503]);
      const method = rnd.pick(['INVITE', 'REGISTER', 'OPTIONS', 'BYE']);
      const headers: [string, string][] = [
        ['Via', `SIP/2.0/${transport} 127.0.0.1:${ep.stackPort};branch=z9hG4bK${rnd.token(10)};rport=${ep.stackPort};received=127.0.0.1`],
        ['From', from], ['To', status === 100 ? to : `${to};tag=${rnd.token(8)}`], ['Call-ID', callId],
        ['CSeq', `${rnd.range(1, 1e6)} ${method}`],
      ];
      if (status === 401) headers.push(['WWW-Authenticate', `Digest realm="example.com", nonce="${rnd.token(16)}", algorithm=MD5, qop="auth"`]);
      if (status === 407) headers.push(['Proxy-Authenticate', `Digest realm="example.com", nonce="${rnd.token(16)}", stale=false`]);
      if (status >= 180 && status < 300) headers.push(contact);
      const body = status === 200 && method === 'INVITE' ? sdp(rnd) : '';
      if (body) headers.push(['Content-Type', 'application/sdp']);
      headers.push(['Content-Length', String(Buffer.byteLength(body))]);
      draft = { start: `SIP/2.0 ${status} ${reason(status)}`, headers, body };
    }
  }
  decorate(rnd, draft, ep, transport);
  return draft;
}

function reason(status: number): string {
  return ({ 100: 'Trying', 180: 'Ringing', 183: 'Session Progress', 200: 'OK', 401: 'Unauthorized', 407: 'Proxy Authentication Required', 486: 'Busy Here', 487: 'Request Terminated', 503: 'Service Unavailable' } as Record<number, string>)[status] ?? 'Whatever';
}

function requestUri(rnd: Prng, ep: Endpoints): string {
  switch (rnd.int(8)) {
    case 0: return `sip:${rnd.pick(users)}@127.0.0.1:${ep.stackPort};transport=udp`;
    case 1: return `sip:127.0.0.1:${ep.stackPort}`;
    case 2: return `sip:${rnd.pick(users)}@[::1]:${ep.stackPort}`;
    case 3: return `sip:${rnd.pick(users)}@127.0.0.1:${ep.stackPort};user=phone;lr`;
    default: return `sip:${rnd.pick(users)}@127.0.0.1:${ep.stackPort}`;
  }
}

/** Via toward the fuzzer: IPv4, IPv6 (RFC 5118) or a name; rport keeps responses on our socket. */
function viaValue(rnd: Prng, ep: Endpoints, transport: 'UDP' | 'TCP', branch: string): string {
  const port = transport === 'UDP' ? ep.udpPort : ep.tcpSinkPort;
  const host = rnd.pick(['127.0.0.1', '127.0.0.1', '[::1]', '[2001:db8::9:1]', 'pc33.example.com']);
  return `SIP/2.0/${transport} ${host}:${port};branch=${branch};rport`;
}

/** Extra variety on valid messages: compact names, folding, a second Via, Record-Route, odd spacing. */
function decorate(rnd: Prng, d: Draft, ep: Endpoints, transport: 'UDP' | 'TCP'): void {
  if (rnd.chance(0.25)) {
    const compact: Record<string, string> = { Via: 'v', From: 'f', To: 't', 'Call-ID': 'i', Contact: 'm', 'Content-Length': 'l', 'Content-Type': 'c', Supported: 'k' };
    d.headers = d.headers.map(([n, v]) => [rnd.chance(0.7) ? (compact[n] ?? n) : n, v]);
  }
  if (rnd.chance(0.15)) {
    // §7.3.1 line folding: a continuation line starts with whitespace.
    const i = rnd.int(d.headers.length);
    const [n, v] = d.headers[i]!;
    const cut = v.indexOf(' ') > 0 ? v.indexOf(' ') : v.length;
    d.headers[i] = [n, `${v.slice(0, cut)}\r\n${rnd.pick([' ', '\t', '   '])}${v.slice(cut).trimStart()}`];
  }
  if (d.start.startsWith('SIP/') === false && rnd.chance(0.15)) {
    d.headers.splice(1, 0, ['Via', `SIP/2.0/${transport} [::1]:${ep.udpPort};branch=z9hG4bK${rnd.token(8)};received=127.0.0.1`]);
  }
  if (rnd.chance(0.1)) d.headers.splice(2, 0, ['Record-Route', `<sip:127.0.0.1:${ep.udpPort};lr>`]);
  if (rnd.chance(0.1)) d.headers.splice(2, 0, ['User-Agent', 'fuzz/1.0 (robustness)']);
}

export function serialize(d: Draft): Buffer {
  let head = d.start + '\r\n';
  for (const [n, v] of d.headers) head += `${n}: ${v}\r\n`;
  return Buffer.concat([Buffer.from(head + '\r\n', 'utf8'), Buffer.from(d.body, 'utf8')]);
}
