/**
 * STUN on the SIP UDP socket (RFC 5626 §4.4.2, RFC 7983 §7), with byte fixtures on loopback: our
 * Binding request leaves the SIP port, only the answer to it (its transaction id, from where it
 * went) is taken; strangers' STUN, requests and garbage in STUN's first-byte range never reach the
 * SIP parser and get no reply.
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:dgram';
import { TransportLayer } from '../../../src-main/sip/transport/transport-layer.js';
import { isStunRange } from '../../../src-main/sip/transport/udp-stun.js';
import type { IncomingMessage } from '../../../src-main/sip/transport/types.js';
import { sequenceRandom } from '../../../src-main/util/random.js';
import { TestClock } from '../../support/test-clock.js';
import { rawUdp, until } from './helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Transaction id 12 × 0x00 (sequenceRandom([0]) draws zeroes): RFC 8489 §5 header fields below. */
const ZERO_TID = '000000000000000000000000';
/**
 * Binding success response (0x0101), length 12, cookie, tid 0, XOR-MAPPED-ADDRESS (0x0020, 8 bytes):
 * family 1, port 32853 ^ 0x2112 = 0xa147, 192.0.2.1 ^ 0x2112a442 = 0xe112a643 (RFC 8489 §14.2).
 */
const RESPONSE = Buffer.from(`0101000c2112a442${ZERO_TID}002000080001a147e112a643`, 'hex');
/** The same for another transaction id (ours never was 0x01…). */
const STRANGER_RESPONSE = Buffer.from(`0101000c2112a442${'01'.repeat(12)}002000080001a147e112a643`, 'hex');
/** A Binding request (0x0001) a stranger sends to make us answer (a reflector). */
const STRANGER_REQUEST = Buffer.from(`000100002112a442${'ab'.repeat(12)}`, 'hex');
/** A Binding indication (0x0011). */
const INDICATION = Buffer.from(`001100002112a442${'cd'.repeat(12)}`, 'hex');
/** First byte in STUN's range, no magic cookie. */
const GARBAGE = Buffer.from('0100000c00000000' + '00'.repeat(24), 'hex');


async function layer() {
  // A manual clock: no retransmission unless a test moves time.
  const t = new TransportLayer({ bindAddress: '127.0.0.1', udpPort: 0, clock: new TestClock(), random: sequenceRandom([0]) });
  await t.start();
  cleanups.push(() => t.stop());
  const inbox: IncomingMessage[] = [];
  t.onMessage((m) => inbox.push(m));
  return { t, inbox, port: t.localAddress('udp').port };
}

const send = (s: Socket, data: Buffer, port: number) => new Promise<void>((r) => s.send(data, port, '127.0.0.1', () => r()));

test('RFC 7983 §7 first-byte ranges: 0..3 is STUN, a SIP start line never is', () => {
  assert.equal(isStunRange(RESPONSE), true);
  assert.equal(isStunRange(STRANGER_REQUEST), true);
  assert.equal(isStunRange(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\n')), false);
  assert.equal(isStunRange(Buffer.from('SIP/2.0 200 OK\r\n')), false);
  assert.equal(isStunRange(Buffer.from('\r\n\r\n')), false, 'a CRLF keep-alive is not STUN');
  assert.equal(isStunRange(Buffer.alloc(0)), false);
  assert.equal(isStunRange(Buffer.from([0x04])), false);
});

test('our Binding request leaves the SIP port; only its answer, from where it went, is taken', async () => {
  const { t, inbox, port } = await layer();
  const server = await rawUdp(cleanups);
  const stranger = await rawUdp(cleanups);
  const pending = t.stunBinding({ address: '127.0.0.1', port: server.port });
  await until(() => server.inbox.length === 1, 'our Binding request');
  const req = server.inbox[0]!;
  assert.equal(req.readUInt16BE(0), 0x0001, 'Binding request');
  assert.equal(req.readUInt32BE(4), 0x2112a442, 'magic cookie');
  assert.equal(req.subarray(8, 20).toString('hex'), ZERO_TID);
  assert.equal(req.readUInt16BE(req.length - 8), 0x8028, 'FINGERPRINT last (RFC 8489 §14.7)');

  // The right bytes from the wrong host: dropped (it would be a spoofed mapping).
  await send(stranger.socket, RESPONSE, port);
  await until(() => t.stats().stun.dropped === 1, 'the stranger\'s copy dropped');
  await send(server.socket, RESPONSE, port);
  const outcome = await pending;
  assert.deepEqual(outcome, { ok: true, mapped: { address: '192.0.2.1', port: 32853 } });
  const stats = t.stats();
  assert.equal(stats.stun.accepted, 1);
  assert.equal(stats.parseErrors, 0, 'nothing reached the SIP parser');
  assert.equal(inbox.length, 0);
  assert.equal(stranger.inbox.length, 0, 'nothing sent to the stranger');
});

test('strangers\' STUN (requests, indications, unknown transactions) and garbage: dropped, no reply, not SIP', async () => {
  const { t, inbox, port } = await layer();
  const stranger = await rawUdp(cleanups);
  for (const bytes of [STRANGER_REQUEST, INDICATION, STRANGER_RESPONSE, RESPONSE, GARBAGE]) await send(stranger.socket, bytes, port);
  await until(() => t.stats().stun.received === 5, 'five datagrams demultiplexed');
  // A malformed SIP request after them gets its stateless 400: the socket is served in order, so
  // by the time the 400 arrives every STUN datagram before it was handled without a reply.
  const malformed = `OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${stranger.port};branch=z9hG4bK3;rport\r\n` +
    'From: <sip:a@127.0.0.1>;tag=x\r\nTo: <sip:b@127.0.0.1>\r\nCall-ID: bad@x\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: lots\r\n\r\n';
  await send(stranger.socket, Buffer.from(malformed), port);
  await until(() => stranger.inbox.length >= 1, 'the 400');
  assert.equal(stranger.inbox.length, 1);
  assert.match(stranger.inbox[0]!.toString('latin1'), /^SIP\/2\.0 400 /);
  const stats = t.stats();
  assert.deepEqual(stats.stun, { received: 5, accepted: 0, dropped: 5, sent: 0 });
  assert.equal(stats.parseErrors, 1, 'only the SIP request reached the SIP parser');
  assert.equal(inbox.length, 0);
});

test('no answer: the Binding transaction times out after RFC 8489 §6.2.1 retransmissions (7 sends)', async () => {
  const clock = new TestClock();
  const t = new TransportLayer({ bindAddress: '127.0.0.1', udpPort: 0, clock, random: sequenceRandom([0]) });
  await t.start();
  cleanups.push(() => t.stop());
  const server = await rawUdp(cleanups);
  const pending = t.stunBinding({ address: '127.0.0.1', port: server.port });
  clock.advance(39_499);
  let settled = false;
  void pending.then(() => (settled = true));
  await until(() => server.inbox.length === 7, 'seven sends');
  assert.equal(settled, false);
  clock.advance(1);
  assert.deepEqual(await pending, { ok: false, answered: false, detail: 'no STUN answer (timeout)' });
});
