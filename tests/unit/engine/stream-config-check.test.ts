/** The worker refuses a stream configuration that could hang, flood or crash it, whatever the host sends. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkStreamConfig } from '../../../src-main/media/engine/stream-config-check.js';
import type { StreamConfig } from '../../../src-main/media/engine/protocol.js';

const good: StreamConfig = {
  remoteAddress: '127.0.0.1', remotePort: 4000, remoteRtcpPort: 4001, rtcpMux: false, codec: 'PCMU', payloadType: 0,
  telephoneEventPt: 101, ptime: 20, direction: 'sendrecv', srtp: undefined,
};
const key = Buffer.alloc(30, 7).toString('base64');

test('a sane configuration passes', () => {
  assert.equal(checkStreamConfig(good), undefined);
  assert.equal(checkStreamConfig({ ...good, remoteAddress: '::1' }), undefined);
  assert.equal(checkStreamConfig({ ...good, srtp: { suite: 'AES_CM_128_HMAC_SHA1_80', localKey: key, remoteKey: key } }), undefined);
});

test('each way to hurt the worker is refused', () => {
  const cases: Array<[Partial<StreamConfig>, RegExp]> = [
    [{ ptime: 0 }, /ptime 0/],
    [{ ptime: 240 }, /ptime 240/],
    [{ codec: 'opus', ptime: 30 }, /ptime 30 ms is not a opus frame/],
    [{ remotePort: 65536 }, /port/],
    [{ remoteRtcpPort: 65536 }, /port/],
    [{ remotePort: 0 }, /port/],
    [{ remoteAddress: 'evil.example' }, /not an IP literal/],
    [{ payloadType: 300 }, /payload type/],
    [{ srtp: { suite: 'NULL_CIPHER', localKey: key, remoteKey: key } }, /unknown SRTP suite/],
    [{ srtp: { suite: 'AES_CM_128_HMAC_SHA1_80', localKey: 'AAAA', remoteKey: key } }, /wrong length/],
  ];
  for (const [change, expected] of cases) assert.match(checkStreamConfig({ ...good, ...change }) ?? 'passed', expected, JSON.stringify(change));
});
