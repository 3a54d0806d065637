/**
 * SDES keys across re-offers (RFC 4568 §7.1.4, RFC 3711 §9.1), as CallMedia hands them to the
 * engine: a peer re-key changes only what we receive with; whenever our send context has to be
 * rebuilt, our answer or offer carries a new key of ours; a key is never used for two send
 * contexts. And the notice when SDES keys travel over signalling that is not TLS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sdp from 'sdp-transform';
import { CallMedia } from '../../../src-main/calls/call-media.js';
import type { StreamConfig } from '../../../src-main/media/engine/protocol.js';
import { FakeEngine } from './support.js';

const theirKey = (fill: number) => Buffer.alloc(30, fill).toString('base64');
const S80 = 'AES_CM_128_HMAC_SHA1_80';
const S32 = 'AES_CM_128_HMAC_SHA1_32';

function offer(crypto: Array<[string, number]>, version: number, protocol = 'RTP/SAVP'): string {
  return ['v=0', `o=- 9 ${version} IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio 5004 ${protocol} 0`,
    ...crypto.map(([suite, fill], i) => `a=crypto:${i + 1} ${suite} inline:${theirKey(fill)}`), 'a=sendrecv', ''].join('\r\n');
}

async function media(srtp: 'optional' | 'required' = 'optional') {
  const engine = new FakeEngine();
  const configs: StreamConfig[] = [];
  const record = (_s: string, c: StreamConfig) => { configs.push(c); return Promise.resolve(); };
  engine.start = record;
  engine.update = record;
  const m = await CallMedia.open(engine, 'm1', { bindAddress: '127.0.0.1', advertisedAddress: '127.0.0.1', srtp });
  const notices: string[] = [];
  m.onNotice = (n) => notices.push(n);
  return { m, configs, notices };
}

const answerKey = (answer: string) => sdp.parse(answer).media[0]!.crypto?.[0]?.config.replace(/^inline:/, '');

test('a peer re-key (same suite, new key) changes only the receive key: our key and send context stay', async () => {
  const { m, configs } = await media();
  const a1 = m.createAnswer(offer([[S80, 1]], 1)) as string;
  const a2 = m.createAnswer(offer([[S80, 2]], 2)) as string;
  assert.equal(answerKey(a1), answerKey(a2), 'our a=crypto unchanged');
  assert.equal(configs[0]!.srtp!.localKey, configs[1]!.srtp!.localKey);
  assert.notEqual(configs[0]!.srtp!.remoteKey, configs[1]!.srtp!.remoteKey);
  assert.equal(configs[1]!.srtp!.remoteKey, theirKey(2));
});

test('when our send context must be rebuilt (suite change, SRTP off and on), our key changes: no key serves two contexts', async () => {
  const { m, configs } = await media();
  m.createAnswer(offer([[S80, 1]], 1));
  m.createAnswer(offer([[S32, 1]], 2));
  m.createAnswer(offer([[S80, 1]], 3));
  m.createAnswer(offer([], 4, 'RTP/AVP'));
  m.createAnswer(offer([[S80, 1]], 5));
  const sendKeys = configs.map((c) => c.srtp?.localKey);
  assert.equal(sendKeys[3], undefined, 'plain RTP in between');
  // Each change of send key is a new context: the keys of successive contexts are all different.
  const contexts = sendKeys.filter((k, i) => k !== undefined && k !== sendKeys[i - 1]);
  assert.equal(contexts.length, 4);
  assert.equal(new Set(contexts).size, 4, 'never the same key for a second send context');
  // And the next offer of ours carries the current keys only.
  const ours = sdp.parse(m.createOffer()).media[0]!.crypto!.map((c) => c.config.replace(/^inline:/, ''));
  assert.ok(ours.includes(sendKeys[4]!));
  assert.ok(!ours.includes(sendKeys[0]!) && !ours.includes(sendKeys[2]!), 'retired keys are not offered again');
});

test('an answer to our re-offer that changes suite moves our send key on too', async () => {
  const { m, configs } = await media();
  const first = sdp.parse(m.createOffer()).media[0]!.crypto!;
  const ours80 = first.find((c) => c.suite === S80)!.config.replace(/^inline:/, '');
  assert.equal(m.setAnswer(offer([[S80, 7]], 1).replace('a=crypto:1', `a=crypto:${first[0]!.id}`)), undefined);
  assert.equal(configs[0]!.srtp!.localKey, ours80);
  assert.equal(m.setAnswer(offer([[S32, 7]], 2)), undefined);
  const again = sdp.parse(m.createOffer()).media[0]!.crypto!;
  assert.notEqual(again.find((c) => c.suite === S80)!.config.replace(/^inline:/, ''), ours80, 'the 80-bit key was retired');
});

test('SDES over signalling that is not TLS: one notice per call; over TLS none', async () => {
  const udp = await media();
  udp.m.signalling = 'udp';
  udp.m.createAnswer(offer([[S80, 1]], 1));
  udp.m.createAnswer(offer([[S80, 2]], 2));
  assert.equal(udp.notices.length, 1);
  assert.match(udp.notices[0]!, /SDES.*over udp signalling.*--transport tls/);
  const tls = await media();
  tls.m.signalling = 'tls';
  tls.m.createAnswer(offer([[S80, 1]], 1));
  assert.deepEqual(tls.notices, []);
});

test('a refused offer or answer reaches the engine with nothing: the reason comes back instead', async () => {
  const { m, configs } = await media();
  const bad = offer([[S80, 1]], 1).replace('c=IN IP4 127.0.0.1', 'c=IN IP4 evil.example');
  assert.deepEqual(m.checkOffer(bad), { warnCode: 301, text: 'c= is not an IP address literal' });
  assert.deepEqual(m.createAnswer(bad), { warnCode: 301, text: 'c= is not an IP address literal' });
  assert.deepEqual(m.setAnswer(offer([[S80, 1]], 1).replace('m=audio 5004', 'm=audio 65535')), { warnCode: 307, text: 'RTCP port out of range 1-65535' });
  assert.equal(configs.length, 0);
  assert.equal(m.checkOffer(offer([[S80, 1]], 1)), undefined);
  assert.equal(configs.length, 0, 'checking applies nothing');
});
