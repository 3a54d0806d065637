/** Bugs the fuzzer found, pinned down one by one against a real stack on loopback. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSipStack } from '../../src-main/sip/ua/stack.js';
import { sdp } from './corpus.js';
import { noDns, UdpPeer, within } from './harness.js';
import { Prng } from './prng.js';

function request(method: string, port: number, peerPort: number, branch: string, toTag: string | undefined, body = ''): Buffer {
  return Buffer.from([
    `${method} sip:alice@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${peerPort};branch=${branch};rport`, 'Max-Forwards: 70',
    'From: <sip:bob@127.0.0.1>;tag=caller', `To: <sip:alice@127.0.0.1>${toTag ? `;tag=${toTag}` : ''}`,
    'Call-ID: early-bye@robustness', `CSeq: ${method === 'INVITE' ? 1 : 2} ${method}`,
    `Contact: <sip:bob@127.0.0.1:${peerPort}>`, ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`, '', body,
  ].join('\r\n'));
}

test('§15.1.2 a BYE in the early dialog gets 200, and the ringing INVITE a 487 (its transaction ends)', async () => {
  const stack = await createSipStack({ bindAddress: '127.0.0.1', port: 0, userAgent: 'regression', resolver: noDns });
  const peer = await UdpPeer.open();
  const port = stack.transport.localAddress('udp').port;
  const ended: string[] = [];
  stack.ua.on('incoming', (call) => {
    call.setMedia({ createOffer: () => sdp(new Prng(1)), createAnswer: () => sdp(new Prng(2)), setAnswer: () => {} });
    call.on('ended', (cause) => ended.push(cause.cause));
    call.ring();
  });
  const texts = () => peer.received.map((d) => d.toString('latin1'));
  const find = (status: number, method: string) =>
    texts().find((s) => s.startsWith(`SIP/2.0 ${status} `) && new RegExp(`\\r\\nCSeq: \\d+ ${method}\\r\\n`).test(s));
  try {
    peer.send(request('INVITE', port, peer.port, 'z9hG4bKearlyinvite', undefined, sdp(new Prng(3))), port);
    assert.ok(await within(() => find(180, 'INVITE') !== undefined, 5000), '180 Ringing');
    const toTag = /\r\nTo: [^\r\n]*;tag=([^;\s]+)/.exec(find(180, 'INVITE')!)?.[1];
    assert.ok(toTag);

    peer.send(request('BYE', port, peer.port, 'z9hG4bKearlybye', toTag), port);
    assert.ok(await within(() => find(200, 'BYE') !== undefined && find(487, 'INVITE') !== undefined, 5000), '200 to the BYE, 487 to the INVITE');
    assert.deepEqual(ended, ['remote-hangup']);
    assert.match(find(487, 'INVITE')!, new RegExp(`\\r\\nTo: [^\\r\\n]*;tag=${toTag}`), 'the 487 carries the early dialog tag');
    assert.equal(stack.ua.sessions.length, 0);
  } finally {
    await peer.close();
    await stack.stop();
  }
});
