/**
 * SRTP re-keying against the real `softphone` CLI (issue 8, item 7; RFC 3711 §3.3.1 and §9.1,
 * RFC 4568 §7.1.4). baresip 1.0.0 keeps its SDES keys for the whole call (its re-INVITEs repeat
 * them), so the re-key is driven by a scripted peer written in the test (hand-made SIP over UDP,
 * SRTP with keys it chooses), and baresip checks that audio survives re-INVITEs both ways.
 *
 * - The peer re-keys: our answer keeps our key, our send context goes on (one receive context
 *   for our key authenticates every packet; sequence numbers continue), and we play the peer's
 *   audio under its new key.
 * - The peer forces a suite change (80 → 32 → 80): each time our send context is rebuilt, our
 *   answer carries a new key, and no key ever sees an index twice.
 * In both, no two of our ciphertexts under one key XOR to the XOR of their plaintexts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { freePortRange, makeToneWav, startBaresip, testScope, type TestScope } from '../interop/harness/index.js';
import { callState, startSoftphone, type Softphone } from '../support/softphone-process.js';
import { dominantFrequency } from '../support/audio-analysis.js';
import { readWav } from '../support/wav.js';
import { parseRtp } from '../../src-main/media/rtp/rtp-packet.js';
import { SrtpContext } from '../../src-main/media/srtp/srtp-context.js';
import type { SrtpSuiteName } from '../../src-main/media/srtp/crypto-suite.js';
import {
  assertHears, captureUdp, cryptoKeyOf, decodePcmu, isRtcpPacket, newSdesKey, rtpPayload, ScriptedPeer, ToneSender, type PeerDialog, type SipMessage,
} from './hostile-media-peer.js';

const S80: SrtpSuiteName = 'AES_CM_128_HMAC_SHA1_80';
const S32: SrtpSuiteName = 'AES_CM_128_HMAC_SHA1_32';
const aliceTone = 600;

async function alicePhone(scope: TestScope): Promise<{ phone: Softphone; port: number; rec: string }> {
  const rec = join(scope.dir, 'alice-heard.wav');
  const phone = scope.use(startSoftphone(['listen', '--bind-address', '127.0.0.1', '--incoming-policy', 'any', '--auto-answer', '--srtp', 'required',
    '--codecs', 'pcmu', '--play-file', makeToneWav(join(scope.dir, 'alice.wav'), { freqHz: aliceTone, seconds: 60 }), '--rec-file', rec], { trace: true }));
  const ready = await phone.waitEvent((e) => e.event === 'ready', 'ready');
  return { phone, port: Number(ready.port), rec };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The scripted peer's side of one SRTP offer/answer: it offers `suite` with `key`; returns our key from the answer. */
async function offer(peer: ScriptedPeer, d: PeerDialog, suite: SrtpSuiteName, key: string, version: number): Promise<{ ours: string; answer: SipMessage }> {
  const sdp = peer.sdp({ protocol: 'RTP/SAVP', attrs: [`crypto:1 ${suite} inline:${key}`, 'rtcp-mux', 'sendrecv'], version });
  peer.sendInvite(d, sdp);
  const answer = await peer.waitFor((m) => m.status !== undefined && m.status >= 200 && m.header('Call-ID') === d.callId && m.header('CSeq') === `${d.cseq} INVITE`,
    `answer to INVITE ${d.cseq}`);
  assert.equal(answer.status, 200, answer.startLine);
  peer.confirm(d, answer);
  peer.ack(d, answer);
  const ours = cryptoKeyOf(answer.body, suite);
  assert.ok(ours, `our answer has an a=crypto for ${suite}:\n${answer.body}`);
  return { ours: ours.key, answer };
}

/** Our SRTP packets arrived at the peer, decrypted with the first of `keys` (per phase, newest first) that authenticates. */
function decrypt(packets: Buffer[], keyOf: (i: number) => Array<{ suite: SrtpSuiteName; key: string }>) {
  const contexts = new Map<string, SrtpContext>();
  const ctx = (suite: SrtpSuiteName, key: string) => {
    const id = `${suite} ${key}`;
    if (!contexts.has(id)) contexts.set(id, new SrtpContext(suite, Buffer.from(key, 'base64')));
    return contexts.get(id)!;
  };
  return packets.map((wire, i) => {
    for (const k of keyOf(i)) {
      const plain = ctx(k.suite, k.key).unprotectRtp(Uint8Array.from(wire));
      if (plain instanceof Uint8Array) return { wire, plain, key: k.key };
    }
    throw new Error(`packet ${i} (seq ${(wire[2]! << 8) | wire[3]!}) authenticates under none of the announced keys`);
  });
}

