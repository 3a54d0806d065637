/**
 * One AudioStream on real loopback sockets against a scripted peer (127.0.0.1) and an attacker
 * (127.0.0.2 — all of 127/8 is loopback on Linux): latching only to the SDP's IP (RFC 4961 with
 * RFC 3550 A.1 probation), RTCP only from the latched peer, SRTP send/receive independence and
 * no index reuse under one key (RFC 3711 §3.3.1, §9.1), refused configurations, and a stream whose
 * packet work throws ends alone.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { AudioStream, type AudioStreamEvents } from '../../../src-main/media/engine/audio-stream.js';
import type { StreamConfig } from '../../../src-main/media/engine/protocol.js';
import { buildRtcp } from '../../../src-main/media/rtp/rtcp.js';
import { parseRtp, writeRtp } from '../../../src-main/media/rtp/rtp-packet.js';
import { SrtpContext } from '../../../src-main/media/srtp/srtp-context.js';
import { systemClock, type Clock } from '../../../src-main/util/clock.js';
import { cryptoRandom } from '../../../src-main/util/random.js';

const PEER_IP = '127.0.0.1';
const EVIL_IP = '127.0.0.2';
const SUITE = 'AES_CM_128_HMAC_SHA1_80';
const key = (fill: number) => Buffer.alloc(30, fill).toString('base64');

interface Endpoint { socket: Socket; port: number; received: Buffer[] }

async function endpoint(address: string): Promise<Endpoint> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  // Bursts of 60 packets written in one go: room for them all (a loaded machine drains late).
  socket.setRecvBufferSize(4 * 1024 * 1024);
  const e: Endpoint = { socket, port: socket.address().port, received: [] };
  socket.on('message', (m) => e.received.push(m));
  return e;
}

const settle = (ms = 30) => new Promise((r) => setTimeout(r, ms));

function events(): AudioStreamEvents & { failures: unknown[] } {
  const failures: unknown[] = [];
  return { dtmf: () => {}, noRtp: () => {}, failed: (e) => failures.push(e), failures };
}

async function openStream(ev = events(), clock: Clock = systemClock()) {
  return AudioStream.open('s1', PEER_IP, undefined, { clock, random: cryptoRandom, deviceRate: 48000, cname: 'test@nimbus', events: ev });
}

function config(peerPort: number, extra: Partial<StreamConfig> = {}): StreamConfig {
  return {
    remoteAddress: PEER_IP, remotePort: peerPort, remoteRtcpPort: peerPort, rtcpMux: true, codec: 'PCMU', payloadType: 0,
    telephoneEventPt: undefined, ptime: 20, direction: 'sendrecv', srtp: undefined, ...extra,
  };
}

/** A PCMU packet of 160 bytes (20 ms). */
function rtp(seq: number, ssrc: number, fill = 0x55): Uint8Array {
  const out = new Uint8Array(12 + 160);
  writeRtp(out, { marker: false, payloadType: 0, sequence: seq, timestamp: seq * 160, ssrc }, new Uint8Array(160).fill(fill));
  return out;
}

const send = (from: Endpoint, to: number, data: Uint8Array) => from.socket.send(data, to, PEER_IP);
/** 20 ms of 48 kHz microphone: one packet per call once the codec's frame is full. */
const frame = new Int16Array(960).fill(1000);

/** `n` microphone frames in small bursts, as a device would (a loaded machine drops long bursts). */
async function frames(stream: AudioStream, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    stream.sendFrame(frame);
    if (i % 5 === 4) await settle(2);
  }
}

