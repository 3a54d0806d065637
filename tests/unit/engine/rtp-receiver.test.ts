/**
 * RtpReceiver without a socket: datagram bytes and their source in; what is accepted, dropped,
 * played, reported. Latching (RFC 4961 with RFC 3550 A.1 probation), SRTP (RFC 3711), RTCP only
 * from the latched peer, RFC 4733 digits.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codecByName } from '../../../src-main/media/codecs/registry.js';
import type { StreamConfig } from '../../../src-main/media/engine/protocol.js';
import { RtpReceiver } from '../../../src-main/media/engine/rtp-receiver.js';
import { buildRtcp } from '../../../src-main/media/rtp/rtcp.js';
import { RtcpSession } from '../../../src-main/media/rtp/rtcp-session.js';
import { SrtpContext } from '../../../src-main/media/srtp/srtp-context.js';
import { sequenceRandom } from '../../../src-main/util/random.js';

const PCMU = codecByName('PCMU')!;
const PEER = '192.0.2.10';
const SUITE = 'AES_CM_128_HMAC_SHA1_80';

const config = (extra: Partial<StreamConfig> = {}): StreamConfig => ({
  remoteAddress: PEER, remotePort: 4000, remoteRtcpPort: 4001, rtcpMux: true, codec: 'PCMU', payloadType: 0,
  telephoneEventPt: 101, ptime: 20, direction: 'sendrecv', srtp: undefined, ...extra,
});

function receiver(extra: Partial<StreamConfig> = {}) {
  const seen = { digits: [] as string[], noRtp: [] as number[], loss: [] as number[] };
  const r = new RtpReceiver(48000, 0, { dtmf: (d) => seen.digits.push(d), noRtp: (s) => seen.noRtp.push(s), peerLoss: (p) => seen.loss.push(p) });
  const rtcp = new RtcpSession({ ssrc: 0xabcdef01, cname: 'x@y', clockRate: 8000, random: sequenceRandom(), wallClockMs: () => 0 }, 0);
  r.configure(config(extra), PCMU, rtcp);
  return { r, rtcp, seen };
}

/** A PCMU packet, byte for byte: V=2, PT 0, seq, ts = seq × 160, SSRC 0000600d, 160 payload bytes. */
const pcmu = (seq: number, payloadByte = 0x00) => Uint8Array.from(Buffer.from(
  '8000' + seq.toString(16).padStart(4, '0') + (seq * 160).toString(16).padStart(8, '0') + '0000600d' + payloadByte.toString(16).padStart(2, '0').repeat(160), 'hex'));

