/** RFC 8839 ICE attributes: written for our m= section, read strictly from a peer's SDP. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as sdpTransform from 'sdp-transform';
import { formatCandidate, iceAttributeLines, parseCandidate, readIce } from '../../../src-main/media/sdp/ice-attributes.js';
import { candidatePriority, pairPriority } from '../../../src-main/media/ice/candidate.js';

const offer = (extra: string[], session: string[] = []) => [
  'v=0', 'o=- 1 1 IN IP4 198.51.100.7', 's=-', ...session, 'c=IN IP4 198.51.100.7', 't=0 0',
  'm=audio 49170 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', ...extra, '',
].join('\r\n');

describe('ICE SDP attributes (RFC 8839)', () => {
  it('§5.1 candidate lines round-trip, with raddr/rport', () => {
    const line = '1853887674 1 UDP 1694498815 203.0.113.9 40001 typ srflx raddr 192.0.2.2 rport 5000';
    const c = parseCandidate(line);
    assert.deepEqual(c, { foundation: '1853887674', component: 1, transport: 'udp', priority: 1694498815, address: '203.0.113.9', port: 40001, type: 'srflx', relatedAddress: '192.0.2.2', relatedPort: 5000 });
    assert.equal(formatCandidate(c!), line);
  });

  it('refuses malformed, non-UDP and FQDN candidates', () => {
    for (const bad of [
      '1 1 TCP 1 203.0.113.9 40001 typ host', '1 1 UDP 1 host.example 40001 typ host', '1 1 UDP 1 203.0.113.9 0 typ host',
      '1 1 UDP 99999999999 203.0.113.9 1 typ host', '1 1 UDP 1 203.0.113.9 1 typ weird', '1 1 UDP 1 203.0.113.9 1', 'x'.repeat(600),
      'f@o 1 UDP 1 203.0.113.9 1 typ host', '1 0 UDP 1 203.0.113.9 1 typ host',
    ]) assert.equal(parseCandidate(bad), undefined, bad);
  });

  it('reads ufrag/pwd, candidates, ice-lite and end-of-candidates', () => {
    const text = offer(['a=ice-ufrag:8hhY', 'a=ice-pwd:asd88fgpdd777uzjYhagZg', 'a=candidate:1 1 UDP 2130706431 198.51.100.7 49170 typ host',
      'a=candidate:2 1 UDP 1694498815 203.0.113.9 40001 typ srflx raddr 198.51.100.7 rport 49170', 'a=end-of-candidates'], ['a=ice-lite']);
    const ice = readIce(sdpTransform.parse(text), 0);
    assert.ok(ice && typeof ice !== 'string');
    assert.equal(ice.ufrag, '8hhY');
    assert.equal(ice.lite, true);
    assert.equal(ice.endOfCandidates, true);
    assert.deepEqual(ice.candidates.map((c) => c.type), ['host', 'srflx']);
  });

  it('no ICE attributes: undefined (plain c=/m= with latching); missing or short credentials: an error', () => {
    assert.equal(readIce(sdpTransform.parse(offer([])), 0), undefined);
    assert.match(String(readIce(sdpTransform.parse(offer(['a=candidate:1 1 UDP 1 198.51.100.7 49170 typ host'])), 0)), /ice-ufrag/);
    assert.match(String(readIce(sdpTransform.parse(offer(['a=ice-ufrag:8hhY', 'a=ice-pwd:short'])), 0)), /ice-pwd/);
  });

  it('at most 32 remote candidates are kept', () => {
    const many = Array.from({ length: 40 }, (_, i) => `a=candidate:${i} 1 UDP ${1000 + i} 198.51.100.7 ${10000 + i} typ host`);
    const ice = readIce(sdpTransform.parse(offer(['a=ice-ufrag:8hhY', 'a=ice-pwd:asd88fgpdd777uzjYhagZg', ...many])), 0);
    assert.ok(ice && typeof ice !== 'string');
    assert.equal(ice.candidates.length, 32);
  });

  it('writes ufrag, pwd, candidates and end-of-candidates', () => {
    const host = { foundation: 'a1', component: 1, transport: 'udp' as const, priority: candidatePriority('host'), address: '192.0.2.2', port: 5000, type: 'host' as const };
    assert.deepEqual(iceAttributeLines({ ufrag: 'uf12', pwd: 'p'.repeat(22), candidates: [host] }),
      ['ice-ufrag:uf12', `ice-pwd:${'p'.repeat(22)}`, 'candidate:a1 1 UDP 2130706431 192.0.2.2 5000 typ host', 'end-of-candidates']);
  });

  it('RFC 8445 §5.1.2.1 and §6.1.2.3 priorities', () => {
    assert.equal(candidatePriority('host', 65535, 1), 2130706431);
    assert.equal(candidatePriority('relay', 65535, 1), 16777215);
    assert.equal(pairPriority(2130706431, 1694498815), (1694498815n << 32n) + 2n * 2130706431n + 1n);
  });
});
