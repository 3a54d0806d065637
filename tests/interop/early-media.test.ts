/**
 * Early media (RFC 3261 §13.2.1 without 100rel; RFC 3960): a 183 with SDP is the answer, and what
 * the far end streams before the 200 (an announcement, the PBX's ringback) plays at once — our own
 * ringback tone is only for a 180 without media.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { freeUdpTcpPort, makeToneWav, runSipp, testScope } from './harness/index.js';
import { goertzel, rms } from '../support/audio-analysis.js';
import { readWav } from '../support/wav.js';
import { callState, startSoftphone } from '../support/softphone-process.js';

const toneHz = 700;

describe('early media from a 183 with SDP', () => {
  it('plays the far end\'s media before the answer, and no local ringback', async (t) => {
    const scope = testScope(t);
    const wav = makeToneWav(join(scope.dir, 'tone.wav'), { freqHz: toneHz, seconds: 1, rate: 8000 });
    execFileSync('sox', [wav, '-t', 'ul', '-r', '8000', '-c', '1', join(scope.dir, 'tone.ulaw')]);
    const port = await freeUdpTcpPort(1);
    const sipp = scope.use(runSipp({ scenario: join(import.meta.dirname, 'fixtures', 'sipp', 'uas-early-media.xml'), dir: scope.dir, localPort: port }));
    const recording = join(scope.dir, 'heard.wav');
    const phone = scope.use(startSoftphone(['call', `sip:service@127.0.0.1:${port}`, '--codecs', 'pcmu', '--rec-file', recording, '--duration', '1.5']));
    await phone.waitEvent(callState('early'), 'early (183 with SDP)');
    await phone.waitEvent(callState('confirmed'), 'confirmed');
    await phone.waitEvent(callState('ended'), 'ended', 10_000);
    assert.equal(await phone.exited, 0);
    assert.equal((await sipp.done).code, 0);
    assert.equal(phone.events.some(callState('ringing')), false, 'a 183 with SDP is early media, not ringing');

    // 100 ms windows: the tone must be heard for the ~2 s before the answer as well as the 1.5 s after.
    const pcm = readWav(recording);
    const size = pcm.rate / 10;
    let toneWindows = 0;
    let ringbackWindows = 0;
    for (let i = 0; i + size <= pcm.samples.length; i += size) {
      const w = pcm.samples.subarray(i, i + size);
      // Goertzel reads a sine's amplitude; a pure tone's RMS is that over √2.
      const amplitude = rms(w) * Math.SQRT2;
      if (amplitude < 300) continue;
      if (goertzel(w, pcm.rate, toneHz) > 0.8 * amplitude) toneWindows++;
      if (goertzel(w, pcm.rate, 440) > 0.3 * amplitude || goertzel(w, pcm.rate, 480) > 0.3 * amplitude) ringbackWindows++;
    }
    t.diagnostic(`tone heard for ${toneWindows / 10} s; ringback for ${ringbackWindows / 10} s`);
    assert.ok(toneWindows >= 30, `far-end media before and after the answer: only ${toneWindows / 10} s of ${toneHz} Hz`);
    assert.equal(ringbackWindows, 0, 'no local ringback over early media');
  });

  it('plays our own ringback while a 180 without SDP rings (US plan: 440+480 Hz), and stops at the answer', async (t) => {
    const scope = testScope(t);
    const port = await freeUdpTcpPort(1);
    const sipp = scope.use(runSipp({ scenario: join(import.meta.dirname, 'fixtures', 'sipp', 'uas-ringing.xml'), dir: scope.dir, localPort: port }));
    const recording = join(scope.dir, 'heard.wav');
    const phone = scope.use(startSoftphone(['call', `sip:service@127.0.0.1:${port}`, '--codecs', 'pcmu', '--rec-file', recording, '--duration', '1.5']));
    await phone.waitEvent(callState('ringing'), 'ringing (180)');
    await phone.waitEvent(callState('ended'), 'ended', 15_000);
    assert.equal(await phone.exited, 0);
    assert.equal((await sipp.done).code, 0);
    const pcm = readWav(recording);
    const size = pcm.rate / 10;
    const ringback: boolean[] = [];
    for (let i = 0; i + size <= pcm.samples.length; i += size) {
      const w = pcm.samples.subarray(i, i + size);
      const amplitude = rms(w) * Math.SQRT2;
      ringback.push(amplitude > 300 && goertzel(w, pcm.rate, 440) > 0.3 * amplitude && goertzel(w, pcm.rate, 480) > 0.3 * amplitude);
    }
    const first = ringback.indexOf(true);
    const last = ringback.lastIndexOf(true);
    t.diagnostic(`ringback from ${first / 10} s to ${(last + 1) / 10} s of ${ringback.length / 10} s`);
    // The cadence is 2 s on / 4 s off: on at 0–2 s and again from 6 s; the answer comes at 6.5 s.
    const on = (from: number, to: number) => ringback.slice(from * 10, to * 10).filter(Boolean).length / 10;
    assert.ok(first >= 0 && on(first / 10, first / 10 + 2) >= 1.6, 'the first 2 s on-phase while ringing');
    assert.ok(on(first / 10 + 2.3, first / 10 + 5.7) === 0, 'the off-phase is silent');
    assert.ok(on(first / 10 + 6, first / 10 + 6.5) >= 0.3, 'the second on-phase starts');
    assert.ok(last / 10 < first / 10 + 6.9 && ringback.length - last > 10, 'the tone stops at the answer (6.5 s), well before its on-phase would end (8 s)');
  });
});
