/**
 * Bind versus advertise: RTP binds to an address of this machine, SDP carries the public address
 * learnt behind a NAT (RFC 3581 received), and a socket that cannot open ends that call clearly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { MediaEngine } from '../../../src-main/media/engine/media-engine.js';
import { CallMedia } from '../../../src-main/calls/call-media.js';
import { resolveMediaAddresses } from '../../../src-main/calls/media-addresses.js';
import { getCSeq } from '../../../src-main/sip/message/index.js';
import { natRegistrar } from '../ua/support.js';
import { desk, FakeNetwork } from './support.js';

const PBX = '10.0.0.10';

test('resolveMediaAddresses: bind where the host says, advertise the learnt public address', () => {
  const srtp = 'off' as const;
  const cases: Array<[Parameters<typeof resolveMediaAddresses>, { bindAddress: string; advertisedAddress: string }]> = [
    [[{ bindAddress: '0.0.0.0', srtp }, { publicAddress: '198.51.100.1', localAddress: '192.0.2.2' }], { bindAddress: '0.0.0.0', advertisedAddress: '198.51.100.1' }],
    [[{ bindAddress: '192.0.2.2', srtp }, { publicAddress: '198.51.100.1', localAddress: '192.0.2.2' }], { bindAddress: '192.0.2.2', advertisedAddress: '198.51.100.1' }],
    [[{ bindAddress: '0.0.0.0', srtp }, { publicAddress: undefined, localAddress: '192.0.2.2' }], { bindAddress: '0.0.0.0', advertisedAddress: '192.0.2.2' }],
    [[{ bindAddress: '127.0.0.1', srtp }, { publicAddress: undefined, localAddress: '192.0.2.2' }], { bindAddress: '127.0.0.1', advertisedAddress: '127.0.0.1' }],
    [[{ srtp }, { publicAddress: undefined, localAddress: '192.0.2.2' }], { bindAddress: '0.0.0.0', advertisedAddress: '192.0.2.2' }],
    [[{ bindAddress: '0.0.0.0', advertisedAddress: '203.0.113.5', srtp }, { publicAddress: '198.51.100.1', localAddress: '192.0.2.2' }], { bindAddress: '0.0.0.0', advertisedAddress: '203.0.113.5' }],
  ];
  for (const [args, expected] of cases) {
    const r = resolveMediaAddresses(...args);
    assert.deepEqual({ bindAddress: r.bindAddress, advertisedAddress: r.advertisedAddress }, expected, JSON.stringify(args));
  }
});

test('the media engine never binds to an advertised-only address: RTP on 127.0.0.1, SDP says 198.51.100.1', async (t) => {
  const engine = new MediaEngine('thread');
  t.after(() => engine.shutdown());
  const media = await CallMedia.open(engine, 's1', { bindAddress: '127.0.0.1', advertisedAddress: '198.51.100.1', srtp: 'off', codecs: ['PCMU'] });
  const offer = media.createOffer();
  assert.match(offer, /^c=IN IP4 198\.51\.100\.1\r?$/m);
  assert.match(offer, /^o=\S+ \d+ \d+ IN IP4 198\.51\.100\.1\r?$/m);
  const port = Number(/^m=audio (\d+) /m.exec(offer)?.[1]);
  assert.ok(port > 0);
  // The advertised port is bound on the local address: a second bind there must fail.
  const probe = createSocket('udp4');
  t.after(() => probe.close());
  const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    probe.once('error', resolve);
    probe.bind(port, '127.0.0.1', () => resolve(undefined));
  });
  assert.equal(error?.code, 'EADDRINUSE', `port ${port} is bound on 127.0.0.1`);
  // What the engine would have done with the advertised address: the crash of issue 15, now a rejection.
  await assert.rejects(engine.allocate('s2', '198.51.100.1'), /EADDRNOTAVAIL/);
  await media.stop();
});

test('behind a NAT the call manager binds the local address and offers the public one', async () => {
  const net = new FakeNetwork();
  natRegistrar(net, { address: '198.51.100.1', port: 40000 });
  const a = desk(net, 'alice', '10.0.0.1', {}, { registrar: `sip:${PBX}`, register: true, password: 'pw' });
  const b = desk(net, 'bob', '10.0.0.2');
  a.ua.register();
  await net.run(100);
  assert.equal((await a.manager.execute({ type: 'dial', uri: b.uri })).ok, true);
  await net.run(50);
  assert.deepEqual(a.engine.allocations.map((x) => x.bindAddress), ['10.0.0.1']);
  const invite = net.requests('INVITE')[0]!.message;
  assert.match(invite.body.toString(), /^c=IN IP4 198\.51\.100\.1\r?$/m);
  assert.match(invite.headers.get('Contact') ?? '', /@198\.51\.100\.1:40000\b/);
});

test('a media socket that cannot open: dial fails with a notice, an incoming call gets 500, nothing throws', async () => {
  const net = new FakeNetwork();
  const a = desk(net, 'alice', '10.0.0.1');
  const b = desk(net, 'bob', '10.0.0.2');
  a.engine.allocateError = new Error('bind EADDRNOTAVAIL 198.51.100.1');
  const dialled = await a.manager.execute({ type: 'dial', uri: b.uri });
  assert.equal(dialled.ok, false);
  if (!dialled.ok) assert.match(dialled.error, /cannot open media on 10\.0\.0\.1: bind EADDRNOTAVAIL/);
  assert.ok(a.events.some((e) => e.type === 'notice' && /not placed: cannot open media/.test(e.message)));
  assert.equal(a.manager.calls.size, 0);
  assert.equal(net.requests('INVITE').length, 0, 'no INVITE without media');

  assert.equal((await b.manager.execute({ type: 'dial', uri: a.uri })).ok, true);
  await net.run(50);
  const refused = net.responses(500).find((p) => getCSeq(p.message).method === 'INVITE');
  assert.ok(refused, 'the caller gets 500');
  const ended = b.events.find((e) => e.type === 'call' && e.call.state === 'ended');
  assert.ok(ended?.type === 'call' && ended.call.status === 500, "the caller's call ended with the 500");
  assert.ok(a.events.some((e) => e.type === 'notice' && /call from bob refused: cannot open media/.test(e.message)));
  assert.equal(a.manager.calls.size, 0);
});