/** RFC 3711 §9.1 on the wire: no two packets under one key share an index, and none XOR to their plaintexts' XOR. */
function assertNoIndexReuse(packets: Array<{ wire: Buffer; plain: Uint8Array; key: string }>): number {
  const seen = new Set<string>();
  for (const p of packets) {
    const id = `${p.key} ${parseRtp(p.plain)!.sequence}`;
    assert.ok(!seen.has(id), `index ${id.split(' ')[1]} used twice under one key`);
    seen.add(id);
  }
  let pairs = 0;
  for (let i = 0; i < packets.length; i++) {
    for (let j = i + 1; j < packets.length; j++) {
      const a = packets[i]!;
      const b = packets[j]!;
      if (a.key !== b.key) continue;
      pairs++;
      const n = Math.min(a.plain.length, b.plain.length);
      let same = true;
      for (let k = 12; k < n && same; k++) same = (a.wire[k]! ^ b.wire[k]!) === (a.plain[k]! ^ b.plain[k]!);
      assert.ok(!same, `keystream reused: packets ${i} and ${j}`);
    }
  }
  return pairs;
}

describe('SRTP re-keying (RFC 3711 §3.3.1, RFC 4568 §7.1.4)', () => {
  it('the peer re-keys: only our receive side changes; our index goes on and never repeats; audio both ways', async (t) => {
    const scope = testScope(t);
    const alice = await alicePhone(scope);
    const peer = await ScriptedPeer.open();
    const sender = new ToneSender(peer.media);
    scope.use({ stop: () => { sender.stop(); peer.close(); } });

    const k1 = newSdesKey();
    const d = peer.invite(alice.port, peer.sdp({ protocol: 'RTP/SAVP', attrs: [`crypto:1 ${S80} inline:${k1}`, 'rtcp-mux'] }));
    const first = await peer.waitFor((m) => m.status !== undefined && m.status >= 200 && m.header('Call-ID') === d.callId, 'answer');
    assert.equal(first.status, 200, first.startLine);
    peer.confirm(d, first);
    peer.ack(d, first);
    const ourKey = cryptoKeyOf(first.body, S80)!.key;
    let tx = new SrtpContext(S80, Buffer.from(k1, 'base64'));
    let freq = 1000;
    sender.start(() => ({ port: Number(/^m=audio (\d+)/m.exec(first.body)![1]) }), () => freq, () => tx);
    await sleep(2500);
    const beforeRekey = peer.rtpFrom().length;

    // Re-key: a re-INVITE with a new key of the peer's; then it sends under it, a new tone.
    const k2 = newSdesKey();
    peer.nextCseq(d);
    const { ours: afterKey } = await offer(peer, d, S80, k2, 2);
    assert.equal(afterKey, ourKey, 'RFC 4568 §7.1.4: our answer keeps our key (our send side was not rebuilt)');
    const sdesNotice = alice.phone.events.find((e) => e.event === 'notice' && /SDES/.test(String(e.message)));
    assert.match(String(sdesNotice?.message), /over udp signalling/, 'SDES keys over UDP signalling: the user is told');
    tx = new SrtpContext(S80, Buffer.from(k2, 'base64'));
    freq = 1400;
    await sleep(2500);
    sender.stop();
    peer.send(peer.request('BYE', d, '', peer.nextCseq(d)), alice.port);
    await peer.waitFor((m) => m.status === 200 && m.header('CSeq') === `${d.cseq} BYE`, '200 to BYE');
    await alice.phone.waitEvent(callState('ended', 'incoming'), 'ended');

    const wire = peer.rtpFrom().map((a) => a.data);
    const packets = decrypt(wire, () => [{ suite: S80, key: ourKey }]);
    const seqs = packets.map((p) => parseRtp(p.plain)!.sequence);
    const steps = seqs.slice(1).map((s, i) => (s - seqs[i]! + 65536) % 65536);
    assert.ok(steps.every((s) => s >= 1 && s < 50), `our sequence only moves forward across the re-key: ${steps.filter((s) => s !== 1).join(',')}`);
    const pairs = assertNoIndexReuse(packets);
    t.diagnostic(`${packets.length} of our SRTP packets (${beforeRekey} before the re-key), all under one key, ${pairs} pairs XOR-checked; `
      + `${peer.rtp.filter((a) => isRtcpPacket(a.data)).length} SRTCP`);
    assert.ok(beforeRekey > 50 && packets.length - beforeRekey > 50, 'our audio flowed before and after the re-key');
    // SRTCP (RFC 3711 §3.4): same send context, its index only grows.
    const srtcp = peer.rtp.filter((x) => isRtcpPacket(x.data)).map((x) => x.data);
    const rtcpCtx = new SrtpContext(S80, Buffer.from(ourKey, 'base64'));
    const indices = srtcp.map((w) => {
      assert.ok(rtcpCtx.unprotectRtcp(Uint8Array.from(w)) instanceof Uint8Array, 'our SRTCP authenticates under our one key');
      return w.readUInt32BE(w.length - 10 - 4) & 0x7fffffff;
    });
    assert.ok(indices.every((x, i) => i === 0 || x > indices[i - 1]!), `SRTCP indices ${indices.join(',')}`);
    // What the peer heard from us, before and after: our tone.
    const heard = decodePcmu(packets.map((p) => rtpPayload(p.plain)));
    assert.ok(Math.abs(dominantFrequency(heard.subarray(0, 8000), 8000) - aliceTone) < 10, 'the peer heard us before the re-key');
    assert.ok(Math.abs(dominantFrequency(heard.subarray(heard.length - 8000), 8000) - aliceTone) < 10, 'and after');
    // What we heard: the 1000 Hz tone under the first key, then the 1400 Hz tone under the new one.
    const pcm = readWav(alice.rec);
    assertHears(pcm, 1000, 'what alice heard before the re-key');
    const end = pcm.samples.length - pcm.rate / 2;
    const tail = pcm.samples.subarray(end - pcm.rate, end);
    const f = dominantFrequency(tail, pcm.rate);
    assert.ok(Math.abs(f - 1400) < 5, `after the re-key alice hears ${f.toFixed(1)} Hz (the peer's new tone under its new key)`);
  });

  it('when our send side must be rebuilt (suite 80 → 32 → 80), our answer carries a new key each time: no index repeats under any key', async (t) => {
    const scope = testScope(t);
    const alice = await alicePhone(scope);
    const peer = await ScriptedPeer.open();
    const sender = new ToneSender(peer.media);
    scope.use({ stop: () => { sender.stop(); peer.close(); } });

    const theirs = newSdesKey();
    const d = peer.invite(alice.port, peer.sdp({ protocol: 'RTP/SAVP', attrs: [`crypto:1 ${S80} inline:${theirs}`, 'rtcp-mux'] }));
    const first = await peer.waitFor((m) => m.status !== undefined && m.status >= 200 && m.header('Call-ID') === d.callId, 'answer');
    peer.confirm(d, first);
    peer.ack(d, first);
    let tx = new SrtpContext(S80, Buffer.from(theirs, 'base64'));
    sender.start(() => ({ port: Number(/^m=audio (\d+)/m.exec(first.body)![1]) }), () => 1000, () => tx);
    /** Keys we announced, in order, with the index of the first packet that arrived after each answer. */
    const phases: Array<{ suite: SrtpSuiteName; key: string; from: number }> = [{ suite: S80, key: cryptoKeyOf(first.body, S80)!.key, from: 0 }];
    await sleep(1500);
    for (const [i, suite] of ([S32, S80] as const).entries()) {
      const key = newSdesKey();
      peer.nextCseq(d);
      const { ours } = await offer(peer, d, suite, key, i + 2);
      tx = new SrtpContext(suite, Buffer.from(key, 'base64'));
      phases.push({ suite, key: ours, from: peer.rtpFrom().length });
      await sleep(1500);
    }
    sender.stop();
    peer.send(peer.request('BYE', d, '', peer.nextCseq(d)), alice.port);
    await alice.phone.waitEvent(callState('ended', 'incoming'), 'ended');

    const keys = phases.map((p) => p.key);
    t.diagnostic(`our keys by phase: ${keys.map((k) => `${k.slice(0, 6)}…`).join(' → ')}`);
    assert.equal(new Set(keys).size, 3, 'a new key of ours for each new send context (80, then 32, then a fresh 80)');
    // Around an answer, packets under the previous key may still be in flight: try the phase's key, then the one before.
    const packets = decrypt(peer.rtpFrom().map((a) => a.data), (i) => {
      const p = phases.findLastIndex((ph) => ph.from <= i);
      return [phases[p]!, ...(p > 0 ? [phases[p - 1]!] : []), ...(p + 1 < phases.length ? [phases[p + 1]!] : [])];
    });
    const perKey = keys.map((k) => packets.filter((p) => p.key === k).length);
    t.diagnostic(`packets under each key: ${perKey.join(', ')}; ${assertNoIndexReuse(packets)} same-key pairs XOR-checked`);
    assert.ok(perKey.every((n) => n > 20), 'audio flowed under each key');
  });
});

