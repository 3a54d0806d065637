/**
 * The headset advice over real devices (issue 17): our CLI answers baresip on two different
 * PulseAudio devices by name (`pulse` for the microphone, `default` for the speaker) and the room
 * brings the speaker back into the microphone later than the canceller can follow (a 1.5 s
 * loopback; AEC3 looks for echo up to about 0.5 s), so echo stays high: the CLI prints one
 * `echo-advice` event naming both devices. The same call on one device for both (`pulse`) gets none.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startBaresip, startKamailio, startPulse, testScope, type Baresip, type Pulse } from './harness/index.js';
import { callState, startSoftphone, type SoftphoneEvent } from '../support/softphone-process.js';
import { loadEchoPath, speechWav } from './support/echo-path.js';

const FAR_TEXT = 'The quarterly report is due on Friday, please send me your figures before noon. ' +
  'Could you call the supplier back and ask about the delivery dates for next month? ' +
  'We moved the meeting to the small room on the third floor because of the visitors. ' +
  'I will be travelling on Tuesday, so let us talk again on Wednesday morning. ' +
  'The new phones arrived today and most of them are already on the desks. ' +
  'Please remember to lock the door and switch off the lights when you leave.';
/** Long enough for 10 s of far-end speech in a row after device start-up, plus the engine's 5 s look. */
const CALL_SECONDS = 28;
/** The call on one device: long enough for echo to count as staying high and the engine to look. */
const ONE_DEVICE_SECONDS = 22;

describe('headset advice when echo stays high with separate devices (PulseAudio, baresip)', () => {
  it('separate microphone and speaker, echo beyond the canceller: one echo-advice; one device: none', async (t) => {
    const scope = testScope(t);
    const pulse: Pulse = scope.use(await startPulse(join(scope.dir, 'pa')));
    await loadEchoPath(pulse, 1500, -6);
    const kamailio = scope.use(await startKamailio({ dir: scope.dir }));
    const farWav = speechWav(join(scope.dir, 'far.wav'), 'en-us', FAR_TEXT, 32, 60);
    const baresip: Baresip = scope.use(await startBaresip({
      dir: scope.dir, user: '1010', password: 'pw1010', codecs: 'opus/48000/1',
      registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' }, audioFile: farWav,
    }));
    const domain = `127.0.0.1:${kamailio.udpPort}`;

    const runCall = async (user: string, output: string, seconds: number): Promise<SoftphoneEvent[]> => {
      const phone = scope.use(startSoftphone(['listen', '--id', `sip:${user}@${domain}`, '--password', `pw${user}`,
        '--registrar', `sip:${domain}`, '--auto-answer', '--codecs', 'opus', '--input-device', 'pulse', '--output-device', output,
        '--aec', 'on', '--ns', 'off', '--agc', 'off', '--duration', String(seconds)], { env: pulse.env }));
      await phone.waitEvent((e) => e.event === 'registration' && e.state === 'registered', `${user} registered`, 15_000);
      const from = baresip.events().length;
      await baresip.dial(`sip:${user}@${domain}`);
      await phone.waitEvent(callState('confirmed', 'incoming'), `${user} confirmed`, 15_000);
      await phone.waitEvent(callState('ended', 'incoming'), `${user} ended`, (seconds + 15) * 1000);
      const stats = await phone.waitEvent((e) => e.event === 'stats', 'stats');
      await baresip.waitForEvent('CALL_CLOSED', 10_000, { from });
      phone.command('quit');
      await phone.stop();
      t.diagnostic(`output ${output}: ${JSON.stringify(stats)}`);
      return [...phone.events, stats];
    };

    const separate = await runCall('1001', 'default', CALL_SECONDS);
    const advice = separate.filter((e) => e.event === 'echo-advice');
    t.diagnostic(JSON.stringify(advice));
    assert.equal(advice.length, 1, JSON.stringify(separate.filter((e) => e.event !== 'devices')));
    assert.equal(advice[0]!.input, 'pulse');
    assert.equal(advice[0]!.output, 'default');
    assert.ok(Number(advice[0]!.echoRemovedDb) < 10, JSON.stringify(advice[0]));
    assert.match(String(advice[0]!.message), /use a headset, or one device for both/);

    // Echo stays just as high here (nothing removed), from about 15 s into the call.
    const oneDevice = await runCall('1002', 'pulse', ONE_DEVICE_SECONDS);
    // The echo did stay high on one device too (the call's final stats say so): only the device rule held the advice back.
    assert.equal(oneDevice.at(-1)!.echoStaysHigh, true, JSON.stringify(oneDevice.at(-1)));
    assert.deepEqual(oneDevice.filter((e) => e.event === 'echo-advice'), []);
  });
});
