/**
 * RtpSender without a socket: device frames in, the exact bytes of each packet out (RFC 3550 §5.1
 * header, G.711 payload, RFC 4733 telephone-event, RFC 3711 SRTP).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codecByName } from '../../../src-main/media/codecs/registry.js';
import { RtpSender } from '../../../src-main/media/engine/rtp-sender.js';
import { SrtpContext } from '../../../src-main/media/srtp/srtp-context.js';

const PCMU = codecByName('PCMU')!;
const START = { ssrc: 0x11223344, sequence: 0xfffe, timestamp: 0xffffff00 };
const SUITE = 'AES_CM_128_HMAC_SHA1_80';
const keyBytes = Buffer.alloc(30, 7);

interface Out { wire: Uint8Array | undefined; timestamp: number; payloadBytes: number }

function sender(ptime = 20, telephoneEventPt?: number) {
  const out: Out[] = [];
  // Copies: the sender's ring buffers are reused after 8 packets.
  const s = new RtpSender(START, 48000, { rtp: (wire, timestamp, payloadBytes) => out.push({ wire: wire && Uint8Array.from(wire), timestamp, payloadBytes }) });
  s.setCodec(PCMU, { payloadType: 0, ptime, telephoneEventPt });
  return { s, out };
}

const silentFrame = new Int16Array(960);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** PCMU of digital silence is 0xff (G.711 µ-law, bits inverted). */
const silence160 = 'ff'.repeat(160);