describe('RTP source checks on a live stream', () => {
  let peer: Endpoint;
  let evil: Endpoint;
  before(async () => {
    peer = await endpoint(PEER_IP);
    evil = await endpoint(EVIL_IP);
  });
  after(() => {
    peer.socket.close();
    evil.socket.close();
  });

  it('an RTP stream injected from another IP first never latches: our audio keeps going to the SDP peer', async () => {
    peer.received.length = evil.received.length = 0;
    const stream = await openStream();
    try {
      stream.start(config(peer.port));
      for (let i = 0; i < 50; i++) send(evil, stream.localPort, rtp(1000 + i, 0xbad));
      await settle();
      for (let i = 0; i < 10; i++) stream.sendFrame(frame);
      await settle();
      assert.equal(evil.received.length, 0, 'nothing reached the attacker');
      assert.equal(peer.received.length, 10);
      assert.equal(stream.stats()!.packetsReceived, 0, 'the injected packets were not taken');
      // The real peer, sending from another port of its IP (a NAT), latches after probation.
      for (let i = 0; i < 20; i++) send(peer, stream.localPort, rtp(i, 0x600d));
      for (let i = 0; i < 20; i++) send(evil, stream.localPort, rtp(2000 + i, 0xbad));
      await settle();
      const received = stream.stats()!.packetsReceived;
      // The latch's probation (RFC 3550 A.1) holds back the first packet; the receiver statistics run A.1 again.
      assert.ok(received >= 18 && received <= 19, `${received} of the peer's 20 packets taken`);
      const security = stream.security as { latch: { latched: { ssrc: number }; foreignAddress: number } };
      assert.equal(security.latch.latched.ssrc, 0x600d);
      assert.equal(security.latch.foreignAddress, 70);
    } finally {
      stream.close();
    }
  });

  it('a re-INVITE to the same address keeps the latch (audio keeps going to the NAT port it came from)', async () => {
    const nat = await endpoint(PEER_IP);
    peer.received.length = nat.received.length = 0;
    const stream = await openStream();
    try {
      stream.start(config(peer.port));
      for (let i = 0; i < 3; i++) send(nat, stream.localPort, rtp(i, 0x77));
      await settle();
      stream.start(config(peer.port, { direction: 'sendonly' }));
      stream.start(config(peer.port));
      for (let i = 0; i < 5; i++) stream.sendFrame(frame);
      await settle();
      assert.equal(nat.received.length >= 5, true, 'sent to the latched source');
      assert.equal(peer.received.filter((d) => d[1] !== 200 && d[1] !== 201).length, 0, 'not back to the SDP port');
    } finally {
      stream.close();
      nat.socket.close();
    }
  });

  it('RTCP from another IP, or without the peer SSRC, changes nothing; the peer\'s moves Opus FEC within bounds', async () => {
    peer.received.length = 0;
    const stream = await openStream();
    try {
      stream.start(config(peer.port, { codec: 'opus', payloadType: 111 }));
      stream.sendFrame(frame);
      await settle();
      const ours = parseRtp(peer.received[0]!)!.ssrc;
      const report = (sender: number) => buildRtcp([{ type: 'RR', ssrc: sender, reports: [{
        ssrc: ours, fractionLost: 255, cumulativeLost: 1000, highestSequence: 1, jitter: 0, lastSr: 0, delaySinceLastSr: 0,
      }] }]);
      for (let i = 0; i < 2; i++) send(peer, stream.localPort, opusRtp(i, 0x600d));
      await settle();
      send(evil, stream.localPort, report(0x600d));
      send(peer, stream.localPort, report(0x1234));
      await settle();
      const loss = () => (stream.security as { lossPercent: number }).lossPercent;
      assert.equal(loss(), 0, 'forged reports ignored');
      send(peer, stream.localPort, report(0x600d));
      send(peer, stream.localPort, report(0x600d));
      await settle();
      assert.equal(loss(), 10, 'a 100% loss report moves FEC by 10 points, once per 2 s');
    } finally {
      stream.close();
    }
  });
});

/** An Opus packet (one 20 ms CELT frame of silence: TOC 0xf8 + filler). */
function opusRtp(seq: number, ssrc: number): Uint8Array {
  const out = new Uint8Array(12 + 3);
  writeRtp(out, { marker: false, payloadType: 111, sequence: seq, timestamp: seq * 960, ssrc }, Uint8Array.of(0xf8, 0xff, 0xfe));
  return out;
}

