import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DtmfReceiver, DtmfSender, MAX_DURATION, dtmfDigit, dtmfEventCode, readTelephoneEvent, writeTelephoneEvent,
  type TelephoneEvent,
} from '../../../src-main/media/dtmf/rfc4733.js';

interface Sent { ts: number; marker: boolean; end: boolean; event: number; duration: number; hex: string }

/** Tick a sender for `frames` frames from `startTs`; null = that frame carries audio. */
function run(sender: DtmfSender, frames: number, startTs = 1000, frameUnits = 160): Array<Sent | null> {
  const out: Array<Sent | null> = [];
  for (let i = 0; i < frames; i++) {
    const p = sender.tick((startTs + i * frameUnits) >>> 0);
    out.push(p ? {
      ts: p.timestamp, marker: p.marker, end: p.end, event: p.event, duration: p.duration,
      hex: Buffer.from(p.payload).toString('hex'),
    } : null);
  }
  return out;
}

const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

describe('RFC 4733 §2.3 payload layout and §3.2 event codes', () => {
  it('writes and reads byte-exact reports', () => {
    const cases: Array<[TelephoneEvent, string]> = [
      [{ event: 5, end: false, volume: 10, duration: 160 }, '050a00a0'],
      [{ event: 5, end: true, volume: 10, duration: 800 }, '058a0320'],
      [{ event: 11, end: false, volume: 63, duration: 0xffff }, '0b3fffff'],
      [{ event: 15, end: true, volume: 0, duration: 0 }, '0f800000'],
    ];
    for (const [e, hex] of cases) {
      const out = new Uint8Array(4);
      writeTelephoneEvent(out, 0, e);
      assert.equal(Buffer.from(out).toString('hex'), hex);
      const back: TelephoneEvent = { event: -1, end: false, volume: -1, duration: -1 };
      assert.equal(readTelephoneEvent(out, back), true);
      assert.deepEqual(back, e);
    }
    // The R bit is ignored on receipt (§2.3.3); short payloads are rejected.
    const r: TelephoneEvent = { event: 0, end: false, volume: 0, duration: 0 };
    assert.equal(readTelephoneEvent(bytes('05ca0320'), r), true);
    assert.deepEqual(r, { event: 5, end: true, volume: 10, duration: 800 });
    assert.equal(readTelephoneEvent(bytes('050a00'), r), false);
  });

  it('maps 0–9 * # A–D to 0–15 and back', () => {
    assert.deepEqual([...'0123456789*#ABCD'].map(dtmfEventCode), [...Array(16).keys()]);
    assert.equal(dtmfEventCode('a'), 12);
    assert.equal(dtmfEventCode('E'), -1);
    assert.equal(dtmfEventCode('12'), -1);
    assert.equal(dtmfDigit(11), '#');
    assert.equal(dtmfDigit(16), undefined);
  });
});

