/**
 * Hostile STUN on the SIP UDP port (issue 13; RFC 5626 §4.4.2, RFC 7983 §7). The real CLI is
 * registered over UDP with Kamailio (stun module, Flow-Timer 5 s), so its STUN keep-alive client
 * has requests in flight, while strangers on eight loopback addresses send 12,000 datagrams to its
 * SIP port: Binding requests (asking us to reflect), Binding success responses with random
 * transaction ids and a forged XOR-MAPPED-ADDRESS (poisoning the mapping), indications, and
 * garbage in STUN's first-byte range (truncated, wrong cookie, wrong length, oversized).
 * Expected: not one datagram back to any stranger (no reflector), no notice per datagram (the SIP
 * parser never saw them), no forged mapping taken, no re-REGISTER, the process alive and still
 * registered with its keep-alives answered, and SIP still served on the port afterwards.
 * Every loop is bounded.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startKamailio, testScope } from '../interop/harness/index.js';
import { startSoftphone, type SoftphoneEvent } from '../support/softphone-process.js';
import { seededRandom } from '../support/seeded-random.js';
import { sleep, Stranger } from './hostile-sip-peer.js';

const COOKIE = Buffer.from('2112a442', 'hex');

function header(type: number, length: number, tid: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(length, 2);
  COOKIE.copy(h, 4);
  tid.copy(h, 8);
  return h;
}

/** XOR-MAPPED-ADDRESS pointing at 203.0.113.66:6666 (a forged mapping), RFC 8489 §14.2. */
function forgedResponse(tid: Buffer): Buffer {
  const attr = Buffer.alloc(12);
  attr.writeUInt16BE(0x0020, 0);
  attr.writeUInt16BE(8, 2);
  attr[5] = 1;
  attr.writeUInt16BE(6666 ^ 0x2112, 6);
  attr.writeUInt32BE((((203 << 24) | (0 << 16) | (113 << 8) | 66) ^ 0x2112a442) >>> 0, 8);
  return Buffer.concat([header(0x0101, 12, tid), attr]);
}

describe('hostile STUN on the SIP UDP port', () => {
  it('12,000 stranger datagrams in STUN\'s range: no reply, no notice flood, no forged mapping, still registered', async (t) => {
    const scope = testScope(t);
    const kamailio = scope.use(await startKamailio({ dir: scope.dir, tcp: false, stun: true, flowTimer: 5 }));
    const phone = scope.use(startSoftphone(['listen', '--id', `sip:1001@127.0.0.1:${kamailio.udpPort}`, '--password', 'pw1001',
      '--null-audio', '--local-port', '0']));
    const reg = await phone.waitEvent((e) => e.event === 'registration' && e.state !== 'registering', 'registration', 20_000);
    assert.equal(reg.state, 'registered', JSON.stringify(reg));
    const port = Number((phone.events.find((e) => e.event === 'ready') as SoftphoneEvent).port);
    const first = await phone.waitEvent((e) => e.event === 'sip-mapping', 'a keep-alive answer', 20_000);
    assert.deepEqual([first.address, first.port], ['127.0.0.1', port]);
    const noticesBefore = phone.events.filter((e) => e.event === 'notice').length;

    const strangers = await Promise.all(Array.from({ length: 8 }, (_, i) => Stranger.open(`127.0.0.${i + 2}`)));
    t.after(async () => { for (const s of strangers) await s.close(); });
    const next = seededRandom(13);
    const random = { int: (max: number) => Math.floor(next() * max) };
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => random.int(256)));
    const kinds = [
      () => header(0x0001, 0, bytes(12)), // Binding request: answering would make us a reflector
      () => forgedResponse(bytes(12)), // success response, unknown transaction, forged mapping
      () => header(0x0111, 0, bytes(12)), // error response
      () => header(0x0011, 0, bytes(12)), // indication
      () => Buffer.concat([Buffer.from([random.int(4)]), bytes(random.int(60))]), // garbage in range
      () => Buffer.concat([header(0x0101, 400, bytes(12)), bytes(8)]), // length lies
      () => Buffer.concat([header(0x0101, 1380, bytes(12)), bytes(1380)]), // oversized attributes
      () => { const b = forgedResponse(bytes(12)); b[4] = 0; return b; }, // wrong cookie
    ];
    const total = 12_000;
    for (let n = 0; n < total; n++) {
      const s = strangers[n % strangers.length]!;
      s.socket.send(kinds[n % kinds.length]!(), port, '127.0.0.1');
      if (n % 200 === 199) await sleep(5);
    }
    // Past the next keep-alive (4-5 s): the real flow is still answered, the forged mapping never taken.
    await sleep(7_000);

    const replies = strangers.reduce((sum, s) => sum + s.received.length, 0);
    assert.equal(replies, 0, 'not one datagram back to a stranger');
    const notices = phone.events.filter((e) => e.event === 'notice').slice(noticesBefore).map((e) => String(e.message));
    assert.ok(notices.length < 5, `no notice per datagram (${notices.length}): ${notices.slice(0, 5).join('; ')}`);
    const mappings = phone.events.filter((e) => e.event === 'sip-mapping');
    assert.deepEqual(mappings.map((e) => `${e.address}:${e.port}`), [`127.0.0.1:${port}`], 'the forged mapping was never taken');
    assert.ok(!phone.events.some((e) => e.event === 'registration' && e.state === 'failed'), 'still registered');
    let exited = false;
    void phone.exited.then(() => (exited = true));
    await sleep(0);
    assert.equal(exited, false, 'the CLI is alive');
    // SIP is still served on the same port after the flood.
    const probe = strangers[0]!;
    probe.send([
      `OPTIONS sip:127.0.0.1:${port} SIP/2.0`, `Via: SIP/2.0/UDP ${probe.address}:${probe.port};branch=z9hG4bKafter;rport`,
      'Max-Forwards: 70', `From: <sip:probe@${probe.address}>;tag=p1`, `To: <sip:127.0.0.1:${port}>`, 'Call-ID: after-flood@probe',
      'CSeq: 1 OPTIONS', 'Content-Length: 0', '', '',
    ].join('\r\n'), port);
    const answer = await probe.waitFor((d) => d.header('Call-ID') === 'after-flood@probe', 'an answer to OPTIONS after the flood');
    assert.ok(answer.status !== undefined && answer.status >= 200, answer.startLine);
    const registrations = (await kamailio.registrations()).filter((r) => r.aor === '1001');
    assert.equal(registrations.length, 1);
    assert.match(registrations[0]!.contact, new RegExp(`@127\\.0\\.0\\.1:${port}\\b`), 'the binding is untouched');
  });
});
