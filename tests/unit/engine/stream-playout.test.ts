/** The receive half: any packet duration played out in device periods without gaps. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PCMU } from '../../../src-main/media/codecs/g711.js';
import { StreamPlayout } from '../../../src-main/media/engine/stream-playout.js';
import { dominantFrequency, findGaps } from '../../support/audio-analysis.js';

const deviceRate = 48000;
const period = 960; // 20 ms

/** PCMU packets of `packetMs` carrying a continuous 400 Hz tone. */
function tonePackets(packetMs: number, count: number): Uint8Array[] {
  const encoder = PCMU.createEncoder();
  const samples = (8000 * packetMs) / 1000;
  return Array.from({ length: count }, (_, p) => {
    const pcm = new Int16Array(samples);
    for (let i = 0; i < samples; i++) pcm[i] = Math.round(12000 * Math.sin((2 * Math.PI * 400 * (p * samples + i)) / 8000));
    const out = new Uint8Array(samples);
    encoder.encode(pcm, out);
    return out;
  });
}

/** Feed packets at their real cadence and pull device periods every 20 ms; returns what played. */
function play(packetMs: number, seconds: number) {
  const playout = new StreamPlayout(PCMU, deviceRate);
  const packets = tonePackets(packetMs, Math.floor((seconds * 1000) / packetMs));
  const heard = new Int16Array((seconds * deviceRate) | 0);
  const mix = new Int32Array(period);
  let next = 0;
  for (let t = 0, frame = 0; (frame + 1) * period <= heard.length; t += 20, frame++) {
    while (next < packets.length && next * packetMs <= t) {
      playout.push({ sequence: next, timestamp: next * 8 * packetMs, ssrc: 7, marker: next === 0, payload: packets[next]! }, next * packetMs);
      next++;
    }
    mix.fill(0);
    playout.playInto(mix, t);
    for (let i = 0; i < period; i++) heard[frame * period + i] = mix[i]!;
  }
  return { playout, heard };
}

describe('StreamPlayout', () => {
  for (const packetMs of [20, 30, 40, 60]) {
    it(`plays ${packetMs} ms packets in 20 ms device periods without gaps, and learns the duration`, () => {
      const { playout, heard } = play(packetMs, 4);
      assert.equal(playout.receivedPacketMs, packetMs);
      const start = heard.findIndex((s) => Math.abs(s) > 1000);
      assert.ok(start >= 0 && start < deviceRate / 2, `audio starts within 500 ms (at ${start / 48} ms)`);
      // After a re-buffer when the duration is learnt, the tone must run without gaps to the end.
      const steady = heard.subarray(start + deviceRate / 2, heard.length - deviceRate / 5);
      assert.deepEqual(findGaps(steady, deviceRate, -30, 10).map((g) => `${g.startMs.toFixed(0)}+${g.durationMs.toFixed(0)}`), []);
      assert.ok(Math.abs(dominantFrequency(steady, deviceRate) - 400) < 3);
      const s = playout.stats();
      assert.equal(s.late, 0);
      assert.ok(s.concealed <= 2, `concealed ${s.concealed}`);
    });
  }
});