describe('DtmfSender (RFC 4733 §2.5.1)', () => {
  it('100 ms "5" at 8 kHz / 20 ms: marker first, one timestamp, duration +160 per frame, 3 end reports, then a pause', () => {
    const sender = new DtmfSender({ clockRate: 8000, packetMs: 20 });
    sender.send('5', 100);
    const got = run(sender, 9);
    const r = (marker: boolean, end: boolean, duration: number, hex: string): Sent => ({ ts: 1000, marker, end, event: 5, duration, hex });
    assert.deepEqual(got, [
      r(true, false, 160, '050a00a0'),
      r(false, false, 320, '050a0140'),
      r(false, false, 480, '050a01e0'),
      r(false, false, 640, '050a0280'),
      r(false, true, 800, '058a0320'),
      r(false, true, 800, '058a0320'),
      r(false, true, 800, '058a0320'),
      null, null,
    ]);
    assert.equal(sender.idle, false, 'still pausing');
    run(sender, 2);
    assert.equal(sender.idle, true);
    assert.deepEqual(sender.stats(), { queued: 0, events: 1, packets: 7 });
  });

  it('a 50 ms digit reports every 20 ms and ends on exactly 400 units; digits are ≥ 50 ms apart', () => {
    const sender = new DtmfSender({ clockRate: 8000, packetMs: 20, volume: 7 });
    sender.send('#1', 50);
    const got = run(sender, 14);
    const shape = got.map((p) => (p ? `${p.ts}:${p.marker ? 'M' : ''}${p.end ? 'E' : ''}${p.event}/${p.duration}` : '-'));
    assert.deepEqual(shape, [
      '1000:M11/160', '1000:11/320', '1000:E11/400', '1000:E11/400', '1000:E11/400', '-', '-', '-',
      '2280:M1/160', '2280:1/320', '2280:E1/400', '2280:E1/400', '2280:E1/400', '-',
    ]);
    assert.equal(got[0]!.hex, '0b0700a0', 'volume 7');
  });

  it('is active only while reporting; clear() drops queued digits but finishes the current one', () => {
    const sender = new DtmfSender({ clockRate: 8000, packetMs: 20, endPackets: 1, pauseMs: 0 });
    assert.equal(sender.tick(0), undefined);
    sender.send('12', 40);
    assert.ok(sender.tick(0));
    assert.equal(sender.active, true);
    sender.clear();
    const rest = run(sender, 4, 160);
    assert.deepEqual(rest.map((p) => p && `${p.end ? 'E' : ''}${p.duration}`), ['E320', null, null, null]);
    assert.equal(sender.active, false);
    assert.throws(() => sender.send('5x'), RangeError);
  });

  it('§2.5.1.3: an event longer than 0xFFFF units is split into segments 0xFFFF apart', () => {
    const sender = new DtmfSender({ clockRate: 8000, packetMs: 20 });
    sender.send('0', 10_000); // 80 000 units
    const got = run(sender, 505, 0xffffff00).filter((p): p is Sent => p !== null);
    const first = got.filter((p) => p.ts === 0xffffff00);
    const second = got.filter((p) => p.ts === ((0xffffff00 + MAX_DURATION) >>> 0));
    assert.equal(first.length + second.length, got.length, 'two segments only');
    assert.equal(first.at(-1)!.duration, MAX_DURATION);
    assert.equal(first.at(-1)!.end, false);
    assert.ok(first.every((p, i) => i === 0 ? p.marker : !p.marker));
    assert.ok(second.every((p) => !p.marker));
    assert.equal(second[0]!.duration, 411 * 160 - MAX_DURATION, 'the new segment tracks real time');
    assert.deepEqual(second.slice(-3).map((p) => [p.end, p.duration]), [[true, 80_000 - MAX_DURATION], [true, 14465], [true, 14465]]);
    // Durations never go backwards inside a segment.
    for (const seg of [first, second]) for (let i = 1; i < seg.length; i++) assert.ok(seg[i]!.duration >= seg[i - 1]!.duration);
  });

  it('48 kHz clock (telephone-event/48000 alongside Opus): 960 units per 20 ms frame', () => {
    const sender = new DtmfSender({ clockRate: 48000, packetMs: 20 });
    sender.send('9', 60);
    const got = run(sender, 6, 0, 960);
    assert.deepEqual(got.map((p) => p && p.duration), [960, 1920, 2880, 2880, 2880, null]);
  });
});

