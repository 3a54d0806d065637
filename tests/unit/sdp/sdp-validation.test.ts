/**
 * What an SDP may not do to us (RFC 4566 §5, RFC 3264): every rule of sdp-limits.ts and
 * read-audio.ts, on offers (→ 488 with this Warning) and answers (→ unacceptable-media).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createAnswer, readAnswer, type LocalMedia, type NegotiatedAudio } from '../../../src-main/media/sdp/offer-answer.js';
import { clampPtime, sendPtime } from '../../../src-main/media/sdp/packet-time.js';
import { checkSdpText, SDP_LIMITS } from '../../../src-main/media/sdp/sdp-limits.js';
import { isSdpProblem, type SdpProblem } from '../../../src-main/media/sdp/sdp-problem.js';

const local: LocalMedia = { address: '192.0.2.10', rtpPort: 40000, sessionId: 42, version: 1 };

const sdpWith = (mline: string, attrs: string[] = [], connection = 'c=IN IP4 198.51.100.7') =>
  `v=0\r\no=- 7 7 IN IP4 198.51.100.7\r\ns=-\r\n${connection}\r\nt=0 0\r\n${mline}\r\n${attrs.map((a) => `a=${a}\r\n`).join('')}`;

function refused(offer: string): SdpProblem {
  const a = createAnswer(offer, local);
  assert.ok(isSdpProblem(a), 'expected the offer to be refused');
  const r = readAnswer(offer);
  assert.deepEqual(r, a, 'the same SDP as an answer is refused for the same reason');
  return a;
}

function accepted(offer: string): NegotiatedAudio {
  const a = createAnswer(offer, local);
  assert.ok(!isSdpProblem(a), isSdpProblem(a) ? a.text : '');
  return a.audio;
}

describe('RFC 4566 §5.7 c= must be an IP literal', () => {
  it('a host name is refused with warn-code 301 (no DNS lookup, let alone one per packet)', () => {
    assert.deepEqual(refused(sdpWith('m=audio 5004 RTP/AVP 0', [], 'c=IN IP4 evil.example')), { warnCode: 301, text: 'c= is not an IP address literal' });
  });

  it('a media-level host name is refused even when the session level is fine', () => {
    assert.equal(refused(sdpWith('m=audio 5004 RTP/AVP 0', []) + 'c=IN IP4 evil.example\r\n').warnCode, 301);
  });

  it('the address family must match (IP4 with an IPv6 literal), multicast and TTL suffixes are refused', () => {
    assert.equal(refused(sdpWith('m=audio 5004 RTP/AVP 0', [], 'c=IN IP4 2001:db8::1')).warnCode, 301);
    assert.equal(refused(sdpWith('m=audio 5004 RTP/AVP 0', [], 'c=IN IP4 224.2.1.1/127')).warnCode, 301);
    assert.equal(refused(sdpWith('m=audio 5004 RTP/AVP 0', [], 'c=IN IP4 239.1.1.1')).warnCode, 301);
    assert.equal(refused(sdpWith('m=audio 5004 RTP/AVP 0', [], 'c=IN IP6 ff02::1')).warnCode, 301);
  });

  it('no c= at all is refused', () => {
    assert.equal(refused(sdpWith('m=audio 5004 RTP/AVP 0', [], 'b=AS:64')).warnCode, 301);
  });

  it('IPv6 literals are accepted', () => {
    assert.equal(accepted(sdpWith('m=audio 5004 RTP/AVP 0', [], 'c=IN IP6 2001:db8::7')).remoteAddress, '2001:db8::7');
  });

  it('RFC 3264 §8.4: c=0.0.0.0 (RFC 2543 hold) is accepted, and we send nothing to it', () => {
    const audio = accepted(sdpWith('m=audio 5004 RTP/AVP 0', [], 'c=IN IP4 0.0.0.0'));
    assert.equal(audio.direction, 'sendonly', 'the peer receives nothing');
    assert.equal(accepted(sdpWith('m=audio 5004 RTP/AVP 0', ['recvonly'], 'c=IN IP4 0.0.0.0')).direction, 'inactive');
  });
});

describe('ports (RFC 4566 §5.14, RFC 3550 §11)', () => {
  it('the RTP port must be 1-65535: larger is malformed (307)', () => {
    assert.deepEqual(refused(sdpWith('m=audio 65536 RTP/AVP 0')), { warnCode: 307, text: 'm= port out of range 0-65535' });
    assert.equal(refused(sdpWith('m=audio 999999 RTP/AVP 0')).warnCode, 307);
  });

  it('port 65535 without rtcp-mux puts RTCP on 65536: refused; with rtcp-mux or a=rtcp it is fine', () => {
    assert.deepEqual(refused(sdpWith('m=audio 65535 RTP/AVP 0')), { warnCode: 307, text: 'RTCP port out of range 1-65535' });
    assert.equal(accepted(sdpWith('m=audio 65535 RTP/AVP 0', ['rtcp-mux'])).remoteRtcpPort, 65535);
    assert.equal(accepted(sdpWith('m=audio 65535 RTP/AVP 0', ['rtcp:65533'])).remoteRtcpPort, 65533);
    assert.equal(refused(sdpWith('m=audio 5004 RTP/AVP 0', ['rtcp:70000'])).warnCode, 307);
  });

  it('port 0 is a rejected stream (RFC 3264 §6): with no other audio there is nothing to answer (304)', () => {
    assert.deepEqual(refused(sdpWith('m=audio 0 RTP/AVP 0')), { warnCode: 304, text: 'no audio stream' });
  });

  it('a malformed m= line (negative port, missing formats) is refused', () => {
    assert.equal(refused(sdpWith('m=audio -1 RTP/AVP 0')).warnCode, 307);
    assert.equal(refused(sdpWith('m=audio 5004 RTP/AVP')).warnCode, 307);
  });
});

describe('RFC 4566 §6 a=ptime: clamped to 10-120 ms, then to a frame the codec has', () => {
  it('a=ptime:0 sends 10 ms packets instead of spinning for ever', () => {
    assert.equal(accepted(sdpWith('m=audio 5004 RTP/AVP 0', ['ptime:0'])).ptime, 10);
  });

  it('huge, fractional and junk values', () => {
    assert.equal(accepted(sdpWith('m=audio 5004 RTP/AVP 0', ['ptime:100000'])).ptime, 60, 'G.711 frames go up to 60 ms');
    assert.equal(accepted(sdpWith('m=audio 5004 RTP/AVP 0', ['ptime:25'])).ptime, 20);
    assert.equal(accepted(sdpWith('m=audio 5004 RTP/AVP 0', ['ptime:abc'])).ptime, 20);
    assert.equal(accepted(sdpWith('m=audio 5004 RTP/AVP 0', [])).ptime, 20);
    assert.equal(accepted(sdpWith('m=audio 5004 RTP/AVP 96', ['rtpmap:96 opus/48000/2', 'ptime:30'])).ptime, 20, 'Opus has no 30 ms frame');
  });

  it('clampPtime / sendPtime', () => {
    assert.deepEqual([0, -5, 5, 10, 120, 121, 1e9, NaN, undefined, '30'].map(clampPtime), [10, 10, 10, 10, 120, 120, 120, 20, 20, 30]);
    assert.equal(sendPtime('opus', 120), 60);
    assert.equal(sendPtime('PCMU', 30), 30);
    assert.equal(sendPtime('G722', 15), 10);
  });
});

describe('bounds (no SDP can make us parse, allocate or loop without limit)', () => {
  const formats = (n: number) => Array.from({ length: n }, (_, i) => String(i + 96 > 127 ? i % 96 : i + 96)).join(' ');

  it(`at most ${SDP_LIMITS.maxMediaLines} m= lines`, () => {
    const many = sdpWith('m=audio 5004 RTP/AVP 0') + 'm=video 0 RTP/AVP 96\r\n'.repeat(SDP_LIMITS.maxMediaLines);
    assert.deepEqual(refused(many), { warnCode: 307, text: 'more than 16 m= lines' });
    const ok = sdpWith('m=audio 5004 RTP/AVP 0') + 'm=video 0 RTP/AVP 96\r\n'.repeat(SDP_LIMITS.maxMediaLines - 1);
    assert.equal(accepted(ok).remotePort, 5004);
  });

  it(`at most ${SDP_LIMITS.maxFormats} formats per m= line, each an RTP payload type 0-127`, () => {
    assert.equal(refused(sdpWith(`m=audio 5004 RTP/AVP 0 ${formats(32)}`)).text, 'more than 32 formats in an m= line');
    assert.equal(accepted(sdpWith(`m=audio 5004 RTP/AVP 0 ${formats(31)}`)).payloadType, 0);
    assert.equal(refused(sdpWith('m=audio 5004 RTP/AVP 0 128')).text, 'RTP payload type out of range 0-127');
    assert.equal(refused(sdpWith('m=audio 5004 RTP/AVP 0 x')).warnCode, 307);
  });

  it('attribute values are bounded: one line at most 1024 octets, 512 lines, 16 KiB', () => {
    const longFmtp = `fmtp:0 ${'a'.repeat(SDP_LIMITS.maxLineOctets)}`;
    assert.equal(refused(sdpWith('m=audio 5004 RTP/AVP 0', [longFmtp])).text, 'SDP line longer than 1024 octets');
    const manyLines = sdpWith('m=audio 5004 RTP/AVP 0', Array.from({ length: SDP_LIMITS.maxLines }, () => 'x-junk:1'));
    assert.equal(refused(manyLines).text, 'SDP has more than 512 lines');
    assert.match(checkSdpText('v=0\r\n' + `a=${'b'.repeat(900)}\r\n`.repeat(20))!.text, /larger than 16384/);
  });

  it('a line that is not <type>=<value> is refused', () => {
    assert.equal(refused(sdpWith('m=audio 5004 RTP/AVP 0') + 'garbage\r\n').warnCode, 307);
  });

  it('an empty or m-less body has no audio (304)', () => {
    assert.equal(refused('').warnCode, 304);
    assert.equal(refused('v=0\r\ns=-\r\n').warnCode, 304);
  });

  it('reading stays linear: a 16 KiB hostile SDP is judged in well under a millisecond per KiB', () => {
    const hostile = 'v=0\r\n' + `m=audio 5004 RTP/AVP ${'0 '.repeat(15)}0\r\n`.repeat(16) + `a=${'x'.repeat(1000)}\r\n`.repeat(14);
    const start = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) createAnswer(hostile, local);
    const perCallMs = Number(process.hrtime.bigint() - start) / 1e6 / 100;
    assert.ok(perCallMs < 5, `${perCallMs.toFixed(3)} ms per hostile SDP`);
  });
});
