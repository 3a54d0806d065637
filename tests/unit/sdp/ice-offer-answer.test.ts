/** Offer/answer with ICE (RFC 8839 §4.2): ICE only when both sides do it, ice-lite seen, rtcp-mux offered. */
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