describe('SRTP with baresip 1.0.0 across re-INVITEs', () => {
  it('hold and resume from both sides keep SRTP audio both ways; baresip repeats its key, ours stays, no index repeats', async (t) => {
    const scope = testScope(t);
    // Direct, no registrar: these tests are about media, and run while others change the SIP test bed.
    const baresip = scope.use(await startBaresip({
      dir: scope.dir, user: '1010', password: 'pw1010', autoAnswer: true, codecs: 'PCMU', accountParams: ';mediaenc=srtp-mand',
      registrar: { host: '127.0.0.1', port: 9, transport: 'udp' }, register: false,
      audioFile: makeToneWav(join(scope.dir, 'theirs.wav'), { freqHz: 1000, seconds: 60 }),
    }));
    const rtpPort = await freePortRange(4);
    const capture = await captureUdp(scope.dir, rtpPort);
    const rec = join(scope.dir, 'alice-heard.wav');
    const phone = scope.use(startSoftphone(['call', baresip.directUri, '--bind-address', '127.0.0.1', '--codecs', 'pcmu', '--srtp', 'required', '--rtp-port', String(rtpPort),
      '--play-file', makeToneWav(join(scope.dir, 'ours.wav'), { freqHz: aliceTone, seconds: 60 }), '--rec-file', rec, '--duration', '9'], { trace: true }));
    await phone.waitEvent(callState('confirmed'), 'confirmed', 15_000);
    const keysAtStart = sdesKeys(await baresip.command('callstat'));
    await sleep(1500);
    phone.command('hold');
    await sleep(1000);
    phone.command('resume');
    await sleep(1500);
    assert.equal((await baresip.command('hold')).ok, true);
    await sleep(1000);
    assert.equal((await baresip.command('resume')).ok, true);
    await sleep(1000);
    const keysAtEnd = sdesKeys(await baresip.command('callstat'));
    await phone.waitEvent(callState('ended'), 'ended', 15_000);
    const datagrams = await capture.stop();

    t.diagnostic(`keys (baresip's / ours) at start ${keysAtStart.theirs.slice(0, 6)}… / ${keysAtStart.ours.slice(0, 6)}…, `
      + `at end ${keysAtEnd.theirs.slice(0, 6)}… / ${keysAtEnd.ours.slice(0, 6)}…`);
    assert.equal(keysAtEnd.theirs, keysAtStart.theirs, 'baresip 1.0.0 does not re-key on re-INVITE (it repeats its a=crypto)');
    assert.equal(keysAtEnd.ours, keysAtStart.ours, 'nothing forced a new send context on our side, so our key stayed');
    const srtpLines = baresip.log().split('\n').filter((l) => /srtp/i.test(l) && /fail|error|unprotect|replay/i.test(l));
    assert.deepEqual(srtpLines, [], 'baresip authenticated everything we sent');

    // What we sent to baresip, all through the re-INVITEs: one context for our key, no index twice, our tone to the end.
    const ours = datagrams.filter((d) => d.srcPort === rtpPort && !isRtcpPacket(d.payload)).map((d) => d.payload);
    const packets = decrypt(ours, () => [{ suite: S80, key: keysAtStart.ours }]);
    const pairs = assertNoIndexReuse(packets);
    const heardByBaresip = decodePcmu(packets.map((p) => rtpPayload(p.plain)));
    const lastSecond = heardByBaresip.subarray(heardByBaresip.length - 8000);
    t.diagnostic(`${packets.length} of our SRTP packets to baresip, ${pairs} pairs XOR-checked; the last second decodes to `
      + `${dominantFrequency(lastSecond, 8000).toFixed(1)} Hz`);
    assert.ok(Math.abs(dominantFrequency(lastSecond, 8000) - aliceTone) < 10, 'our audio still reached baresip after both re-INVITEs');
    // What baresip sent us after the last resume: its tone, in our recording.
    const pcm = readWav(rec);
    const end = pcm.samples.length - pcm.rate / 2;
    const f = dominantFrequency(pcm.samples.subarray(end - pcm.rate, end), pcm.rate);
    assert.ok(Math.abs(f - 1000) < 5, `after the re-INVITEs alice hears ${f.toFixed(1)} Hz`);
  });
});

/** The SDES keys in baresip's `callstat` (its local a=crypto and ours, the remote one). */
function sdesKeys(stat: { data?: unknown }): { theirs: string; ours: string } {
  const text = String(stat.data ?? '');
  const local = /local attributes:[\s\S]*?crypto='\d+ \S+ inline:([A-Za-z0-9+/=]+)'/.exec(text.slice(text.indexOf('session media:')));
  const remote = /remote attributes:\s*\n\s*crypto='\d+ \S+ inline:([A-Za-z0-9+/=]+)'/.exec(text.slice(text.indexOf('session media:')));
  assert.ok(local && remote, `no SDES keys in callstat:\n${text}`);
  return { theirs: local[1]!, ours: remote[1]! };
}