describe('SRTP send and receive contexts are independent (RFC 3711 §3.3.1, RFC 4568 §7.1.4)', () => {
  it('a peer re-key rebuilds only the receive side: our index goes on, and no keystream repeats under our key', async () => {
    const peer = await endpoint(PEER_IP);
    const stream = await openStream();
    try {
      const srtp = (remote: number) => ({ suite: SUITE, localKey: key(1), remoteKey: key(remote) });
      stream.start(config(peer.port, { srtp: srtp(2) }));
      await frames(stream, 30);
      // The peer re-keys (its re-INVITE carries a new a=crypto): our answer keeps our key.
      stream.start(config(peer.port, { srtp: srtp(3) }));
      await frames(stream, 30);
      await settle();
      const sent = peer.received.filter((d) => d[1] !== 200 && d[1] !== 201 && (d[1]! & 0x7f) === 0);
      assert.equal(sent.length, 60, `${peer.received.length} received: ${peer.received.map((d) => `${d[1]}/${d.length}/${parseRtp(d)?.sequence}`).join(" ")}`);
      // One receive context for our key authenticates every packet, before and after: nothing replayed.
      const theirs = new SrtpContext(SUITE, Buffer.from(key(1), 'base64'));
      const plain = sent.map((c) => {
        const copy = Uint8Array.from(c);
        const p = theirs.unprotectRtp(copy);
        assert.ok(p instanceof Uint8Array, `packet ${parseRtp(c.subarray(0, c.length - 10))?.sequence} failed: ${JSON.stringify(p)}`);
        return p;
      });
      const seqs = plain.map((p) => parseRtp(p)!.sequence);
      assert.deepEqual(seqs.slice(1).map((s, i) => (s - seqs[i]! + 65536) % 65536), Array(59).fill(1), 'the sequence goes on');
      assertNoKeystreamReuse(sent, plain);
      // Receiving works with the peer's new key.
      const peerTx = new SrtpContext(SUITE, Buffer.from(key(3), 'base64'));
      for (let i = 0; i < 5; i++) send(peer, stream.localPort, peerTx.protectRtp(rtp(i, 0x600d)));
      await settle();
      const rx = (stream.security as { srtpRx: { unprotected: number; authFailures: number } }).srtpRx;
      assert.deepEqual([rx.unprotected, rx.authFailures], [5, 0], 'a fresh receive context for the peer\'s new key');
    } finally {
      stream.close();
      peer.socket.close();
    }
  });

  it('a second send context under a key already used is refused (its ROC and SRTCP index would start again)', async () => {
    const stream = await openStream();
    try {
      stream.start(config(4000, { srtp: { suite: SUITE, localKey: key(1), remoteKey: key(2) } }));
      stream.start(config(4000, { srtp: { suite: SUITE, localKey: key(5), remoteKey: key(2) } }));
      assert.throws(() => stream.start(config(4000, { srtp: { suite: SUITE, localKey: key(1), remoteKey: key(2) } })), /send key reused/);
      assert.throws(() => stream.start(config(4000, { srtp: { suite: 'AES_CM_128_HMAC_SHA1_32', localKey: key(5), remoteKey: key(2) } })),
        /send key reused/, 'the same key under the other suite derives the same session keys');
      stream.start(config(4000, { srtp: { suite: SUITE, localKey: key(5), remoteKey: key(9) } }));
    } finally {
      stream.close();
    }
  });

  it('the XOR check does catch keystream reuse (two contexts under one key, as before this fix)', () => {
    const a = new SrtpContext(SUITE, Buffer.from(key(1), 'base64'));
    const b = new SrtpContext(SUITE, Buffer.from(key(1), 'base64'));
    const p1 = rtp(7, 1, 0x11);
    const p2 = rtp(7, 1, 0x22);
    assert.throws(() => assertNoKeystreamReuse([a.protectRtp(p1), b.protectRtp(p2)], [p1, p2]), /keystream reused/);
  });
});

/** For every pair under one key: c1 ⊕ c2 = p1 ⊕ p2 over the payload means the same keystream was used. */
function assertNoKeystreamReuse(cipher: Uint8Array[], plain: Uint8Array[]): void {
  for (let i = 0; i < cipher.length; i++) {
    for (let j = i + 1; j < cipher.length; j++) {
      const n = Math.min(plain[i]!.length, plain[j]!.length);
      let same = true;
      for (let k = 12; k < n && same; k++) same = (cipher[i]![k]! ^ cipher[j]![k]!) === (plain[i]![k]! ^ plain[j]![k]!);
      assert.ok(!same, `keystream reused between packets ${i} and ${j}`);
    }
  }
}

describe('refused configurations and isolated failures', () => {
  it('start() refuses what could hang or crash the worker, and the stream keeps its previous configuration', async () => {
    const peer = await endpoint(PEER_IP);
    const stream = await openStream();
    try {
      stream.start(config(peer.port));
      assert.throws(() => stream.start(config(peer.port, { ptime: 0 })), /ptime 0/);
      assert.throws(() => stream.start(config(65535, { rtcpMux: false, remoteRtcpPort: 65536 })), /port/);
      assert.throws(() => stream.start(config(peer.port, { remoteAddress: 'evil.example' })), /IP literal/);
      stream.sendFrame(frame);
      await settle();
      assert.equal(peer.received.length, 1, 'still sending 20 ms packets to the peer');
    } finally {
      stream.close();
      peer.socket.close();
    }
  });

  it('c=0.0.0.0 (RFC 3264 §8.4): nothing is sent, not even RTCP', async () => {
    const stream = await openStream();
    try {
      stream.start(config(4000, { remoteAddress: '0.0.0.0', direction: 'recvonly' }));
      stream.sendFrame(frame);
      stream.close();
      assert.equal(stream.stats()!.packetsSent, 0);
    } finally {
      stream.close();
    }
  });

  it('a packet whose processing throws is caught in the socket handler and reported as this stream\'s failure', async () => {
    const peer = await endpoint(PEER_IP);
    const ev = events();
    let explode = false;
    const real = systemClock();
    const clock: Clock = { ...real, now: () => { if (explode) throw new Error('boom'); return real.now(); } };
    const stream = await openStream(ev, clock);
    try {
      stream.start(config(peer.port));
      explode = true;
      send(peer, stream.localPort, rtp(1, 5));
      await settle();
      assert.equal(ev.failures.length, 1);
      assert.match(String(ev.failures[0]), /boom/);
    } finally {
      explode = false;
      stream.close();
      peer.socket.close();
    }
  });
});
