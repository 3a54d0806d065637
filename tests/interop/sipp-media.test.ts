/**
 * RTP media from sipp: a sipp UAS answers with PCMU and streams a mu-law tone file with
 * `rtp_stream`; our CLI records what it hears, which must be that tone at its level with no gap
 * over 60 ms after the first 500 ms.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { freeUdpTcpPort, makeToneWav, runSipp, testScope } from './harness/index.js';
import { dominantFrequency, findGaps, rmsDbfs, toneSnrDb } from '../support/audio-analysis.js';
import { readWav } from '../support/wav.js';
import { callState, startSoftphone } from '../support/softphone-process.js';

const toneHz = 700;
/** sox sine at volume 0.5 (-6 dBFS peak) is -9 dBFS RMS; G.711 keeps it within a fraction of a dB. */
const expectedDbfs = -9;

/** SNR of the tone in each 100 ms chunk, ascending (a splice by the jitter buffer only costs its chunk). */
function chunkSnrs(samples: Int16Array, rate: number, freq: number): number[] {
  const size = rate / 10;
  const out: number[] = [];
  for (let i = 0; i + size <= samples.length; i += size) out.push(toneSnrDb(samples.subarray(i, i + size), rate, freq));
  return out.sort((a, b) => a - b);
}

describe('sipp rtp_stream', () => {
  it('records the mu-law tone a sipp UAS streams (frequency, level, no gap > 60 ms)', async (t) => {
    const scope = testScope(t);
    // One second of an integer-Hz tone: the loop point is seamless (50 packets of 160 bytes).
    const wav = makeToneWav(join(scope.dir, 'tone.wav'), { freqHz: toneHz, seconds: 1, rate: 8000 });
    execFileSync('sox', [wav, '-t', 'ul', '-r', '8000', '-c', '1', join(scope.dir, 'tone.ulaw')]);
    const port = await freeUdpTcpPort(1);
    const sipp = scope.use(runSipp({ scenario: join(import.meta.dirname, 'fixtures', 'sipp', 'uas-rtp-stream.xml'), dir: scope.dir, localPort: port }));
    const recording = join(scope.dir, 'heard.wav');
    const phone = scope.use(startSoftphone(['call', `sip:service@127.0.0.1:${port}`, '--codecs', 'pcmu', '--rec-file', recording, '--duration', '3.5']));
    const confirmed = await phone.waitEvent(callState('confirmed'), 'confirmed');
    assert.equal(confirmed.codec, 'PCMU');
    await phone.waitEvent(callState('ended'), 'ended', 10_000);
    const stats = await phone.waitEvent((e) => e.event === 'stats', 'stats');
    assert.equal(await phone.exited, 0);
    const result = await sipp.done;
    assert.equal(result.code, 0, result.log);
    // 3.5 s at 50 packets/s, minus the time before sipp's first packet.
    assert.ok(Number(stats.packetsReceived) > 150, JSON.stringify(stats));
    assert.equal(stats.lossPercent, 0, JSON.stringify(stats));

    const pcm = readWav(recording);
    const limit = 32768 * Math.pow(10, -40 / 20);
    const first = pcm.samples.findIndex((s) => Math.abs(s) > limit);
    assert.ok(first >= 0, 'the recording is silent');
    const window = pcm.samples.subarray(first + pcm.rate / 2, first + 3 * pcm.rate);
    assert.ok(window.length >= 2.4 * pcm.rate, `only ${(window.length / pcm.rate).toFixed(2)} s of audio after start-up`);
    const f = dominantFrequency(window, pcm.rate);
    assert.ok(Math.abs(f - toneHz) < 5, `dominant ${f.toFixed(1)} Hz, expected ${toneHz}`);
    const level = rmsDbfs(window);
    assert.ok(Math.abs(level - expectedDbfs) < 1.5, `level ${level.toFixed(1)} dBFS, expected about ${expectedDbfs}`);
    const snr = chunkSnrs(window, pcm.rate, toneHz);
    t.diagnostic(`heard ${f.toFixed(1)} Hz at ${level.toFixed(2)} dBFS; 100 ms SNR min ${snr[0]!.toFixed(1)} median ${snr[snr.length >> 1]!.toFixed(1)} dB; ${JSON.stringify(stats)}`);
    // G.711 mu-law quantization alone leaves ~37 dB at this level; a decoding fault or a splice costs far more.
    assert.ok(snr[0]! > 30, `worst 100 ms chunk SNR ${snr[0]!.toFixed(1)} dB (median ${snr[snr.length >> 1]!.toFixed(1)})`);
    assert.deepEqual(findGaps(window, pcm.rate, -40, 60).map((g) => `${g.startMs.toFixed(0)}+${g.durationMs.toFixed(0)}ms`), [], 'gaps');
  });
});
