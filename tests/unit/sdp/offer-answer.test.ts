/** RFC 3264 offer/answer for audio, with RFC 4568 SDES and RFC 5761 rtcp-mux. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as sdp from 'sdp-transform';
import { createAnswer, createOffer, readAnswer, type LocalMedia, type NegotiatedAudio } from '../../../src-main/media/sdp/offer-answer.js';
import { isSdpProblem } from '../../../src-main/media/sdp/sdp-problem.js';

const local: LocalMedia = { address: '192.0.2.10', rtpPort: 40000, sessionId: 42, version: 1 };
const key80 = 'WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz';
const key32 = 'PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR';
const ourKey = 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw';

/** The answer, failing the test when the offer was refused. */
function answered(offer: string, l: LocalMedia): { sdp: string; audio: NegotiatedAudio } {
  const a = createAnswer(offer, l);
  assert.ok(!isSdpProblem(a), isSdpProblem(a) ? a.text : '');
  return a;
}

function readOk(answer: string, l: Parameters<typeof readAnswer>[1]): NegotiatedAudio {
  const a = readAnswer(answer, l);
  assert.ok(!isSdpProblem(a), isSdpProblem(a) ? a.text : '');
  return a;
}

const offerFrom = (mline: string, attrs: string[], session = 'c=IN IP4 198.51.100.7\r\n') =>
  `v=0\r\no=- 7 7 IN IP4 198.51.100.7\r\ns=-\r\n${session}t=0 0\r\n${mline}\r\n${attrs.map((a) => `a=${a}\r\n`).join('')}`;

