/**
 * RTCP without rtcp-mux and without ICE, as CallMedia hands it to the engine (RFC 5761 §5.1.3,
 * RFC 3550 §11, RFC 3605): a peer that does not take rtcp-mux gets RTCP on its RTCP port, never
 * muxed onto its RTP port; one that does gets it on the RTP port.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallMedia } from '../../../src-main/calls/call-media.js';
import type { StreamConfig } from '../../../src-main/media/engine/protocol.js';
import { FakeEngine } from './support.js';

const sdpWith = (attrs: string[], version = 1) => ['v=0', `o=- 9 ${version} IN IP4 198.51.100.7`, 's=-', 'c=IN IP4 198.51.100.7', 't=0 0',
  'm=audio 5004 RTP/AVP 0', ...attrs.map((a) => `a=${a}`), ''].join('\r\n');

async function media() {
  const engine = new FakeEngine();
  const configs: StreamConfig[] = [];
  const record = (_s: string, c: StreamConfig) => { configs.push(c); return Promise.resolve(); };
  engine.start = record;
  engine.update = record;
  const m = await CallMedia.open(engine, 'm1', { bindAddress: '127.0.0.1', advertisedAddress: '127.0.0.1', srtp: 'off' });
  return { m, configs };
}

const rtcpOf = (c: StreamConfig) => ({ rtcpMux: c.rtcpMux, remotePort: c.remotePort, remoteRtcpPort: c.remoteRtcpPort });

test('our offer\'s answer without a=rtcp-mux: the engine sends RTCP to the peer\'s a=rtcp port, or RTP + 1', async () => {
  const { m, configs } = await media();
  assert.match(m.createOffer(), /^a=rtcp-mux\r$/m, 'offered (RFC 5761 §5.1.1)');
  assert.equal(m.setAnswer(sdpWith(['rtcp:6001'])), undefined);
  assert.deepEqual(rtcpOf(configs[0]!), { rtcpMux: false, remotePort: 5004, remoteRtcpPort: 6001 });
  // A re-offer of ours answered without a=rtcp: RTP + 1 (RFC 3550 §11).
  m.createOffer();
  assert.equal(m.setAnswer(sdpWith([], 2)), undefined);
  assert.deepEqual(rtcpOf(configs[1]!), { rtcpMux: false, remotePort: 5004, remoteRtcpPort: 5005 });
});

test('an offer without a=rtcp-mux: our answer has none, and RTCP goes to the offerer\'s RTCP port; with it, muxed', async () => {
  const { m, configs } = await media();
  const answer = m.createAnswer(sdpWith([]));
  assert.equal(typeof answer, 'string');
  assert.doesNotMatch(answer as string, /^a=rtcp-mux/m);
  assert.deepEqual(rtcpOf(configs[0]!), { rtcpMux: false, remotePort: 5004, remoteRtcpPort: 5005 });
  const muxed = await media();
  assert.match(muxed.m.createAnswer(sdpWith(['rtcp-mux'])) as string, /^a=rtcp-mux\r$/m);
  assert.deepEqual(rtcpOf(muxed.configs[0]!), { rtcpMux: true, remotePort: 5004, remoteRtcpPort: 5004 });
});