describe('RtpReceiver: bytes in', () => {
  it('PCMU from the SDP\'s IP latches after probation and plays; the same bytes from another IP are dropped before any work', () => {
    const { r, rtcp } = receiver();
    for (let seq = 1; seq <= 6; seq++) {
      r.receive(pcmu(seq), '198.51.100.66', 5000, seq * 20);
      r.receive(pcmu(seq), PEER, 4000, seq * 20);
    }
    assert.deepEqual(r.latched, { address: PEER, port: 4000 });
    const security = r.security as { latch: { foreignAddress: number; latched: { ssrc: number } } };
    assert.equal(security.latch.foreignAddress, 6);
    assert.equal(security.latch.latched.ssrc, 0x600d);
    assert.ok(rtcp.receiver!.packetsReceived >= 4, `${rtcp.receiver!.packetsReceived} counted`);
    // µ-law 0x00 is a loud negative sample: played audio reaches the mix after the jitter delay.
    const mix = new Int32Array(960);
    let peak = 0;
    for (let t = 140; t < 400; t += 20) {
      mix.fill(0);
      r.playout(mix, t);
      for (const v of mix) peak = Math.max(peak, Math.abs(v));
    }
    assert.ok(peak > 20000, `played peak ${peak}`);
    assert.ok(r.playoutStats().received >= 4);
  });

  it('malformed and truncated bytes are dropped without a throw', () => {
    const { r, rtcp } = receiver();
    for (const bad of [new Uint8Array(0), Uint8Array.of(0x80), pcmu(1).subarray(0, 11), Uint8Array.of(0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1)]) {
      r.receive(bad, PEER, 4000, 0);
    }
    assert.equal(rtcp.receiver?.packetsReceived ?? 0, 0);
    assert.equal(r.latched, undefined);
  });

  it('an RFC 4733 event (digit 5, end bit set three times) is reported once', () => {
    const { r, seen } = receiver();
    for (let seq = 1; seq <= 3; seq++) r.receive(pcmu(seq), PEER, 4000, seq * 20);
    // M=1 PT 101 seq 4, ts 0x280, event 5, E=0 vol 10, duration 160; then 320; then E=1 480 (×3).
    const ev = (seq: number, marker: boolean, end: boolean, duration: number) => Uint8Array.from(Buffer.from(
      (marker ? '80e5' : '8065') + seq.toString(16).padStart(4, '0') + '00000280' + '0000600d'
      + '05' + (end ? '8a' : '0a') + duration.toString(16).padStart(4, '0'), 'hex'));
    r.receive(ev(4, true, false, 160), PEER, 4000, 80);
    r.receive(ev(5, false, false, 320), PEER, 4000, 100);
    for (let seq = 6; seq <= 8; seq++) r.receive(ev(seq, false, true, 480), PEER, 4000, 120);
    assert.deepEqual(seen.digits, ['5']);
  });

  it('SRTP: protected bytes from the peer play; a flipped bit fails authentication and is dropped', () => {
    const remoteKey = Buffer.alloc(30, 9);
    const { r, rtcp } = receiver({ srtp: { suite: SUITE, localKey: Buffer.alloc(30, 1).toString('base64'), remoteKey: remoteKey.toString('base64') } });
    r.setKeys({ suite: SUITE, localKey: Buffer.alloc(30, 1).toString('base64'), remoteKey: remoteKey.toString('base64') });
    const peer = new SrtpContext(SUITE, remoteKey);
    for (let seq = 1; seq <= 5; seq++) r.receive(Uint8Array.from(peer.protectRtp(pcmu(seq))), PEER, 4000, seq * 20);
    const tampered = Uint8Array.from(peer.protectRtp(pcmu(6)));
    tampered[20]! ^= 1;
    r.receive(tampered, PEER, 4000, 120);
    const rx = r.security.srtpRx as { unprotected: number; authFailures: number };
    assert.equal(rx.unprotected, 5);
    assert.equal(rx.authFailures, 1);
    assert.ok(rtcp.receiver!.packetsReceived >= 3);
  });

  it('RTCP counts only from the latched peer with its SSRC; the peer\'s loss report reaches the encoder hook', () => {
    const { r, seen } = receiver({ rtcpMux: false });
    for (let seq = 1; seq <= 3; seq++) r.receive(pcmu(seq), PEER, 4000, seq * 20);
    const report = (sender: number) => buildRtcp([{ type: 'RR', ssrc: sender, reports: [{
      ssrc: 0xabcdef01, fractionLost: 255, cumulativeLost: 100, highestSequence: 3, jitter: 0, lastSr: 0, delaySinceLastSr: 0,
    }] }]);
    r.receiveRtcp(report(0x600d), '198.51.100.66', 4001, 100);
    r.receiveRtcp(report(0x1234), PEER, 4001, 100);
    assert.deepEqual(seen.loss, []);
    assert.equal(r.rtcpPeerPort, undefined);
    r.receiveRtcp(report(0x600d), PEER, 4011, 200);
    assert.deepEqual(seen.loss, [10]);
    assert.equal(r.rtcpPeerPort, 4011, 'without rtcp-mux the peer\'s RTCP port is learnt from its RTCP');
  });

  it('RFC 5761 §5.1.3: without rtcp-mux, RTCP the peer muxes onto our RTP port is taken but does not move where ours goes', () => {
    const { r, seen } = receiver({ rtcpMux: false });
    for (let seq = 1; seq <= 3; seq++) r.receive(pcmu(seq), PEER, 4000, seq * 20);
    const rr = buildRtcp([{ type: 'RR', ssrc: 0x600d, reports: [{
      ssrc: 0xabcdef01, fractionLost: 255, cumulativeLost: 100, highestSequence: 3, jitter: 0, lastSr: 0, delaySinceLastSr: 0,
    }] }]);
    r.receive(rr, PEER, 4000, 100);
    assert.deepEqual(seen.loss, [10], 'taken');
    assert.equal(r.rtcpPeerPort, undefined, 'RTCP from its RTP port on our RTP port: not its RTCP port');
    r.receiveRtcp(pcmu(4), PEER, 4001, 120);
    assert.equal(r.rtcpPeerPort, undefined, 'RTP on our RTCP port is dropped');
    r.receiveRtcp(rr, PEER, 4001, 140);
    assert.equal(r.rtcpPeerPort, 4001);
  });

  it('no RTP for 20 s while receiving is reported once; on hold (sendonly) nothing is played or reported', () => {
    const { r, seen } = receiver();
    const mix = new Int32Array(960);
    r.playout(mix, 19_000);
    assert.deepEqual(seen.noRtp, []);
    r.playout(mix, 21_000);
    r.playout(mix, 22_000);
    assert.deepEqual(seen.noRtp, [21]);
    const held = receiver({ direction: 'sendonly' });
    held.r.playout(mix, 60_000);
    assert.deepEqual(held.seen.noRtp, []);
  });
});
