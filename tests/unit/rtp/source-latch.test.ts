/** Symmetric RTP latching (RFC 4961) with RFC 3550 A.1 probation and sequence checks: who may become "the peer". */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_DROPOUT, RtpSourceLatch } from '../../../src-main/media/rtp/source-latch.js';

const SDP_IP = '198.51.100.7';
const EVIL_IP = '203.0.113.66';

/** Feeds `count` packets in sequence from one source; returns the verdicts. */
function feed(latch: RtpSourceLatch, address: string, port: number, ssrc: number, firstSeq: number, count: number, atMs: number, stepMs = 20): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(latch.onPacket(address, port, ssrc, (firstSeq + i) & 0xffff, atMs + i * stepMs));
  return out;
}

describe('RtpSourceLatch', () => {
  it('a source from another IP never latches, however many packets in sequence it sends first', () => {
    const latch = new RtpSourceLatch(SDP_IP);
    assert.equal(latch.fromExpectedAddress(EVIL_IP), false);
    assert.deepEqual(new Set(feed(latch, EVIL_IP, 4000, 0xbad, 1, 500, 0)), new Set(['drop']));
    assert.equal(latch.isLatched, false);
    assert.equal(latch.address, undefined, 'we keep sending to the SDP address');
    assert.deepEqual(feed(latch, SDP_IP, 5004, 0x1111, 100, 3, 10_000), ['probation', 'accept', 'accept']);
    assert.deepEqual([latch.address, latch.port, latch.ssrc], [SDP_IP, 5004, 0x1111]);
  });

  it('RFC 3550 A.1 probation: one packet does not latch, two in sequence do; out-of-sequence restarts it', () => {
    const latch = new RtpSourceLatch(SDP_IP);
    assert.equal(latch.onPacket(SDP_IP, 5004, 7, 10, 0), 'probation');
    assert.equal(latch.onPacket(SDP_IP, 5004, 7, 12, 20), 'probation', 'a gap restarts probation');
    assert.equal(latch.onPacket(SDP_IP, 5004, 7, 13, 40), 'accept');
  });

  it('any port from the SDP IP may latch (a NAT chooses the port)', () => {
    const latch = new RtpSourceLatch(SDP_IP);
    assert.deepEqual(feed(latch, SDP_IP, 61234, 9, 0, 2, 0), ['probation', 'accept']);
    assert.equal(latch.port, 61234);
  });

  it('once latched, the same SSRC from another port is dropped until 2 s of silence from the latched source', () => {
    const latch = new RtpSourceLatch(SDP_IP);
    feed(latch, SDP_IP, 5004, 9, 0, 2, 0);
    assert.deepEqual(feed(latch, SDP_IP, 6000, 9, 2, 5, 100), ['drop', 'drop', 'drop', 'drop', 'drop']);
    assert.equal(latch.port, 5004);
    // The latched source last spoke at 20 ms; at 2020 ms it is silent for 2 s.
    assert.deepEqual(feed(latch, SDP_IP, 6000, 9, 50, 2, 2020), ['probation', 'accept']);
    assert.equal(latch.port, 6000, 'NAT rebinding followed after the silence');
  });

  it('a new SSRC from the SDP IP re-latches at once (the peer restarted its stream), after probation', () => {
    const latch = new RtpSourceLatch(SDP_IP);
    feed(latch, SDP_IP, 5004, 9, 0, 10, 0);
    assert.deepEqual(feed(latch, SDP_IP, 5010, 10, 500, 2, 200), ['probation', 'accept']);
    assert.deepEqual([latch.port, latch.ssrc], [5010, 10]);
    assert.deepEqual(feed(latch, SDP_IP, 5004, 9, 10, 3, 260), ['drop', 'drop', 'drop'], 'the old stream does not take over again (no ping-pong)');
    assert.deepEqual(feed(latch, SDP_IP, 5004, 9, 13, 2, 2300), ['probation', 'accept'], 'unless the new one falls silent for 2 s');
  });

  it('RFC 3550 A.1 continuity: a jump beyond MAX_DROPOUT is dropped unless the next packet follows it', () => {
    const latch = new RtpSourceLatch(SDP_IP);
    feed(latch, SDP_IP, 5004, 9, 100, 2, 0);
    const far = 101 + MAX_DROPOUT + 10;
    assert.equal(latch.onPacket(SDP_IP, 5004, 9, far, 40), 'drop');
    assert.equal(latch.onPacket(SDP_IP, 5004, 9, 102, 60), 'accept', 'the stream goes on');
    assert.equal(latch.onPacket(SDP_IP, 5004, 9, far + 50, 80), 'drop');
    assert.equal(latch.onPacket(SDP_IP, 5004, 9, far + 51, 100), 'accept', 'a real restart of the numbering is followed');
    assert.equal(latch.onPacket(SDP_IP, 5004, 9, far + 40, 120), 'accept', 'reordered within MAX_MISORDER');
  });

  it('the sequence wraps at 65535 without a hiccup', () => {
    const latch = new RtpSourceLatch(SDP_IP);
    assert.deepEqual(feed(latch, SDP_IP, 5004, 9, 65533, 6, 0), ['probation', 'accept', 'accept', 'accept', 'accept', 'accept']);
  });

  it('a re-INVITE to the same address keeps the latch; a new address listens again, for it only', () => {
    const latch = new RtpSourceLatch(SDP_IP);
    feed(latch, SDP_IP, 5004, 9, 0, 2, 0);
    latch.setExpectedAddress(SDP_IP);
    assert.equal(latch.isLatched, true);
    assert.equal(latch.onPacket(SDP_IP, 5004, 9, 2, 40), 'accept');
    latch.setExpectedAddress('192.0.2.44');
    assert.equal(latch.isLatched, false);
    assert.equal(latch.onPacket(SDP_IP, 5004, 9, 3, 60), 'drop', 'the old address no longer counts');
    assert.deepEqual(feed(latch, '192.0.2.44', 7000, 1, 0, 2, 80), ['probation', 'accept']);
  });

  it('RTCP is only taken from the latched IP with the latched SSRC as sender (any port)', () => {
    const latch = new RtpSourceLatch(SDP_IP);
    assert.equal(latch.isLatchedPeer(SDP_IP, 9), false, 'nothing before latching');
    feed(latch, SDP_IP, 5004, 9, 0, 2, 0);
    assert.equal(latch.isLatchedPeer(SDP_IP, 9), true);
    assert.equal(latch.isLatchedPeer(SDP_IP, 10), false, 'another SSRC');
    assert.equal(latch.isLatchedPeer(EVIL_IP, 9), false, 'another IP');
  });

  it('an IPv4-mapped IPv6 source (dual-stack socket) counts as its IPv4 address', () => {
    const latch = new RtpSourceLatch(SDP_IP);
    assert.equal(latch.fromExpectedAddress(`::ffff:${SDP_IP}`), true);
    assert.equal(latch.fromExpectedAddress(`::ffff:${EVIL_IP}`), false);
    assert.deepEqual(feed(latch, `::ffff:${SDP_IP}`, 5004, 9, 0, 2, 0), ['probation', 'accept']);
  });
});
