/**
 * Echo cancellation over a real echo path (issue 17): headless PulseAudio where module-loopback
 * feeds what our CLI plays on the virtual speaker back into its virtual microphone (delay and
 * attenuation set here), baresip calls us and speaks (espeak-ng), our CLI answers on the PulseAudio
 * devices. Two calls, the same in all but `--aec` (NS and AGC off in both, so levels are the
 * canceller's alone):
 * - the echo of baresip's speech in what baresip receives from us must drop by ≥ 25 dB with
 *   `--aec on` compared with `--aec off`: its typical level (the median of 100 ms levels), since
 *   on a loaded machine a late device period shifts the echo path and AEC3 lets a burst through
 *   while it re-aligns (0.5 s at -42 dBFS, 12 dB under the echo, seen in one run of six); the
 *   window's whole energy must still drop by ≥ 15 dB, so bursts stay short and rare;
 * - near-end speech played into the microphone while baresip is silent must reach baresip at its
 *   level (within ±3 dB of the AEC-off call's, and of the file played).
 *
 * Timeline of each call (t = our `confirmed`): baresip speaks 0–12 s, then sends silence; the test
 * plays the near-end sentence into the microphone at 14 s; the call ends at 20 s. The near end is
 * found in baresip's recording by its level envelope; the echo window is measured relative to it
 * (t = 7–11 s: after device start-up, 1.3–1.8 s, and the canceller's convergence, which took
 * 4–5 s of capture here; before baresip's speech ends), so no wall-clock timing is asserted and
 * load on the machine only shifts windows that have a second of margin each side.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startBaresip, startKamailio, startPulse, testScope, type Baresip, type Pulse } from './harness/index.js';
import { callState, startSoftphone } from '../support/softphone-process.js';
import { readWav } from '../support/wav.js';
import { loadEchoPath, locate, medianDbfs, newDecodedRecording, speechWav, windowDbfs } from './support/echo-path.js';

const FAR_TEXT = 'The quarterly report is due on Friday, please send me your figures before noon. ' +
  'Could you call the supplier back and ask about the delivery dates for next month? ' +
  'We moved the meeting to the small room on the third floor because of the visitors. ' +
  'I will be travelling on Tuesday, so let us talk again on Wednesday morning.';
const NEAR_TEXT = 'Our customer in Lyon wants a second quote with the shipping costs included.';
/** baresip's speech, then silence, s. */
const FAR_SECONDS = 12;
/** When the near end starts talking into the microphone, s after our `confirmed`. */
const NEAR_AT_S = 14;
const NEAR_SECONDS = 4;
const CALL_SECONDS = 20;
/** The echo window, s after our `confirmed`. */
const ECHO_FROM_S = 7, ECHO_TO_S = 11;
/** The room: the speaker comes back into the microphone 120 ms later, 6 dB down. */
const ECHO_LATENCY_MS = 120, ECHO_GAIN_DB = -6;

interface CallFigures { echoDbfs: number; echoMedianDbfs: number; nearDbfs: number; nearScore: number; stats: Record<string, unknown> }

