/**
 * A call through the real PortAudio path: headless PulseAudio (virtual microphone and speaker), our
 * CLI with `--input-device pulse --output-device pulse` calling baresip through Kamailio. A tone
 * played into the virtual mic must reach baresip (its recording, and its RTP receive statistics:
 * no loss, steady pacing, since our capture clock drives sending); baresip's tone must come out of
 * the virtual speaker (recorded with parecord). PortAudio runs in the CLI's engine child process,
 * so its native banners never reach our JSON lines on stdout.
 *
 * Start-up: PulseAudio's ALSA plugin takes 1.3-1.8 s before the first captured frame and 0.3-1.9 s
 * before output flows, and the CLI places the call at once, so the first part of the call has no
 * audio. The checks skip it (first sound + 500 ms), allow up to `startupSeconds` of it, and require
 * the rest of the call to be the tone with no gap.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { baresipDumps, makeToneWav, startBaresip, startKamailio, startPulse, testScope, waitFor } from './harness/index.js';
import { dominantFrequency, findGaps, rmsDbfs } from '../support/audio-analysis.js';
import { readWav, type MonoPcm } from '../support/wav.js';
import { callState, startSoftphone } from '../support/softphone-process.js';

const micTone = 440;
const theirTone = 1000;
/** Both tones are sines at -6 dBFS peak: -9 dBFS RMS. */
const expectedDbfs = -9;
const callSeconds = 7;
/** Allowed device start-up (measured: capture 1.3-1.8 s, output 0.3-1.9 s). */
const startupSeconds = 3;

/** The call's audio in a recording: from the first sound + 500 ms to the last sound - 100 ms. */
function callAudio(pcm: MonoPcm): Int16Array {
  const limit = 32768 * Math.pow(10, -40 / 20);
  const first = pcm.samples.findIndex((s) => Math.abs(s) > limit);
  const last = pcm.samples.findLastIndex((s) => Math.abs(s) > limit);
  assert.ok(first >= 0, 'the recording is silent');
  const start = first + pcm.rate / 2;
  return pcm.samples.subarray(start, Math.max(start, last - pcm.rate / 10));
}

function checkTone(pcm: MonoPcm, freq: number, minSeconds: number, what: string): string {
  const window = callAudio(pcm);
  const seconds = window.length / pcm.rate;
  const f = dominantFrequency(window, pcm.rate);
  const level = rmsDbfs(window);
  const figures = `${what}: ${seconds.toFixed(2)} s of ${f.toFixed(1)} Hz at ${level.toFixed(1)} dBFS`;
  assert.ok(seconds >= minSeconds, `${figures}: expected at least ${minSeconds} s after start-up`);
  assert.ok(Math.abs(f - freq) < 5, `${figures}: expected ${freq} Hz`);
  assert.ok(Math.abs(level - expectedDbfs) < 3, `${figures}: expected about ${expectedDbfs} dBFS`);
  const gaps = findGaps(window, pcm.rate, -40, 60);
  assert.deepEqual(gaps.map((g) => `${g.startMs.toFixed(0)}+${g.durationMs.toFixed(0)}ms`), [], `${figures}: gaps`);
  return figures;
}

/** baresip's end-of-call RTP table (`rtp_stats yes`): the Receive column. */
function baresipReceived(log: string): { packets: number; lost: number; jitterMs: number } | undefined {
  const row = (name: string) => new RegExp(`^${name}:\\s+(\\S+)\\s+(\\S+)`, 'm').exec(log)?.[2];
  const [packets, lost, jitter] = [row('packets'), row('lost'), row('jitter')];
  if (packets === undefined || lost === undefined || jitter === undefined) return undefined;
  return { packets: Number(packets), lost: Number(lost), jitterMs: Number(jitter) };
}

