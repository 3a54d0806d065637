/**
 * Noise suppression on a real device path (issue 17): headless PulseAudio, a seeded pink-noise
 * WAV (a fan at the desk) with a spoken sentence over it played into the virtual microphone, our
 * CLI answering baresip on the PulseAudio devices. Two calls, the same in all but `--ns` (AEC and
 * AGC off in both, so levels are the suppressor's alone):
 * - the steady noise in what baresip receives must be ≥ 8 dB lower with `--ns low` (SpeexDSP)
 *   than with `--ns off`, over a window after the suppressor's convergence (13.3–13.4 dB measured
 *   in 3 runs here: -35.3 dBFS off, -48.6 dBFS low, for -32 dBFS played);
 * - the sentence spoken over the noise must still reach baresip within ±4 dB of the NS-off call
 *   (0.0 to -0.1 dB measured).
 *
 * Timeline of the microphone file (played from our `confirmed`): noise 0–13 s, the sentence at
 * 8–11.5 s. The sentence is found in baresip's recording by its level envelope (it stands
 * 15 dB over the noise); the noise window is measured relative to it, with ≥ 1 s margin on each
 * side for device start-up and load, so no wall-clock timing is asserted.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startBaresip, startKamailio, startPulse, testScope, type Baresip, type Pulse } from './harness/index.js';
import { callState, startSoftphone } from '../support/softphone-process.js';
import { readWav, writeWav } from '../support/wav.js';
import { pinkNoise } from '../support/noise-fixture.js';
import { locate, medianDbfs, newDecodedRecording, speechWav, windowDbfs } from './support/echo-path.js';

const SPEECH_TEXT = 'Our customer in Lyon wants a second quote with the shipping costs included.';
const RATE = 48000;
/** The sentence starts this long into the microphone file, s; it lasts SPEECH_SECONDS. */
const SPEECH_AT_S = 8, SPEECH_SECONDS = 3.5;
const CALL_SECONDS = 13;
/** Pink noise at the microphone, dBFS RMS (the sentence peaks at -3 dBFS). */
const NOISE_DBFS = -32;
/** The noise window, s into the microphone file: after start-up and convergence, before the sentence. */
const NOISE_FROM_S = 4, NOISE_TO_S = 7;

interface CallFigures { noiseDbfs: number; noiseMedianDbfs: number; speechDbfs: number; speechScore: number }

describe('noise suppression over a real device path (PulseAudio microphone, baresip)', () => {
  it('--ns low lowers steady noise markedly and keeps speech over it at its level', async (t) => {
    const scope = testScope(t);
    const pulse: Pulse = scope.use(await startPulse(join(scope.dir, 'pa')));
    const kamailio = scope.use(await startKamailio({ dir: scope.dir }));
    const speech = readWav(speechWav(join(scope.dir, 'speech.wav'), 'en+f3', SPEECH_TEXT, SPEECH_SECONDS));
    assert.equal(speech.rate, RATE);
    // The microphone file: seeded pink noise for the whole call, the sentence over it.
    const noise = pinkNoise(17, CALL_SECONDS * RATE, NOISE_DBFS);
    const mic = new Int16Array(noise.length);
    const at = SPEECH_AT_S * RATE;
    for (let i = 0; i < mic.length; i++) {
      const s = i >= at && i - at < speech.samples.length ? speech.samples[i - at]! : 0;
      mic[i] = Math.max(-32768, Math.min(32767, Math.round(noise[i]! + s)));
    }
    const micWav = join(scope.dir, 'mic.wav');
    writeWav(micWav, mic, RATE);
    const baresip: Baresip = scope.use(await startBaresip({
      dir: scope.dir, user: '1010', password: 'pw1010', codecs: 'opus/48000/1',
      registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' },
    }));
    const domain = `127.0.0.1:${kamailio.udpPort}`;

    const runCall = async (user: string, ns: 'off' | 'low'): Promise<CallFigures> => {
      const before = new Set(readdirSync(baresip.recDir));
      const phone = scope.use(startSoftphone(['listen', '--id', `sip:${user}@${domain}`, '--password', `pw${user}`,
        '--registrar', `sip:${domain}`, '--auto-answer', '--codecs', 'opus', '--input-device', 'pulse', '--output-device', 'pulse',
        '--aec', 'off', '--ns', ns, '--agc', 'off', '--duration', String(CALL_SECONDS)], { env: pulse.env }));
      await phone.waitEvent((e) => e.event === 'registration' && e.state === 'registered', `${user} registered`, 15_000);
      const from = baresip.events().length;
      await baresip.dial(`sip:${user}@${domain}`);
      await phone.waitEvent(callState('confirmed', 'incoming'), `${user} confirmed`, 15_000);
      const player = scope.use(pulse.playToMic(micWav));
      await phone.waitEvent(callState('ended', 'incoming'), `${user} ended`, (CALL_SECONDS + 15) * 1000);
      await baresip.waitForEvent('CALL_CLOSED', 10_000, { from });
      await player.stop();
      phone.command('quit');
      await phone.stop();
      const rec = newDecodedRecording(baresip.recDir, before);
      const found = locate(speech.samples, speech.rate, rec.samples, rec.rate);
      // The recording's clock: where the microphone file's start falls in it.
      const t0 = found.atS - SPEECH_AT_S;
      return {
        noiseDbfs: windowDbfs(rec.samples, rec.rate, t0 + NOISE_FROM_S, t0 + NOISE_TO_S),
        noiseMedianDbfs: medianDbfs(rec.samples, rec.rate, t0 + NOISE_FROM_S, t0 + NOISE_TO_S),
        speechDbfs: windowDbfs(rec.samples, rec.rate, found.atS, found.atS + SPEECH_SECONDS),
        speechScore: found.score,
      };
    };

    const off = await runCall('1001', 'off');
    const low = await runCall('1002', 'low');
    const removed = off.noiseDbfs - low.noiseDbfs, typical = off.noiseMedianDbfs - low.noiseMedianDbfs;
    const figures = `noise played ${NOISE_DBFS} dBFS; ` +
      `ns off: noise ${off.noiseDbfs.toFixed(1)} dBFS (typical ${off.noiseMedianDbfs.toFixed(1)}), speech ${off.speechDbfs.toFixed(1)} dBFS (match ${off.speechScore.toFixed(2)}); ` +
      `ns low: noise ${low.noiseDbfs.toFixed(1)} dBFS (typical ${low.noiseMedianDbfs.toFixed(1)}), speech ${low.speechDbfs.toFixed(1)} dBFS (match ${low.speechScore.toFixed(2)}); ` +
      `noise removed ${removed.toFixed(1)} dB whole window, ${typical.toFixed(1)} dB typical; speech ${(low.speechDbfs - off.speechDbfs).toFixed(1)} dB`;
    t.diagnostic(figures);

    // The sentence was found in both recordings (a clear envelope match), so the windows stand.
    assert.ok(off.speechScore >= 0.8 && low.speechScore >= 0.8, figures);
    // The noise path is real: without suppression the noise reaches baresip near the level played.
    assert.ok(Math.abs(off.noiseDbfs - NOISE_DBFS) <= 6, `noise without NS: ${figures}`);
    assert.ok(removed >= 8, `noise removed: ${figures}`);
    assert.ok(Math.abs(low.speechDbfs - off.speechDbfs) <= 4, `speech with NS vs without: ${figures}`);
  });
});