describe('echo cancellation over a real echo path (PulseAudio loopback, baresip)', () => {
  it('--aec on removes ≥ 25 dB of the far end\'s echo and keeps the near end at its level', async (t) => {
    const scope = testScope(t);
    const pulse: Pulse = scope.use(await startPulse(join(scope.dir, 'pa')));
    await loadEchoPath(pulse, ECHO_LATENCY_MS, ECHO_GAIN_DB);
    const kamailio = scope.use(await startKamailio({ dir: scope.dir }));
    const farWav = speechWav(join(scope.dir, 'far.wav'), 'en-us', FAR_TEXT, FAR_SECONDS, 60);
    const nearWav = speechWav(join(scope.dir, 'near.wav'), 'en+f3', NEAR_TEXT, NEAR_SECONDS);
    const near = readWav(nearWav);
    const nearFileDbfs = windowDbfs(near.samples, near.rate, 0, NEAR_SECONDS);
    const baresip: Baresip = scope.use(await startBaresip({
      dir: scope.dir, user: '1010', password: 'pw1010', codecs: 'opus/48000/1',
      registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' }, audioFile: farWav,
    }));
    const domain = `127.0.0.1:${kamailio.udpPort}`;

    const runCall = async (user: string, aec: 'on' | 'off'): Promise<CallFigures> => {
      const before = new Set(readdirSync(baresip.recDir));
      const phone = scope.use(startSoftphone(['listen', '--id', `sip:${user}@${domain}`, '--password', `pw${user}`,
        '--registrar', `sip:${domain}`, '--auto-answer', '--codecs', 'opus', '--input-device', 'pulse', '--output-device', 'pulse',
        '--aec', aec, '--ns', 'off', '--agc', 'off', '--duration', String(CALL_SECONDS)], { env: pulse.env }));
      await phone.waitEvent((e) => e.event === 'registration' && e.state === 'registered', `${user} registered`, 15_000);
      const from = baresip.events().length;
      await baresip.dial(`sip:${user}@${domain}`);
      await phone.waitEvent(callState('confirmed', 'incoming'), `${user} confirmed`, 15_000);
      await sleep(NEAR_AT_S * 1000);
      const talker = scope.use(pulse.playToMic(nearWav));
      await phone.waitEvent(callState('ended', 'incoming'), `${user} ended`, (CALL_SECONDS + 15) * 1000);
      const stats = await phone.waitEvent((e) => e.event === 'stats', 'stats');
      await baresip.waitForEvent('CALL_CLOSED', 10_000, { from });
      await talker.stop();
      phone.command('quit');
      await phone.stop();
      t.diagnostic(`aec ${aec}: ${JSON.stringify(stats)}`);
      const rec = newDecodedRecording(baresip.recDir, before);
      const found = locate(near.samples, near.rate, rec.samples, rec.rate);
      // The recording's clock: where our `confirmed` falls in it, from where the near end was found.
      const t0 = found.atS - NEAR_AT_S;
      return {
        echoDbfs: windowDbfs(rec.samples, rec.rate, t0 + ECHO_FROM_S, t0 + ECHO_TO_S),
        echoMedianDbfs: medianDbfs(rec.samples, rec.rate, t0 + ECHO_FROM_S, t0 + ECHO_TO_S),
        nearDbfs: windowDbfs(rec.samples, rec.rate, found.atS, found.atS + NEAR_SECONDS),
        nearScore: found.score,
        stats,
      };
    };

    const off = await runCall('1001', 'off');
    const on = await runCall('1002', 'on');
    const typical = off.echoMedianDbfs - on.echoMedianDbfs, whole = off.echoDbfs - on.echoDbfs;
    const figures = `near-end file ${nearFileDbfs.toFixed(1)} dBFS; ` +
      `aec off: echo ${off.echoMedianDbfs.toFixed(1)} dBFS typical, ${off.echoDbfs.toFixed(1)} dBFS whole window, near ${off.nearDbfs.toFixed(1)} dBFS (match ${off.nearScore.toFixed(2)}); ` +
      `aec on: echo ${on.echoMedianDbfs.toFixed(1)} dBFS typical, ${on.echoDbfs.toFixed(1)} dBFS whole window, near ${on.nearDbfs.toFixed(1)} dBFS (match ${on.nearScore.toFixed(2)}); ` +
      `echo removed ${typical.toFixed(1)} dB typical, ${whole.toFixed(1)} dB whole window`;
    t.diagnostic(figures);

    // The near end was found in both recordings (a clear envelope match), so the windows stand.
    assert.ok(off.nearScore >= 0.8 && on.nearScore >= 0.8, figures);
    // The echo path is real: without the canceller baresip hears itself loudly.
    assert.ok(off.echoDbfs > -40, `no echo reached baresip without AEC: ${figures}`);
    assert.ok(typical >= 25, `echo removed: ${figures}`);
    assert.ok(whole >= 15, `echo removed over the whole window: ${figures}`);
    assert.ok(Math.abs(on.nearDbfs - off.nearDbfs) <= 3, `near end with AEC vs without: ${figures}`);
    assert.ok(Math.abs(on.nearDbfs - nearFileDbfs) <= 3, `near end with AEC vs the file played: ${figures}`);
    assert.equal(typeof on.stats.echoRemovedDb, 'number', `stats carry the canceller's figures: ${JSON.stringify(on.stats)}`);
  });
});
