/** SRTP/SRTCP behaviour (RFC 3711 §3.3, §3.4): round trips, auth, replay window, ROC across the wrap, key hygiene. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { SrtpContext, guessRoc } from '../../../src-main/media/srtp/srtp-context.js';
import type { SrtpSuiteName } from '../../../src-main/media/srtp/crypto-suite.js';
import { ReplayWindow } from '../../../src-main/media/srtp/replay-window.js';
import { writeRtp } from '../../../src-main/media/rtp/rtp-packet.js';
import { buildRtcp } from '../../../src-main/media/rtp/rtcp.js';

const KEY = Uint8Array.from({ length: 30 }, (_, i) => (i * 37 + 11) & 0xff);
const SUITES: SrtpSuiteName[] = ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'];

function rtp(seq: number, ssrc = 0x1234abcd, payloadLength = 160): Uint8Array {
  const payload = Uint8Array.from({ length: payloadLength }, (_, i) => (i + seq) & 0xff);
  const out = new Uint8Array(12 + payloadLength);
  writeRtp(out, { marker: false, payloadType: 0, sequence: seq & 0xffff, timestamp: (seq * 160) >>> 0, ssrc }, payload);
  return out;
}

const pair = (suite: SrtpSuiteName = 'AES_CM_128_HMAC_SHA1_80', window?: number) => ({
  tx: new SrtpContext(suite, KEY),
  rx: new SrtpContext(suite, KEY, window ? { replayWindow: window } : {}),
});

test('RFC 3711 §3.3: round trip for both suites; payload is encrypted, header is not; tag length per suite', () => {
  for (const suite of SUITES) {
    const { tx, rx } = pair(suite);
    const plain = rtp(1000);
    const wire = tx.protectRtp(plain);
    assert.equal(wire.length, plain.length + (suite.endsWith('80') ? 10 : 4));
    assert.deepEqual(wire.subarray(0, 12), plain.subarray(0, 12));
    assert.notDeepEqual(wire.subarray(12, plain.length), plain.subarray(12));
    assert.deepEqual(rx.unprotectRtp(wire.slice()), plain);
  }
});

test('protectRtp writes into a caller buffer when it is large enough', () => {
  const { tx } = pair();
  const out = new Uint8Array(1500);
  const wire = tx.protectRtp(rtp(1), out);
  assert.equal(wire.buffer, out.buffer);
  assert.equal(wire.length, 172 + 10);
});

test('RFC 3711 §3.3: a tampered tag, payload or header is an auth error and leaves the state untouched', () => {
  const { tx, rx } = pair();
  const wire = tx.protectRtp(rtp(5));
  for (const at of [wire.length - 1, 20, 3]) {
    const bad = wire.slice();
    bad[at] = bad[at]! ^ 0x01;
    assert.deepEqual(rx.unprotectRtp(bad), { error: 'auth' }, `flip at ${at}`);
  }
  assert.deepEqual(rx.unprotectRtp(wire.slice()), rtp(5)); // the genuine one still passes
  assert.equal(rx.toJSON().authFailures, 3);
});

test('RFC 3711 §3.3.2: a replayed packet is rejected', () => {
  const { tx, rx } = pair();
  const wire = tx.protectRtp(rtp(7));
  assert.ok(rx.unprotectRtp(wire.slice()) instanceof Uint8Array);
  assert.deepEqual(rx.unprotectRtp(wire.slice()), { error: 'replay' });
  assert.equal(rx.toJSON().replays, 1);
});

test('RFC 3711 §3.3.2: out-of-order within the window is accepted once; behind the window it is a replay', () => {
  const { tx, rx } = pair('AES_CM_128_HMAC_SHA1_80', 64);
  const wires = Array.from({ length: 100 }, (_, i) => tx.protectRtp(rtp(2000 + i)));
  for (let i = 0; i < 100; i++) if (i !== 50 && i !== 10) assert.ok(rx.unprotectRtp(wires[i]!.slice()) instanceof Uint8Array);
  // 50 is 49 behind the highest (99): inside a 64-packet window.
  assert.deepEqual(rx.unprotectRtp(wires[50]!.slice()), rtp(2050));
  assert.deepEqual(rx.unprotectRtp(wires[50]!.slice()), { error: 'replay' });
  // 10 is 89 behind: outside the window.
  assert.deepEqual(rx.unprotectRtp(wires[10]!.slice()), { error: 'replay' });
});

test('RFC 3711 §3.3.1: the sequence wrap 65535 → 0 increments the ROC on both sides', () => {
  const { tx, rx } = pair();
  for (let seq = 65530; seq < 65536 + 10; seq++) {
    const wire = tx.protectRtp(rtp(seq));
    assert.deepEqual(rx.unprotectRtp(wire.slice()), rtp(seq), `seq ${seq}`);
  }
  assert.deepEqual(rx.toJSON().sources, [{ ssrc: 0x1234abcd, roc: 1 }]);
  // A late packet from before the wrap (ROC 0) still decrypts within the window.
  const tx2 = new SrtpContext('AES_CM_128_HMAC_SHA1_80', KEY);
  const { rx: rx2 } = pair();
  const late = tx2.protectRtp(rtp(65534));
  const afterWrap = [65535, 0, 1].map((s) => tx2.protectRtp(rtp(s)));
  for (const w of afterWrap) assert.ok(rx2.unprotectRtp(w.slice()) instanceof Uint8Array);
  assert.deepEqual(rx2.unprotectRtp(late.slice()), rtp(65534));
});

test('RFC 3711 §3.3.1: a receiver guessing the wrong ROC fails authentication (the ROC is authenticated)', () => {
  const tx = new SrtpContext('AES_CM_128_HMAC_SHA1_80', KEY);
  for (let seq = 65000; seq < 65536 + 40000; seq += 100) tx.protectRtp(rtp(seq));
  const afterWrap = tx.protectRtp(rtp(65536 + 40000)); // ROC 1, seq 40000
  const { rx } = pair(); // a fresh receiver starts with ROC 0 at this packet
  assert.deepEqual(rx.unprotectRtp(afterWrap.slice()), { error: 'auth' });
});

test('RFC 3711 Appendix A: ROC guess around s_l', () => {
  assert.equal(guessRoc(3, 100, 200), 3);
  assert.equal(guessRoc(3, 100, 65000), 2);
  assert.equal(guessRoc(3, 65000, 100), 4);
  assert.equal(guessRoc(3, 65000, 64000), 3);
  assert.equal(guessRoc(0, 10, 60000), -1);
});

test('ReplayWindow: minimum size 64, sliding and too-old', () => {
  assert.throws(() => new ReplayWindow(32));
  const w = new ReplayWindow(64);
  assert.equal(w.check(5), 'new');
  w.accept(5);
  assert.equal(w.check(5), 'replay');
  w.accept(200);
  assert.equal(w.check(136), 'too-old');
  assert.equal(w.check(137), 'new');
  assert.equal(w.check(199), 'new');
  w.accept(199);
  assert.equal(w.check(199), 'replay');
  assert.equal(w.check(201), 'new');
});

test('malformed SRTP/SRTCP packets are reported, never thrown', () => {
  const { rx } = pair();
  assert.deepEqual(rx.unprotectRtp(new Uint8Array(15)), { error: 'malformed' });
  assert.deepEqual(rx.unprotectRtp(new Uint8Array(0)), { error: 'malformed' });
  assert.deepEqual(rx.unprotectRtcp(new Uint8Array(21)), { error: 'malformed' });
  const cc15 = rtp(1);
  cc15[0] = 0x8f; // 15 CSRCs: header longer than the packet once the tag is removed
  assert.deepEqual(rx.unprotectRtp(cc15.subarray(0, 60)), { error: 'malformed' });
});

test('RFC 3711 §3.4: SRTCP round trip, E bit and increasing index, replay and tamper rejected', () => {
  for (const suite of SUITES) {
    const { tx, rx } = pair(suite);
    const rr = buildRtcp([{ type: 'RR', ssrc: 0x1234abcd, reports: [] }, { type: 'SDES', chunks: [{ ssrc: 0x1234abcd, items: [{ type: 1, value: 'a@b' }] }] }]);
    const first = tx.protectRtcp(rr);
    const second = tx.protectRtcp(rr);
    assert.equal(first.length, rr.length + 4 + 10);
    assert.deepEqual(first.subarray(rr.length, rr.length + 4), Uint8Array.from([0x80, 0, 0, 0]));
    assert.deepEqual(second.subarray(rr.length, rr.length + 4), Uint8Array.from([0x80, 0, 0, 1]));
    assert.notDeepEqual(first.subarray(8, rr.length), rr.subarray(8));
    assert.deepEqual(rx.unprotectRtcp(second.slice()), rr);
    assert.deepEqual(rx.unprotectRtcp(first.slice()), rr); // reordered, inside the window
    assert.deepEqual(rx.unprotectRtcp(first.slice()), { error: 'replay' });
    const bad = tx.protectRtcp(rr);
    bad[10] = bad[10]! ^ 0x80;
    assert.deepEqual(rx.unprotectRtcp(bad), { error: 'auth' });
  }
});

test('keys never appear in toJSON, inspect or thrown errors', () => {
  const { tx, rx } = pair();
  rx.unprotectRtp(tx.protectRtp(rtp(1)));
  const keyHex = Buffer.from(KEY.subarray(0, 16)).toString('hex');
  const saltHex = Buffer.from(KEY.subarray(16)).toString('hex');
  for (const text of [JSON.stringify(rx), inspect(rx, { depth: 10, showHidden: true })]) {
    const flat = text.replace(/[^0-9a-f]/gi, '').toLowerCase();
    assert.ok(!flat.includes(keyHex) && !flat.includes(saltHex), text);
    assert.ok(!/\b(?:0x)?[0-9a-f]{2}(?:[ ,]+(?:0x)?[0-9a-f]{2}){15}/i.test(text), 'no byte dumps');
  }
  assert.deepEqual(Object.keys(rx.toJSON()).sort(), ['authFailures', 'malformed', 'protected', 'replays', 'sources', 'suite', 'unprotected']);
  assert.throws(() => new SrtpContext('AES_CM_128_HMAC_SHA1_80', KEY.subarray(0, 29)), (e: Error) => !e.message.includes(keyHex.slice(0, 8)));
});
