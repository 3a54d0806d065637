/**
 * Offer/answer with ICE (RFC 8839 §4.2): ICE only when both sides do it, ice-lite seen, rtcp-mux
 * offered, RTCP (component 2) candidates offered beside it and answered only without it (RFC 5761 §5.1.3).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAnswer, createOffer, readAnswer, type LocalMedia } from '../../../src-main/media/sdp/offer-answer.js';
import { candidatePriority } from '../../../src-main/media/ice/candidate.js';
import { isSdpProblem } from '../../../src-main/media/sdp/sdp-problem.js';

const ice = (ufrag: string, address: string, port: number): NonNullable<LocalMedia['ice']> => ({
  ufrag, pwd: 'asd88fgpdd777uzjYhagZg', candidates: [
    { foundation: 'a1', component: 1, transport: 'udp', priority: candidatePriority('host'), address, port, type: 'host' },
    { foundation: 'b2', component: 1, transport: 'udp', priority: candidatePriority('relay'), address: '203.0.113.5', port: 50000, type: 'relay', relatedAddress: '198.51.100.1', relatedPort: 4000 },
  ],
});
const local = (address: string, port: number, withIce: boolean): LocalMedia => ({
  address, rtpPort: port, sessionId: 1, version: 1, ...(withIce ? { ice: ice(address === '192.0.2.1' ? 'offr' : 'answ', address, port) } : {}),
});

describe('SDP offer/answer with ICE (RFC 8839)', () => {
  it('both sides with ICE: candidates, ufrag/pwd and rtcp-mux go both ways', () => {
    const offer = createOffer(local('192.0.2.1', 4000, true));
    assert.match(offer, /a=ice-ufrag:offr\r\n/);
    assert.match(offer, /a=candidate:b2 1 UDP \d+ 203\.0\.113\.5 50000 typ relay raddr 198\.51\.100\.1 rport 4000\r\n/);
    assert.match(offer, /a=end-of-candidates/);
    assert.match(offer, /a=rtcp-mux/);
    const answer = createAnswer(offer, local('192.0.2.2', 6000, true));
    assert.ok(!isSdpProblem(answer));
    assert.equal(answer.audio.ice?.ufrag, 'offr');
    assert.equal(answer.audio.ice?.candidates.length, 2);
    assert.equal(answer.audio.ice?.lite, false);
    assert.match(answer.sdp, /a=ice-ufrag:answ/);
    const read = readAnswer(answer.sdp, local('192.0.2.1', 4000, true));
    assert.ok(!isSdpProblem(read));
    assert.equal(read.ice?.ufrag, 'answ');
    assert.deepEqual(read.ice?.candidates[0], ice('answ', '192.0.2.2', 6000).candidates[0]);
    assert.equal(read.rtcpMux, true);
  });

  it('RFC 5761 §5.1.3: RTCP candidates offered beside rtcp-mux; dropped from an answer with rtcp-mux, kept in one without', () => {
    const withRtcp = (m: LocalMedia, rtcpPort: number): LocalMedia => ({
      ...m, rtcp: { address: m.address, port: rtcpPort },
      ice: { ...m.ice!, candidates: [...m.ice!.candidates, ...m.ice!.candidates.map((c) => ({ ...c, component: 2, priority: c.priority - 1, port: c.port + 7 }))] },
    });
    const offer = createOffer(withRtcp(local('192.0.2.1', 4000, true), 4007));
    assert.match(offer, /a=candidate:a1 2 UDP \d+ 192\.0\.2\.1 4007 typ host\r\n/);
    assert.match(offer, /a=candidate:b2 2 UDP \d+ 203\.0\.113\.5 50007 typ relay/);
    assert.match(offer, /a=rtcp:4007 IN IP4 192\.0\.2\.1\r\n/, 'the default RTCP candidate (RFC 3605)');
    assert.match(offer, /a=rtcp-mux/);

    const muxed = createAnswer(offer, withRtcp(local('192.0.2.2', 6000, true), 6007));
    assert.ok(!isSdpProblem(muxed));
    assert.match(muxed.sdp, /a=rtcp-mux/);
    assert.doesNotMatch(muxed.sdp, /a=candidate:\S+ 2 /, 'no RTCP component in an answer that takes rtcp-mux');
    assert.doesNotMatch(muxed.sdp, /a=rtcp:/);
    assert.equal(muxed.audio.ice?.candidates.filter((c) => c.component === 2).length, 2, 'the offer\'s RTCP candidates are read');

    const offerNoMux = offer.replace('a=rtcp-mux\r\n', '');
    const separate = createAnswer(offerNoMux, withRtcp(local('192.0.2.2', 6000, true), 6007));
    assert.ok(!isSdpProblem(separate));
    assert.doesNotMatch(separate.sdp, /a=rtcp-mux/);
    assert.match(separate.sdp, /a=candidate:a1 2 UDP \d+ 192\.0\.2\.2 6007 typ host\r\n/);
    assert.match(separate.sdp, /a=rtcp:6007 IN IP4 192\.0\.2\.2\r\n/);
    assert.equal(separate.audio.rtcpMux, false);
    assert.equal(separate.audio.remoteRtcpPort, 4007);
    const read = readAnswer(separate.sdp, withRtcp(local('192.0.2.1', 4000, true), 4007));
    assert.ok(!isSdpProblem(read));
    assert.equal(read.rtcpMux, false);
    assert.equal(read.remoteRtcpPort, 6007);
    assert.deepEqual(read.ice?.candidates.map((c) => `${c.component}:${c.port}`), ['1:6000', '1:50000', '2:6007', '2:50007']);
  });

  it('RFC 3605 / RFC 5761 §5.1.3: an offer without ICE and without rtcp-mux is answered with a=rtcp naming our RTCP component\'s default', () => {
    const ours: LocalMedia = { ...local('192.0.2.2', 6000, true), rtcp: { address: '203.0.113.5', port: 50007 } };
    const plainOffer = createOffer(local('192.0.2.1', 4000, false)).replace('a=rtcp-mux\r\n', '');
    const answer = createAnswer(plainOffer, ours);
    assert.ok(!isSdpProblem(answer));
    assert.doesNotMatch(answer.sdp, /ice-ufrag|candidate|a=rtcp-mux/);
    assert.match(answer.sdp, /a=rtcp:50007 IN IP4 203\.0\.113\.5\r\n/);
    assert.deepEqual([answer.audio.rtcpMux, answer.audio.remoteRtcpPort], [false, 4001]);
    const muxed = createAnswer(createOffer(local('192.0.2.1', 4000, false)), ours);
    assert.ok(!isSdpProblem(muxed));
    assert.doesNotMatch(muxed.sdp, /a=rtcp:/, 'rtcp-mux taken: no RTCP port');
  });

  it('an offer without ICE gets an answer without ICE, and the plain c=/m= address', () => {
    const answer = createAnswer(createOffer(local('192.0.2.1', 4000, false)), local('192.0.2.2', 6000, true));
    assert.ok(!isSdpProblem(answer));
    assert.doesNotMatch(answer.sdp, /ice-ufrag|candidate/);
    assert.equal(answer.audio.ice, undefined);
    assert.equal(answer.audio.remoteAddress, '192.0.2.1');
  });

  it('an answer without ICE to our ICE offer: no ICE, c=/m= used', () => {
    const offer = createOffer(local('192.0.2.1', 4000, true));
    const answer = createAnswer(offer, local('192.0.2.2', 6000, false));
    assert.ok(!isSdpProblem(answer));
    const read = readAnswer(answer.sdp, local('192.0.2.1', 4000, true));
    assert.ok(!isSdpProblem(read));
    assert.equal(read.ice, undefined);
    assert.equal(read.remotePort, 6000);
  });

  it('detects an ICE-lite peer; malformed ICE falls back to c=/m=', () => {
    const offer = createOffer(local('192.0.2.1', 4000, true));
    const lite = createAnswer(offer, local('192.0.2.2', 6000, true));
    assert.ok(!isSdpProblem(lite));
    const liteText = lite.sdp.replace('t=0 0\r\n', 't=0 0\r\na=ice-lite\r\n');
    const read = readAnswer(liteText, local('192.0.2.1', 4000, true));
    assert.ok(!isSdpProblem(read));
    assert.equal(read.ice?.lite, true);
    const bad = readAnswer(lite.sdp.replace(/a=ice-pwd:\S+/, 'a=ice-pwd:short'), local('192.0.2.1', 4000, true));
    assert.ok(!isSdpProblem(bad));
    assert.equal(bad.ice, undefined);
    assert.equal(bad.remoteAddress, '192.0.2.2');
  });
});