describe('RFC 3264 offer', () => {
  it('offers Opus, G.722, PCMU, PCMA and telephone-event at each clock rate, with ptime and rtcp-mux', () => {
    const m = sdp.parse(createOffer(local)).media[0]!;
    assert.equal(m.protocol, 'RTP/AVP');
    assert.equal(m.payloads, '111 9 0 8 101 110');
    assert.deepEqual(m.rtp.map((r) => `${r.payload} ${r.codec}/${r.rate}${r.encoding ? '/' + r.encoding : ''}`),
      ['111 opus/48000/2', '9 G722/8000', '0 PCMU/8000', '8 PCMA/8000', '101 telephone-event/8000', '110 telephone-event/48000']);
    assert.equal(m.fmtp.find((f) => f.payload === 111)?.config, 'useinbandfec=1;maxplaybackrate=48000;stereo=0');
    assert.equal(m.ptime, 20);
    assert.equal(m.maxptime, 120);
    assert.equal(m.direction, 'sendrecv');
    assert.equal(m.rtcpMux, 'rtcp-mux');
    assert.equal(m.crypto, undefined, 'no keys when SRTP is off');
  });

  it('follows the account codec order and only offers telephone-event for rates in use', () => {
    const m = sdp.parse(createOffer({ ...local, codecs: ['PCMA', 'PCMU'] })).media[0]!;
    assert.equal(m.payloads, '8 0 101');
  });

  it('offers SDES keys over RTP/AVP when optional and RTP/SAVP when required (RFC 4568 §3.1.4)', () => {
    const crypto = [{ tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', key: key80 }, { tag: 2, suite: 'AES_CM_128_HMAC_SHA1_32', key: key32 }];
    const optional = sdp.parse(createOffer({ ...local, srtp: 'optional', crypto })).media[0]!;
    assert.equal(optional.protocol, 'RTP/AVP');
    assert.deepEqual(optional.crypto?.map((c) => `${c.id} ${c.suite} ${c.config}`),
      [`1 AES_CM_128_HMAC_SHA1_80 inline:${key80}`, `2 AES_CM_128_HMAC_SHA1_32 inline:${key32}`]);
    assert.equal(sdp.parse(createOffer({ ...local, srtp: 'required', crypto })).media[0]!.protocol, 'RTP/SAVP');
  });
});

describe('RFC 3264 answer', () => {
  it('§6.1 picks our most preferred common codec and keeps the offerer payload type', () => {
    const offer = offerFrom('m=audio 5004 RTP/AVP 0 96 9 101', ['rtpmap:96 opus/48000/2', 'rtpmap:101 telephone-event/8000']);
    const answer = answered(offer, { ...local, codecs: ['G722', 'PCMU'] });
    assert.equal(answer.audio.codec.name, 'G722');
    assert.equal(answer.audio.payloadType, 9);
    assert.equal(answer.audio.telephoneEventPt, 101);
    assert.equal(answer.audio.remoteAddress, '198.51.100.7');
    assert.equal(answer.audio.remotePort, 5004);
    assert.equal(answer.audio.remoteRtcpPort, 5005, 'RTP port + 1 without rtcp-mux (RFC 3550 §11)');
    const m = sdp.parse(answer.sdp).media[0]!;
    assert.equal(m.payloads, '9 101');
    const opus = answered(offer, local);
    assert.equal(opus.audio.codec.name, 'opus');
    assert.equal(opus.audio.payloadType, 96, 'dynamic type numbered as the offerer did');
  });

  it('§6 declines a video stream with port 0 and keeps the m= order', () => {
    const offer = offerFrom('m=video 6000 RTP/AVP 96', ['rtpmap:96 VP8/90000']) + 'm=audio 5004 RTP/AVP 0\r\n';
    const media = sdp.parse(answered(offer, local).sdp).media;
    assert.deepEqual(media.map((m) => `${m.type} ${m.port}`), ['video 0', 'audio 40000']);
  });

  it('takes c= from the media level over the session level (RFC 4566 §5.7)', () => {
    const offer = offerFrom('m=audio 5004 RTP/AVP 0', ['rtpmap:0 PCMU/8000']) + 'c=IN IP4 203.0.113.9\r\n';
    assert.equal(answered(offer, local).audio.remoteAddress, '203.0.113.9');
    const sessionOnly = offerFrom('m=audio 5004 RTP/AVP 0', []);
    assert.equal(answered(sessionOnly, local).audio.remoteAddress, '198.51.100.7');
  });

  it('§6.1 mirrors the direction: sendonly → recvonly, inactive → inactive', () => {
    for (const [offered, expected] of [['sendonly', 'recvonly'], ['recvonly', 'sendonly'], ['inactive', 'inactive'], ['sendrecv', 'sendrecv']]) {
      const answer = answered(offerFrom('m=audio 5004 RTP/AVP 0', [offered!]), local);
      assert.equal(sdp.parse(answer.sdp).media[0]!.direction, expected, offered);
      assert.equal(answer.audio.direction, offered);
    }
  });

  it('returns nothing acceptable (→ 488) when no codec matches', () => {
    assert.deepEqual(createAnswer(offerFrom('m=audio 5004 RTP/AVP 18', ['rtpmap:18 G729/8000']), local), { warnCode: 305, text: 'no common audio codec' });
  });

  it('RFC 5761 §5.1: answers rtcp-mux when offered, and then RTCP goes to the RTP port', () => {
    const answer = answered(offerFrom('m=audio 5004 RTP/AVP 0', ['rtcp-mux', 'rtcp:5004']), local);
    assert.equal(sdp.parse(answer.sdp).media[0]!.rtcpMux, 'rtcp-mux');
    assert.equal(answer.audio.remoteRtcpPort, 5004);
    assert.equal(sdp.parse(answered(offerFrom('m=audio 5004 RTP/AVP 0', []), local).sdp).media[0]!.rtcpMux, undefined);
  });

  it('RFC 5761 §5.1.3 / RFC 3605: an offer without rtcp-mux is answered without it; RTCP goes to its a=rtcp, else RTP + 1', () => {
    const withRtcp = answered(offerFrom('m=audio 5004 RTP/AVP 0', ['rtcp:6100 IN IP4 198.51.100.7']), local);
    assert.equal(sdp.parse(withRtcp.sdp).media[0]!.rtcpMux, undefined);
    assert.deepEqual([withRtcp.audio.rtcpMux, withRtcp.audio.remotePort, withRtcp.audio.remoteRtcpPort], [false, 5004, 6100]);
    const plain = answered(offerFrom('m=audio 5004 RTP/AVP 0', []), local);
    assert.deepEqual([plain.audio.rtcpMux, plain.audio.remoteRtcpPort], [false, 5005]);
  });

  it('RFC 4568 §7.1.2: answers the first offered suite we support, echoing its tag with our key', () => {
    const offer = offerFrom('m=audio 5004 RTP/SAVP 0', [`crypto:3 AES_256_CM_HMAC_SHA1_80 inline:${key80}${key80}`,
      `crypto:4 AES_CM_128_HMAC_SHA1_32 inline:${key32}|2^20`, `crypto:5 AES_CM_128_HMAC_SHA1_80 inline:${key80}`]);
    const answer = answered(offer, { ...local, srtp: 'optional', crypto: [
      { tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', key: ourKey }, { tag: 2, suite: 'AES_CM_128_HMAC_SHA1_32', key: ourKey },
    ] });
    const m = sdp.parse(answer.sdp).media[0]!;
    assert.equal(m.protocol, 'RTP/SAVP');
    assert.deepEqual(m.crypto?.map((c) => `${c.id} ${c.suite} ${c.config}`), [`4 AES_CM_128_HMAC_SHA1_32 inline:${ourKey}`]);
    assert.deepEqual(answer.audio.srtp, { suite: 'AES_CM_128_HMAC_SHA1_32', remoteKey: key32, localKey: ourKey });
  });

  it('enforces the SRTP policy: RTP/SAVP with SRTP off, or no keys when required → not acceptable', () => {
    const savp = offerFrom('m=audio 5004 RTP/SAVP 0', [`crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${key80}`]);
    assert.equal((createAnswer(savp, { ...local, srtp: 'off' }) as { warnCode: number }).warnCode, 305);
    const plain = offerFrom('m=audio 5004 RTP/AVP 0', []);
    const crypto = [{ tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', key: ourKey }];
    assert.equal((createAnswer(plain, { ...local, srtp: 'required', crypto }) as { warnCode: number }).warnCode, 305);
    assert.equal(answered(plain, { ...local, srtp: 'optional', crypto }).audio.srtp, undefined, 'best effort falls back to RTP');
  });
});

describe('reading the answer to our offer', () => {
  it('RFC 5761 §5.1.3: an answer without a=rtcp-mux to our rtcp-mux offer: RTCP to its a=rtcp (RFC 3605), else RTP + 1', () => {
    assert.match(createOffer(local), /^a=rtcp-mux\r$/m);
    const viaAttr = readOk(offerFrom('m=audio 7000 RTP/AVP 0', ['rtcp:7101']), { srtp: 'off' });
    assert.deepEqual([viaAttr.rtcpMux, viaAttr.remotePort, viaAttr.remoteRtcpPort], [false, 7000, 7101]);
    const plain = readOk(offerFrom('m=audio 7000 RTP/AVP 0', []), { srtp: 'off' });
    assert.deepEqual([plain.rtcpMux, plain.remoteRtcpPort], [false, 7001]);
  });

  it('takes the codec, address and keys the peer chose', () => {
    const crypto = [{ tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', key: ourKey }];
    const answer = offerFrom('m=audio 7000 RTP/SAVP 9 101', ['rtpmap:101 telephone-event/8000', `crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${key80}`, 'rtcp-mux']);
    const audio = readOk(answer, { srtp: 'optional', crypto });
    assert.equal(audio.codec.name, 'G722');
    assert.equal(audio.telephoneEventPt, 101);
    assert.equal(audio.remotePort, 7000);
    assert.equal(audio.rtcpMux, true);
    assert.deepEqual(audio.srtp, { suite: 'AES_CM_128_HMAC_SHA1_80', remoteKey: key80, localKey: ourKey });
    assert.deepEqual(readAnswer(offerFrom('m=audio 7000 RTP/AVP 0', []), { srtp: 'required', crypto }),
      { warnCode: 305, text: 'the peer refused SRTP, which this account requires' }, 'required but refused');
  });
});