describe('RtpSender: bytes on the wire', () => {
  it('PCMU at 20 ms: one 172-byte packet per 48 kHz frame; marker on the first only; sequence and timestamp wrap', () => {
    const { s, out } = sender();
    s.frame(silentFrame);
    s.frame(silentFrame);
    s.frame(silentFrame);
    assert.equal(out.length, 3);
    // V=2, M=1 PT=0, seq fffe, ts ffffff00, SSRC 11223344
    assert.equal(hex(out[0]!.wire!), '8080fffeffffff0011223344' + silence160);
    assert.equal(hex(out[1]!.wire!), '8000ffffffffffa011223344' + silence160);
    assert.equal(hex(out[2]!.wire!), '800000000000004011223344' + silence160);
    assert.deepEqual(out.map((o) => [o.timestamp, o.payloadBytes]), [[0xffffffa0, 160], [0x40, 160], [0xe0, 160]]);
    assert.equal(s.packetsSent, 3);
  });

  it('at 10 ms two packets per frame, each in its own buffer (the first is not overwritten by the second)', () => {
    const out: Uint8Array[] = [];
    const s = new RtpSender(START, 48000, { rtp: (wire) => out.push(wire!) });
    s.setCodec(PCMU, { payloadType: 0, ptime: 10, telephoneEventPt: undefined });
    s.frame(silentFrame);
    assert.equal(out.length, 2);
    assert.equal(hex(out[0]!), '8080fffeffffff0011223344' + 'ff'.repeat(80));
    assert.equal(hex(out[1]!), '8000ffffffffff5011223344' + 'ff'.repeat(80));
  });

  it('hold (RFC 3550 §5.1): the timestamp follows the sampling clock while nothing is sent, and the next packet carries the marker', () => {
    const { s, out } = sender();
    s.frame(silentFrame);
    s.skip(960);
    s.skip(960);
    s.frame(silentFrame);
    assert.equal(out.length, 2);
    // seq goes on by one; ts ffffff00 + 160 for the packet + 2 × 160 skipped = (2^32 +) e0.
    assert.equal(hex(out[1]!.wire!).slice(0, 24), '8080ffff' + '000000e0' + '11223344');
  });

  it('DTMF (RFC 4733 §2.3): telephone-event packets replace audio, start with the marker and one timestamp; the end packet has E set', () => {
    const { s, out } = sender(20, 101);
    s.frame(silentFrame);
    s.sendDtmf('5');
    for (let i = 0; i < 20; i++) s.frame(silentFrame);
    const events = out.filter((o) => (o.wire![1]! & 0x7f) === 101).map((o) => o.wire!);
    assert.ok(events.length >= 3, `${events.length} event packets`);
    // First: M=1, PT 101, the event's timestamp, payload event 5, E=0, a duration of one packet.
    assert.equal(events[0]![1], 0x80 | 101);
    const ts = (p: Uint8Array) => Buffer.from(p).readUInt32BE(4);
    assert.ok(events.every((p) => ts(p) === ts(events[0]!)), 'one timestamp for the whole event');
    assert.equal(events[0]![12], 5);
    assert.equal(events[0]![13]! & 0x80, 0);
    assert.equal(Buffer.from(events[0]!).readUInt16BE(14), 160);
    const last = events.at(-1)!;
    assert.equal(last[13]! & 0x80, 0x80, 'E bit on the end packet');
    assert.equal(last[1], 101, 'no marker after the first');
    // Durations grow, and audio resumes after the event with consecutive sequence numbers.
    const seqs = out.map((o) => Buffer.from(o.wire!).readUInt16BE(2));
    for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], (seqs[i - 1]! + 1) & 0xffff);
    assert.equal(out.at(-1)!.wire![1]! & 0x7f, 0);
  });

  it('SRTP: the packet is protected in place (10-byte tag) and the peer context recovers the exact plain bytes', () => {
    const { s, out } = sender();
    const keys = { suite: SUITE, localKey: keyBytes.toString('base64'), remoteKey: Buffer.alloc(30, 9).toString('base64') };
    s.checkKeys(keys, 's');
    s.setKeys(keys);
    s.frame(silentFrame);
    s.frame(silentFrame);
    const peer = new SrtpContext(SUITE, keyBytes);
    assert.equal(out[0]!.wire!.length, 172 + 10);
    assert.notEqual(hex(out[0]!.wire!.subarray(12, 172)), silence160, 'payload encrypted');
    assert.equal(hex(peer.unprotectRtp(out[0]!.wire!) as Uint8Array), '8080fffeffffff0011223344' + silence160);
    assert.equal(hex(peer.unprotectRtp(out[1]!.wire!) as Uint8Array), '8000ffffffffffa011223344' + silence160);
    // RTCP leaves as SRTCP: E flag and index, then the tag.
    const rtcp = Uint8Array.from(Buffer.from('80c9000111223344', 'hex'));
    const srtcp = s.protectRtcp(rtcp);
    assert.equal(srtcp.length, 8 + 4 + 10);
    assert.equal(hex(peer.unprotectRtcp(srtcp) as Uint8Array), '80c9000111223344');
  });

  it('RFC 3711 §9.1: the same send key for a new context is refused before anything changes; unchanged keys keep the context', () => {
    const { s, out } = sender();
    const a = { suite: SUITE, localKey: keyBytes.toString('base64'), remoteKey: keyBytes.toString('base64') };
    s.checkKeys(a, 's');
    s.setKeys(a);
    s.frame(silentFrame);
    s.checkKeys(a, 's');
    s.setKeys(a);
    s.frame(silentFrame);
    const peer = new SrtpContext(SUITE, keyBytes);
    assert.ok(peer.unprotectRtp(out[1]!.wire!) instanceof Uint8Array, 'same context: index goes on');
    s.checkKeys(undefined, 's');
    s.setKeys(undefined);
    assert.throws(() => s.checkKeys(a, 's'), /reused/);
  });

  it('c=0.0.0.0 (discard): packets are clocked and counted but nothing is handed out', () => {
    const { s, out } = sender();
    s.discard = true;
    s.frame(silentFrame);
    s.discard = false;
    s.frame(silentFrame);
    assert.equal(out[0]!.wire, undefined);
    assert.equal(hex(out[1]!.wire!).slice(0, 8), '8000ffff');
    assert.equal(s.packetsSent, 2);
  });
});