describe('DtmfReceiver (RFC 4733 §2.5.2)', () => {
  /** Feed sender output through the receiver, with optional loss/mangling; returns the digits. */
  function relay(digits: string, ms: number, mangle?: (packets: Array<[Uint8Array, number, boolean]>) => Array<[Uint8Array, number, boolean]>): { digits: string; receiver: DtmfReceiver } {
    const sender = new DtmfSender({ clockRate: 8000, packetMs: 20 });
    sender.send(digits, ms);
    let packets: Array<[Uint8Array, number, boolean]> = [];
    for (let i = 0; i < 2000 && !sender.idle; i++) {
      const p = sender.tick(i * 160);
      if (p) packets.push([p.payload.slice(), p.timestamp, p.marker]);
    }
    if (mangle) packets = mangle(packets);
    const receiver = new DtmfReceiver();
    let out = '';
    for (const [payload, ts, marker] of packets) out += receiver.push(payload, ts, marker)?.digit ?? '';
    return { digits: out, receiver };
  }

  it('reports each digit once, ignoring updates and the three end reports', () => {
    const { digits, receiver } = relay('0123456789*#ABCD', 100);
    assert.equal(digits, '0123456789*#ABCD');
    assert.deepEqual(receiver.stats(), { digits: 16, ended: 16, absorbed: 16 * 6, segments: 0, ignored: 0 });
    assert.equal(receiver.duration, 800);
  });

  it('the same key pressed twice is two digits (two timestamps)', () => {
    assert.equal(relay('55', 60).digits, '55');
  });

  it('a lost start (marker) report still yields the digit once', () => {
    const { digits } = relay('73', 100, (ps) => ps.filter(([, , marker]) => !marker));
    assert.equal(digits, '73');
  });

  it('only the end reports arriving (every update lost) still yields the digit once, ended', () => {
    const { digits, receiver } = relay('8', 100, (ps) => ps.filter(([p]) => (p[1]! & 0x80) !== 0));
    assert.equal(digits, '8');
    assert.equal(receiver.ended, true);
    assert.equal(receiver.duration, 800);
  });

  it('end retransmissions delayed past the next digit, and reordered updates, are absorbed', () => {
    const { digits } = relay('12', 60, (ps) => {
      const firstEnds = ps.filter(([p, ts]) => ts === 0 && (p[1]! & 0x80) !== 0);
      const rest = ps.filter((x) => !firstEnds.includes(x));
      [rest[0], rest[1]] = [rest[1]!, rest[0]!]; // update before the marker report
      return [...rest, ...firstEnds];
    });
    assert.equal(digits, '12');
  });

  it('§2.5.1.3: a 10 s key (two segments) is one digit of 80 000 units', () => {
    const { digits, receiver } = relay('4', 10_000);
    assert.equal(digits, '4');
    assert.equal(receiver.duration, 80_000);
    assert.equal(receiver.stats().segments, 1);
  });

  it('a long key whose 0xFFFF report was lost still continues; a new marker is a new digit', () => {
    const { digits, receiver } = relay('4', 10_000, (ps) => ps.filter(([p]) => ((p[2]! << 8) | p[3]!) !== MAX_DURATION));
    assert.equal(digits, '4');
    assert.equal(receiver.stats().segments, 1);
    const r = new DtmfReceiver();
    assert.equal(r.push(bytes('04 0a ff 60'.replace(/ /g, '')), 0, true)?.digit, '4');
    assert.equal(r.push(bytes('040a00a0'), MAX_DURATION, true)?.digit, '4', 'marker: a new press');
  });

  it('timestamps wrap at 2^32: events either side are new, a stale one is absorbed', () => {
    const r = new DtmfReceiver();
    assert.equal(r.push(bytes('010a00a0'), 0xffffff00, true)?.digit, '1');
    assert.equal(r.push(bytes('018a0320'), 0xffffff00, false), undefined);
    assert.equal(r.push(bytes('020a00a0'), 0x00000200, true)?.digit, '2');
    assert.equal(r.push(bytes('018a0320'), 0xffffff00, false), undefined, 'stale end of "1"');
  });

  it('ignores non-DTMF events (16 = flash) and short payloads', () => {
    const r = new DtmfReceiver();
    assert.equal(r.push(bytes('100a00a0'), 0, true), undefined);
    assert.equal(r.push(bytes('010a'), 0, true), undefined);
    assert.equal(r.stats().ignored, 2);
    assert.deepEqual(r.push(bytes('0c0d00a0'), 160, true), { digit: 'A', event: 12, timestamp: 160, volume: 13 });
  });
});
