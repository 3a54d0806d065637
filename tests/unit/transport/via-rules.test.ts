import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Headers } from '../../../src-main/sip/message/headers.js';
import { formatVia, parseVia } from '../../../src-main/sip/message/via.js';
import {
  learnedAddress, prepareRequestVia, readOwnVia, responseTarget, stampReceived,
} from '../../../src-main/sip/transport/via-rules.js';

const own = (value: string) => readOwnVia(new Headers([{ name: 'Via', value }]));

describe('§18.1.1 + RFC 3581 §3: our Via on requests', () => {
  const cases: [string, 'udp' | 'tcp' | 'tls', string][] = [
    ['SIP/2.0/UDP ;branch=z9hG4bK1', 'udp', 'SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK1;rport'],
    ['SIP/2.0/UDP 0.0.0.0;branch=z9hG4bK1', 'tcp', 'SIP/2.0/TCP 127.0.0.1:5062;branch=z9hG4bK1;rport'],
    ['SIP/2.0/TCP 127.0.0.1:0;rport;branch=z9hG4bK1', 'tls', 'SIP/2.0/TLS 127.0.0.1:5062;rport;branch=z9hG4bK1'],
    ['SIP/2.0/UDP pc.example.com:5070;branch=z9hG4bK1', 'udp', 'SIP/2.0/UDP pc.example.com:5070;branch=z9hG4bK1;rport'],
  ];
  for (const [input, protocol, expected] of cases) {
    it(`${input} over ${protocol}`, () => {
      const via = own(input);
      prepareRequestVia(via, protocol, { address: '127.0.0.1', port: 5062 });
      assert.equal(formatVia(via), expected);
    });
  }

  it('writes IPv6 sent-by as a reference', () => {
    const via = own('SIP/2.0/UDP ;branch=z9hG4bK1');
    prepareRequestVia(via, 'udp', { address: '::1', port: 5060 });
    assert.equal(formatVia(via), 'SIP/2.0/UDP [::1]:5060;branch=z9hG4bK1;rport');
  });
});

describe('§18.2.1 + RFC 3581 §4: received and rport at the server', () => {
  const src = { protocol: 'udp' as const, address: '192.0.2.7', port: 40000 };
  const cases: [string, string][] = [
    ['SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK1', 'SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK1'],
    ['SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1', 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;received=192.0.2.7'],
    ['SIP/2.0/UDP 192.0.2.7:5060;rport;branch=z9hG4bK1', 'SIP/2.0/UDP 192.0.2.7:5060;rport=40000;branch=z9hG4bK1;received=192.0.2.7'],
    ['SIP/2.0/UDP host.example.com;branch=z9hG4bK1', 'SIP/2.0/UDP host.example.com;branch=z9hG4bK1;received=192.0.2.7'],
  ];
  for (const [input, expected] of cases) {
    it(input, () => {
      const via = parseVia(input);
      stampReceived(via, src);
      assert.equal(formatVia(via), expected);
    });
  }
});

describe('§18.2.2: where a response goes without its connection', () => {
  const cases: [string, string | undefined][] = [
    ['SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK1;received=192.0.2.7', 'udp 192.0.2.7:5070'],
    ['SIP/2.0/UDP 10.0.0.1;rport=40000;branch=z9hG4bK1;received=192.0.2.7', 'udp 192.0.2.7:40000'],
    ['SIP/2.0/TCP 10.0.0.1:5070;rport=40000;branch=z9hG4bK1;received=192.0.2.7', 'tcp 192.0.2.7:5070'],
    ['SIP/2.0/TLS [2001:db8::1];branch=z9hG4bK1', 'tls 2001:db8::1:5061'],
    ['SIP/2.0/SCTP 192.0.2.1;branch=z9hG4bK1', undefined],
  ];
  for (const [input, expected] of cases) {
    it(input, () => {
      const d = responseTarget(parseVia(input));
      assert.equal(d && `${d.protocol} ${d.address}:${d.port}`, expected);
    });
  }

  it('learns our public address from received + rport of a response (RFC 3581 §4)', () => {
    assert.deepEqual(learnedAddress(parseVia('SIP/2.0/UDP 10.0.0.1:5060;rport=40000;received=192.0.2.7;branch=z9hG4bK1')),
      { address: '192.0.2.7', port: 40000 });
    assert.equal(learnedAddress(parseVia('SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bK1')), undefined);
  });
});
