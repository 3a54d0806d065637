/**
 * Hostile XML bodies at a running `softphone` CLI (issue 11): a registrar/notifier over TCP that,
 * once we watch one of its users, sends NOTIFYs whose dialog-info bodies are nested 6,000 deep,
 * thousands of elements, billion-laughs entity bombs, external entities, malformed or not XML at
 * all. Each is refused by the XML layer (a notice, no lamp change) while the UA keeps answering
 * OPTIONS promptly, and a valid document afterwards still moves the lamp. A 1 MiB NOTIFY is
 * refused before that, by the transport (64 KiB per message): the phone drops the flow and keeps
 * answering on UDP.
 */
import { createSocket } from 'node:dgram';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { parseMessage, type SipMessage, type SipRequest } from '../../src-main/sip/message/index.js';
import { testScope } from '../interop/harness/index.js';
import { startSoftphone } from '../support/softphone-process.js';

/** One TCP flow of the fake server: SIP framing by Content-Length, messages parsed with our parser. */
class Flow {
  private buf = Buffer.alloc(0);
  private readonly waiters: Array<{ match: (m: SipMessage) => boolean; resolve: (m: SipMessage) => void }> = [];
  readonly received: SipMessage[] = [];
  constructor(readonly socket: Socket, private readonly onRequest: (r: SipRequest, flow: Flow) => void) {
    socket.on('data', (chunk) => this.data(chunk));
  }

  private data(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      while (this.buf.subarray(0, 2).toString() === '\r\n') this.buf = this.buf.subarray(2);
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/\r\n(?:Content-Length|l)\s*:\s*(\d+)/i.exec(this.buf.subarray(0, end).toString())?.[1] ?? 0);
      if (this.buf.length < end + 4 + length) return;
      const parsed = parseMessage(this.buf.subarray(0, end + 4 + length));
      this.buf = this.buf.subarray(end + 4 + length);
      if (!parsed.ok) continue;
      this.received.push(parsed.message);
      const i = this.waiters.findIndex((w) => w.match(parsed.message));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(parsed.message);
      if (parsed.message.kind === 'request') this.onRequest(parsed.message, this);
    }
  }

  next(match: (m: SipMessage) => boolean, ms = 5000): Promise<SipMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no such message from the UA')), ms);
      this.waiters.push({ match, resolve: (m) => { clearTimeout(timer); resolve(m); } });
    });
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }
}

function response(r: SipRequest, status: number, extra: string[] = []): string {
  const h = (n: string) => r.headers.getAll(n).map((v) => `${n}: ${v}`);
  const to = r.headers.get('To')!;
  return [`SIP/2.0 ${status} ${status === 200 ? 'OK' : 'Error'}`, ...h('Via'), ...h('From'),
    `To: ${/;tag=/.test(to) ? to : `${to};tag=srv`}`, ...h('Call-ID'), ...h('CSeq'), ...extra, 'Content-Length: 0', '', ''].join('\r\n');
}

const xmlDecl = '<?xml version="1.0"?>';
const dialogInfo = (version: number, dialogs = '') =>
  `${xmlDecl}<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="${version}" state="full" entity="sip:evil@x">${dialogs}</dialog-info>`;