describe('a call through PortAudio on headless PulseAudio', () => {
  it("our virtual mic's tone reaches baresip, baresip's tone comes out of our virtual speaker (Opus)", async (t) => {
    const scope = testScope(t);
    const pulse = scope.use(await startPulse(join(scope.dir, 'pa')));
    const kamailio = scope.use(await startKamailio({ dir: scope.dir }));
    const baresip = scope.use(await startBaresip({
      dir: scope.dir, user: '1010', password: 'pw1010', autoAnswer: true, codecs: 'opus/48000/1',
      registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' },
      audioFile: makeToneWav(join(scope.dir, 'theirs.wav'), { freqHz: theirTone, seconds: 30 }),
    }));
    // The device names the CLI sees under this environment (ALSA's `pulse` plugin device).
    const lister = scope.use(startSoftphone(['--list-devices'], { env: pulse.env }));
    const listed = await lister.waitEvent((e) => e.event === 'devices', 'devices');
    assert.equal(await lister.exited, 0);
    assert.doesNotMatch(lister.stderr(), /\[non-JSON stdout\]/);
    const devices = listed.devices as { name: string; inputs: number; outputs: number }[];
    assert.ok(devices.some((d) => d.name === 'pulse' && d.inputs > 0 && d.outputs > 0), JSON.stringify(devices));

    const mic = scope.use(pulse.playToMic(makeToneWav(join(scope.dir, 'mic.wav'), { freqHz: micTone, seconds: 30 })));
    const speakerFile = join(scope.dir, 'speaker.wav');
    const speaker = scope.use(pulse.recordSpeaker(speakerFile));
    const domain = `127.0.0.1:${kamailio.udpPort}`;
    const phone = scope.use(startSoftphone(['call', `sip:1010@${domain}`, '--id', `sip:1001@${domain}`, '--password', 'pw1001',
      '--registrar', `sip:${domain}`, '--codecs', 'opus', '--input-device', 'pulse', '--output-device', 'pulse',
      // The device path itself is measured here: no echo canceller, noise suppression or gain control on the tones.
      '--aec', 'off', '--ns', 'off', '--agc', 'off',
      '--duration', String(callSeconds)], { env: pulse.env }));

    const confirmed = await phone.waitEvent(callState('confirmed'), 'confirmed', 15_000);
    assert.equal(confirmed.codec, 'opus');
    await phone.waitEvent(callState('ended'), 'ended', 15_000);
    const stats = await phone.waitEvent((e) => e.event === 'stats', 'stats');
    assert.equal(await phone.exited, 0);
    await speaker.stop();
    await mic.stop();
    t.diagnostic(phone.events.filter((e) => e.event !== 'devices').map((e) => JSON.stringify(e)).join('\n'));

    // Only JSON on stdout (PortAudio's native output stays in the engine's child process), and the
    // devices named were used: no fallback, no loss.
    assert.doesNotMatch(phone.stderr(), /\[non-JSON stdout\]/);
    const deviceNotices = phone.events.filter((e) => e.event === 'notice' && /audio device|no audio device/.test(String(e.message)));
    assert.deepEqual(deviceNotices, []);

    // What we heard, through the speaker: all of the call once output flows.
    t.diagnostic(checkTone(readWav(speakerFile), theirTone, callSeconds - startupSeconds - 0.6, 'speaker'));
    assert.ok(Number(stats.packetsReceived) > (callSeconds - 0.5) * 50, JSON.stringify(stats));

    // What baresip heard from our mic: everything after capture start-up, evenly paced.
    await baresip.waitForEvent('CALL_CLOSED', 5000);
    const received = await waitFor(() => baresipReceived(baresip.log()), { timeoutMs: 3000, what: "baresip's RTP statistics" });
    t.diagnostic(`baresip received: ${JSON.stringify(received)}`);
    assert.ok(received.packets >= (callSeconds - startupSeconds) * 50, `baresip received ${received.packets} packets in a ${callSeconds} s call`);
    assert.equal(received.lost, 0);
    assert.ok(received.jitterMs < 20, `baresip measured ${received.jitterMs} ms interarrival jitter`);
    const dump = baresipDumps(baresip)[0];
    assert.ok(dump, `baresip wrote no recording in ${baresip.recDir}`);
    t.diagnostic(checkTone(readWav(dump), micTone, callSeconds - startupSeconds - 0.6, 'baresip'));
  });
});
