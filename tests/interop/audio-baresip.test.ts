/**
 * Audio end to end with baresip through Kamailio: each side sends its own tone, and each side's
 * recording must contain the other's tone at the expected level with no gap over 60 ms after the
 * first 500 ms. PCMU, PCMA, G.722, Opus, and SRTP (SDES) with baresip's srtp module.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { baresipDumps, makeToneWav, startBaresip, startKamailio, testScope } from './harness/index.js';
import { readWav } from '../support/wav.js';
import { callState, startSoftphone } from '../support/softphone-process.js';
import { assertTone } from './support/tone-check.js';

const ourTone = 440;
const theirTone = 1000;

const cases = [
  { name: 'PCMU', ours: 'pcmu', theirs: 'PCMU' },
  { name: 'PCMA', ours: 'pcma', theirs: 'PCMA' },
  { name: 'G.722', ours: 'g722', theirs: 'G722' },
  { name: 'Opus', ours: 'opus', theirs: 'opus/48000/1' },
  { name: 'PCMU over SRTP', ours: 'pcmu', theirs: 'PCMU', srtp: true },
];

describe('audio with baresip through Kamailio', () => {
  for (const c of cases) {
    it(`${c.name}: each side hears the other's tone`, async (t) => {
      const scope = testScope(t);
      const kamailio = scope.use(await startKamailio({ dir: scope.dir }));
      const baresip = scope.use(await startBaresip({
        dir: scope.dir, user: '1010', password: 'pw1010', autoAnswer: true, codecs: c.theirs,
        registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' },
        audioFile: makeToneWav(join(scope.dir, 'theirs.wav'), { freqHz: theirTone, seconds: 30 }),
        ...(c.srtp ? { accountParams: ';mediaenc=srtp-mand' } : {}),
      }));
      const domain = `127.0.0.1:${kamailio.udpPort}`;
      const ours = makeToneWav(join(scope.dir, 'ours.wav'), { freqHz: ourTone, seconds: 30 });
      const recording = join(scope.dir, 'heard.wav');
      const phone = scope.use(startSoftphone(['call', `sip:1010@${domain}`, '--id', `sip:1001@${domain}`, '--password', 'pw1001',
        '--registrar', `sip:${domain}`, '--codecs', c.ours, '--play-file', ours, '--rec-file', recording, '--duration', '4',
        ...(c.srtp ? ['--srtp', 'required'] : [])]));
      const confirmed = await phone.waitEvent(callState('confirmed'), 'confirmed');
      assert.equal(String(confirmed.codec).toLowerCase(), c.ours);
      await phone.waitEvent(callState('ended'), 'ended', 15_000);
      const stats = await phone.waitEvent((e) => e.event === 'stats', 'stats');
      assert.ok(Number(stats.packetsReceived) > 150, JSON.stringify(stats));
      assert.equal(await phone.exited, 0);
      assertTone(readWav(recording), theirTone, 'what we heard');
      const dump = baresipDumps(baresip)[0];
      assert.ok(dump, `baresip wrote no recording in ${baresip.recDir}`);
      assertTone(readWav(dump), ourTone, 'what baresip heard');
    });
  }
});
