/** RTCP compound packets (RFC 3550 §6): SR, RR, SDES, BYE byte-exact; strict lengths; unknown types skipped. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRtcp, findCname, parseRtcp, writeRtcp, type RtcpPacket } from '../../../src-main/media/rtp/rtcp.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

// §6.4.1: RC=1, PT=200, length 12 words; sender info; one report block (fraction 25/256, 10 lost).
const SR_6_4_1 = hex(`81c8000c cafebabe e8a1b2c3 80000000 00012345 00000064 00003e80
  deadbeef 1900000a 0001ffff 00000050 b7052000 00054000`);
const SR_OBJECT: RtcpPacket = {
  type: 'SR',
  ssrc: 0xcafebabe,
  sender: { ntpSeconds: 0xe8a1b2c3, ntpFraction: 0x80000000, rtpTimestamp: 0x12345, packetCount: 100, octetCount: 16000 },
  reports: [{
    ssrc: 0xdeadbeef, fractionLost: 25, cumulativeLost: 10, highestSequence: 0x1ffff, jitter: 80,
    lastSr: 0xb7052000, delaySinceLastSr: 0x54000,
  }],
};
// §6.4.2: RR with no report blocks.
const RR_6_4_2 = hex('80c90001 cafebabe');
// §6.5.1: SDES, one chunk, CNAME "user@host", one null octet ends the list on the 32-bit boundary.
const SDES_6_5_1 = hex('81ca0004 cafebabe 0109 7573657240686f7374 00');
// §6.6: BYE of one source with reason "bye".
const BYE_6_6 = hex('81cb0002 cafebabe 03627965');
// §6.7: APP (name "name"), which we do not interpret.
const APP_6_7 = hex('80cc0002 cafebabe 6e616d65');

test('RFC 3550 §6.4.1 SR with a report block: byte-exact both ways', () => {
  assert.deepEqual(buildRtcp([SR_OBJECT]), SR_6_4_1);
  assert.deepEqual(parseRtcp(SR_6_4_1), [SR_OBJECT]);
});

test('RFC 3550 §6.4.2 RR, §6.5.1 SDES CNAME, §6.6 BYE: byte-exact both ways', () => {
  const rr: RtcpPacket = { type: 'RR', ssrc: 0xcafebabe, reports: [] };
  const sdes: RtcpPacket = { type: 'SDES', chunks: [{ ssrc: 0xcafebabe, items: [{ type: 1, value: 'user@host' }] }] };
  const bye: RtcpPacket = { type: 'BYE', sources: [0xcafebabe], reason: 'bye' };
  assert.deepEqual(buildRtcp([rr]), RR_6_4_2);
  assert.deepEqual(buildRtcp([sdes]), SDES_6_5_1);
  assert.deepEqual(buildRtcp([bye]), BYE_6_6);
  assert.deepEqual(parseRtcp(RR_6_4_2), [rr]);
  assert.deepEqual(parseRtcp(SDES_6_5_1), [sdes]);
  assert.deepEqual(parseRtcp(BYE_6_6), [bye]);
});

test('RFC 3550 §6.1 compound: SR + SDES + APP + BYE; the unknown APP is kept as a view and skipped', () => {
  const compound = Uint8Array.from(Buffer.concat([SR_6_4_1, SDES_6_5_1, APP_6_7, BYE_6_6]));
  const packets = parseRtcp(compound)!;
  assert.deepEqual(packets.map((p) => p.type), ['SR', 'SDES', 'other', 'BYE']);
  const app = packets[2]!;
  assert.ok(app.type === 'other');
  assert.equal(app.packetType, 204);
  assert.deepEqual(app.body, hex('cafebabe 6e616d65'));
  const sdes = packets[1]!;
  assert.ok(sdes.type === 'SDES');
  assert.equal(findCname(sdes, 0xcafebabe), 'user@host');
  // And it writes back to the same bytes.
  assert.deepEqual(buildRtcp(packets), compound);
});

test('RFC 3550 §6.5: SDES chunk whose items end on a 32-bit boundary gets four null octets', () => {
  // 4 (SSRC) + 2 + 2 ("ab") = 8 → a full word of nulls follows.
  const sdes: RtcpPacket = { type: 'SDES', chunks: [{ ssrc: 1, items: [{ type: 1, value: 'ab' }] }, { ssrc: 2, items: [] }] };
  const bytes = buildRtcp([sdes]);
  assert.deepEqual(bytes, hex('82ca0005 00000001 01026162 00000000 00000002 00000000'));
  assert.deepEqual(parseRtcp(bytes), [sdes]);
});

test('RFC 3550 §6.4.1: negative cumulative loss (duplicates) is a signed 24-bit field', () => {
  const rr: RtcpPacket = {
    type: 'RR', ssrc: 1,
    reports: [{ ssrc: 2, fractionLost: 0, cumulativeLost: -5, highestSequence: 7, jitter: 0, lastSr: 0, delaySinceLastSr: 0 }],
  };
  const bytes = buildRtcp([rr]);
  assert.deepEqual(bytes.subarray(12, 16), hex('00fffffb'));
  assert.deepEqual(parseRtcp(bytes), [rr]);
});

test('RFC 3550 A.2: malformed compounds are rejected as a whole', () => {
  const cases: Array<[string, Uint8Array]> = [
    ['empty', new Uint8Array(0)],
    ['version 1', hex('40c90001 cafebabe')],
    ['length past the end', hex('80c90002 cafebabe')],
    ['trailing octets after the last packet', Buffer.concat([RR_6_4_2, hex('8000')])],
    ['RC larger than the packet', hex('81c90001 cafebabe')],
    ['SR shorter than its sender info', hex('80c80001 cafebabe')],
    ['padding on a packet that is not last', Buffer.concat([hex('a0c90002 cafebabe 00000004'), RR_6_4_2])],
    ['padding count larger than the packet', hex('a0c90001 cafebab9')],
    ['SDES item running past the end', hex('81ca0002 cafebabe 0109 7573')],
    ['BYE reason running past the end', hex('81cb0002 cafebabe 09627965')],
  ];
  for (const [name, bytes] of cases) assert.equal(parseRtcp(bytes), undefined, name);
});

test('RFC 3550 §6.4.1: padding on the last packet is removed before parsing its body', () => {
  const padded = hex('a0c90002 cafebabe 00000004');
  assert.deepEqual(parseRtcp(padded), [{ type: 'RR', ssrc: 0xcafebabe, reports: [] }]);
});

test('writeRtcp writes into a caller buffer and reports 0 when it does not fit', () => {
  const out = new Uint8Array(100).fill(0xee);
  assert.equal(writeRtcp(out, [{ type: 'RR', ssrc: 0xcafebabe, reports: [] }]), 8);
  assert.deepEqual(out.subarray(0, 8), RR_6_4_2);
  assert.equal(out[8], 0xee);
  assert.equal(writeRtcp(new Uint8Array(7), [{ type: 'RR', ssrc: 1, reports: [] }]), 0);
});

test('parseRtcp never throws on random input', () => {
  let seed = 99;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
  for (let i = 0; i < 20000; i++) {
    const data = new Uint8Array(next() % 48);
    for (let j = 0; j < data.length; j++) data[j] = next() & 0xff;
    if (data.length > 3) {
      data[0] = (data[0]! & 0x3f) | 0x80;
      data[2] = 0;
      data[3] = data[3]! % 12;
    }
    const packets = parseRtcp(data);
    if (packets) assert.ok(packets.length >= 1);
  }
});
