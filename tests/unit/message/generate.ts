/** Deterministic generator of valid SIP messages (varied forms) for round-trip and oracle tests. */

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

export interface Generated {
  bytes: Buffer;
  method?: string;
  status?: number;
  callId: string;
  cseq: number;
  fromTag: string;
  toTag?: string;
  branch: string;
  body: string;
}

const methods = ['INVITE', 'OPTIONS', 'BYE', 'REGISTER', 'MESSAGE', 'INFO', 'NOTIFY', 'SUBSCRIBE', 'REFER', 'UPDATE'];
const hosts = ['example.com', 'atlanta.example.com', '192.0.2.17', '[2001:db8::5]', 'biloxi.example.com'];
const bodies = ['', 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n', 'héllo wörld ✓'];

export function generateMessages(count: number, seed = 1): Generated[] {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const tok = (n: number) => Math.floor(rnd() * 36 ** n).toString(36).padStart(n, '0');
  const out: Generated[] = [];
  for (let i = 0; i < count; i++) {
    const isRequest = rnd() < 0.6;
    const method = pick(methods);
    const status = pick([100, 180, 183, 200, 202, 401, 486, 503]);
    const host = pick(hosts);
    const callId = `${tok(8)}@${pick(['192.0.2.1', 'pc33.example.com', 'h'])}`;
    const cseq = 1 + Math.floor(rnd() * 100000);
    const fromTag = tok(6);
    const toTag = isRequest && rnd() < 0.5 ? undefined : tok(6);
    const branch = `z9hG4bK${tok(10)}`;
    const body = pick(bodies);
    const compact = rnd() < 0.3;
    const fold = rnd() < 0.3;
    const lines: string[] = [];
    lines.push(isRequest ? `${method} sip:${pick(['bob', 'alice', '+15551234'])}@${host}${rnd() < 0.3 ? ';transport=tcp' : ''} SIP/2.0` : `SIP/2.0 ${status} Whatever Reason`);
    lines.push(`${compact ? 'v' : 'Via'}: SIP/2.0/${pick(['UDP', 'TCP', 'TLS'])} ${pick(hosts)}:${5060 + i % 10};branch=${branch}${rnd() < 0.5 ? ';rport' : ''}`);
    if (rnd() < 0.5) lines.push(`Via: SIP/2.0/UDP 192.0.2.${i % 250}${fold ? '\r\n ' : ''};branch=z9hG4bK${tok(5)}, SIP/2.0/TCP proxy.example.net;branch=z9hG4bK${tok(5)}`);
    lines.push(`${compact ? 'f' : 'From'}: ${rnd() < 0.5 ? '"Alice \\"A\\" Smith" ' : ''}<sip:alice@atlanta.example.com>;tag=${fromTag}`);
    lines.push(`${compact ? 't' : 'To'}: ${rnd() < 0.5 ? 'Bob ' : ''}<sip:bob@biloxi.example.com>${toTag ? `;tag=${toTag}` : ''}`);
    lines.push(`${compact ? 'i' : 'Call-ID'}: ${callId}`);
    lines.push(`CSeq: ${cseq} ${isRequest ? method : pick(methods)}`);
    if (isRequest) lines.push('Max-Forwards: 70');
    lines.push(`${compact ? 'm' : 'Contact'}: <sip:alice@${pick(hosts)};transport=udp>;expires=${i % 3600}`);
    if (rnd() < 0.4) lines.push('Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>');
    if (rnd() < 0.4) lines.push('Allow: INVITE, ACK, CANCEL, BYE, OPTIONS');
    if (rnd() < 0.3) lines.push(`X-Custom-${i % 7}: some value ${tok(4)}`);
    if (body) lines.push(`${compact ? 'c' : 'Content-Type'}: ${body.startsWith('v=') ? 'application/sdp' : 'text/plain;charset=utf-8'}`);
    lines.push(`${compact ? 'l' : 'Content-Length'}: ${Buffer.byteLength(body)}`);
    const bytes = Buffer.from(lines.join('\r\n') + '\r\n\r\n' + body, 'utf8');
    const g: Generated = { bytes, callId, cseq, fromTag, branch, body };
    if (isRequest) g.method = method;
    else g.status = status;
    if (toTag) g.toTag = toTag;
    out.push(g);
  }
  return out;
}
