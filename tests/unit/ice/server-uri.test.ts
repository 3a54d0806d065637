/** STUN/TURN URIs (RFC 7064, RFC 7065) as --stun and --turn take them: strict, bounded. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseServerUri } from '../../../src-main/net/stun/uri.js';

describe('STUN/TURN server URIs', () => {
  it('RFC 7064 §3.1 stun: with default port 3478; RFC 7065 §3.1 turn:/turns: with ?transport=', () => {
    assert.deepEqual(parseServerUri('stun:198.51.100.1', 'stun'), { host: '198.51.100.1', port: 3478, transport: 'udp' });
    assert.deepEqual(parseServerUri('stun:stun.example.org:19302', 'stun'), { host: 'stun.example.org', port: 19302, transport: 'udp' });
    assert.deepEqual(parseServerUri('turn:[2001:db8::1]:3479?transport=tcp', 'turn'), { host: '2001:db8::1', port: 3479, transport: 'tcp' });
    assert.deepEqual(parseServerUri('turn:203.0.113.4:443?transport=tls', 'turn'), { host: '203.0.113.4', port: 443, transport: 'tls' });
    assert.deepEqual(parseServerUri('turns:turn.example.org', 'turn'), { host: 'turn.example.org', port: 5349, transport: 'tls' });
    assert.deepEqual(parseServerUri('TURN:203.0.113.4', 'turn'), { host: '203.0.113.4', port: 3478, transport: 'udp' });
  });

  it('refuses what is not a server URI, with a reason', () => {
    for (const [text, kind] of [
      ['turn:203.0.113.4', 'stun'], ['stun:203.0.113.4', 'turn'], ['stun:host?transport=udp', 'stun'], ['stuns:host', 'stun'],
      ['turn:host?transport=sctp', 'turn'], ['turn:host:70000', 'turn'], ['turn:host:0', 'turn'], ['turn:', 'turn'],
      ['turn:[not-v6]', 'turn'], ['turn:bad_host!', 'turn'], [`turn:${'a'.repeat(300)}`, 'turn'], ['turns:h?transport=udp', 'turn'],
      ['http://203.0.113.4', 'turn'], ['turn:user@host', 'turn'],
    ] as const) assert.equal(typeof parseServerUri(text, kind), 'string', text);
  });
});