const oneMiB = `${xmlDecl}<dialog-info version="1" state="full" entity="sip:e@x"><dialog id="${'a'.repeat(1 << 20)}"><state>early</state></dialog></dialog-info>`;
const hostile: Record<string, string> = {
  'deep nesting': `${xmlDecl}${'<a>'.repeat(6_000)}${'</a>'.repeat(6_000)}`,
  '3,800 elements': `${xmlDecl}<dialog-info version="1" state="full" entity="sip:e@x">${'<dialog id="x"/>'.repeat(3_800)}</dialog-info>`,
  'billion laughs': `${xmlDecl}<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${'b'.repeat(i + 1)} "${`&${i === 0 ? 'a' : 'b'.repeat(i)};`.repeat(10)}">`).join('')}]><dialog-info version="2" state="full" entity="sip:e@x"><dialog id="&bbbbbbbbb;"><state>early</state></dialog></dialog-info>`,
  'external entity': `${xmlDecl}<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><dialog-info version="3" state="full" entity="&x;"/>`,
  'malformed': `${xmlDecl}<dialog-info version="4" state="full" entity="sip:e@x"><dialog id="x"><state>early</dialog>`,
  'not XML': '\u0000\u0001 binary garbage \uFFFD'.repeat(1000),
};

describe('hostile XML bodies at a running phone', () => {
  it('1 MiB, deeply nested, entity-bomb, external-entity and malformed bodies are refused without stalling the UA', async (t) => {
    const scope = testScope(t);
    let flow: Flow | undefined;
    const subscribes: SipRequest[] = [];
    let cseq = 1;
    const server = createServer((socket) => {
      flow = new Flow(socket, (r, f) => {
        if (r.method === 'REGISTER') f.send(response(r, 200, [`Contact: ${r.headers.get('Contact')};expires=600`, 'Expires: 600']));
        else if (r.method === 'SUBSCRIBE') {
          f.send(response(r, 200, ['Contact: <sip:evil@127.0.0.1;transport=tcp>', `Expires: ${r.headers.get('Expires')}`]));
          subscribes.push(r);
        } else if (r.method === 'PUBLISH') f.send(response(r, 200, ['SIP-ETag: e1', 'Expires: 600']));
        else f.send(response(r, 200));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    scope.use({ stop: () => new Promise<void>((resolve) => { flow?.socket.destroy(); server.close(() => resolve()); }) });
    const port = (server.address() as { port: number }).port;
    const domain = `127.0.0.1:${port}`;
    const phone = scope.use(startSoftphone(['listen', '--id', `sip:1001@${domain}`, '--password', 'pw', '--registrar', `sip:${domain};transport=tcp`,
      '--transport', 'tcp', '--bind-address', '127.0.0.1']));
    await phone.waitEvent((e) => e.event === 'registration' && e.state === 'registered', 'registered');
    const evil = `sip:evil@${domain}`;
    phone.command(`subscribe ${evil}`);
    const deadline = Date.now() + 5000;
    while (subscribes.filter((s) => s.headers.get('Event') === 'dialog').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const dialogSub = subscribes.find((s) => s.headers.get('Event') === 'dialog')!;
    assert.ok(dialogSub, 'the phone subscribed to the dialog package');
    const f = flow!;
    const contact = /<([^>]+)>/.exec(dialogSub.headers.get('Contact')!)![1]!;
    const notify = (body: string) => {
      const data = Buffer.from(body, 'utf8');
      f.send(Buffer.concat([Buffer.from([
        `NOTIFY ${contact} SIP/2.0`, `Via: SIP/2.0/TCP 127.0.0.1:${port};branch=z9hG4bKevil${++cseq}`, 'Max-Forwards: 70',
        `From: <${evil}>;tag=srv`, `To: ${dialogSub.headers.get('From')}`, `Call-ID: ${dialogSub.headers.get('Call-ID')}`,
        `CSeq: ${cseq} NOTIFY`, `Contact: <sip:evil@127.0.0.1:${port};transport=tcp>`, 'Event: dialog',
        'Subscription-State: active;expires=600', 'Content-Type: application/dialog-info+xml', `Content-Length: ${data.length}`, '', '',
      ].join('\r\n')), data]));
      return f.next((m) => m.kind === 'response' && m.headers.get('CSeq') === `${cseq} NOTIFY`, 10_000);
    };
    /** OPTIONS round trip on the same flow, ms. */
    const ping = async () => {
      const started = performance.now();
      const n = ++cseq;
      f.send([`OPTIONS ${contact} SIP/2.0`, `Via: SIP/2.0/TCP 127.0.0.1:${port};branch=z9hG4bKping${n}`, 'Max-Forwards: 70',
        `From: <${evil}>;tag=p${n}`, `To: <sip:1001@${domain}>`, `Call-ID: ping-${n}`, `CSeq: ${n} OPTIONS`, 'Content-Length: 0', '', ''].join('\r\n'));
      await f.next((m) => m.kind === 'response' && m.headers.get('CSeq') === `${n} OPTIONS`);
      return performance.now() - started;
    };

    await notify(dialogInfo(0));
    await phone.waitEvent((e) => e.event === 'blf' && e.state === 'idle', 'lamp idle from a valid document');
    const lampsBefore = phone.events.filter((e) => e.event === 'blf').length;
    const figures: string[] = [];
    for (const [name, body] of Object.entries(hostile)) {
      const started = performance.now();
      const answer = await notify(body);
      const answered = performance.now() - started;
      const rtt = await ping();
      figures.push(`${name} (${(Buffer.byteLength(body) / 1024).toFixed(0)} KiB): answered ${answer.kind === 'response' ? answer.status : '?'} in ${answered.toFixed(0)} ms, OPTIONS ${rtt.toFixed(0)} ms`);
      assert.ok(rtt < 500, `${name}: OPTIONS took ${rtt.toFixed(0)} ms`);
    }
    t.diagnostic(figures.join('; '));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(phone.events.filter((e) => e.event === 'blf').length, lampsBefore, 'no hostile body moved the lamp');
    const refusals = phone.events.filter((e) => e.event === 'notice' && /ignored a dialog-info body/.test(String(e.message)));
    assert.equal(refusals.length, Object.keys(hostile).length, refusals.map((e) => e.message).join('\n'));
    // The subscription still works: a valid, newer document rings the lamp.
    await notify(dialogInfo(10, '<dialog id="d1" call-id="c1" local-tag="l" remote-tag="r" direction="recipient"><state>early</state></dialog>'));
    await phone.waitEvent((e) => e.event === 'blf' && e.state === 'ringing', 'lamp ringing from a valid document after the attack');

    // 1 MiB: over the transport's 64 KiB per message, so the phone drops the flow unread.
    const closed = new Promise<void>((resolve) => f.socket.once('close', () => resolve()));
    f.socket.on('error', () => {});
    f.send(Buffer.concat([Buffer.from([`NOTIFY ${contact} SIP/2.0`, `Via: SIP/2.0/TCP 127.0.0.1:${port};branch=z9hG4bKbig`,
      `From: <${evil}>;tag=srv`, `To: ${dialogSub.headers.get('From')}`, `Call-ID: ${dialogSub.headers.get('Call-ID')}`, `CSeq: ${++cseq} NOTIFY`,
      'Event: dialog', 'Subscription-State: active', 'Content-Type: application/dialog-info+xml', `Content-Length: ${Buffer.byteLength(oneMiB)}`, '', '',
    ].join('\r\n')), Buffer.from(oneMiB)]));
    await closed;
    const udpPort = Number((await phone.waitEvent((e) => e.event === 'ready', 'ready')).port);
    const udp = createSocket('udp4');
    scope.use({ stop: () => new Promise<void>((resolve) => udp.close(() => resolve())) });
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    const started = performance.now();
    const pong = new Promise<string>((resolve) => udp.once('message', (m) => resolve(m.toString())));
    udp.send([`OPTIONS sip:1001@127.0.0.1:${udpPort} SIP/2.0`, `Via: SIP/2.0/UDP 127.0.0.1:${udp.address().port};branch=z9hG4bKafter`,
      'Max-Forwards: 70', 'From: <sip:probe@127.0.0.1>;tag=a', `To: <sip:1001@127.0.0.1:${udpPort}>`, 'Call-ID: after-big', 'CSeq: 1 OPTIONS',
      'Content-Length: 0', '', ''].join('\r\n'), udpPort, '127.0.0.1');
    assert.match(await pong, /^SIP\/2\.0 200 /);
    t.diagnostic(`after the 1 MiB NOTIFY: flow dropped, OPTIONS over UDP answered in ${(performance.now() - started).toFixed(0)} ms`);
    phone.command('quit');
    assert.equal(await phone.exited, 0);
  });
});
