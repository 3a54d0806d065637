/**
 * When the noise suppressor's module cannot load (a broken install or package: SpeexDSP's for
 * `low`, RNNoise's for `high`), the stage is built without
 * noise suppression: echo cancellation and gain control still run, the stats say `ns: 'off'`, and
 * the host hears why. A module resolution hook (this test file's own process) makes the load fail.
 */
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';

const HOOK = `export async function resolve(specifier, context, next) {
  if (specifier.includes('@jitsi/rnnoise-wasm') || specifier.includes('@sapphi-red/speex-preprocess-wasm')) throw new Error('no such package (test)');
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
const { EchoProcessing } = await import('../../../src-main/media/engine/echo-processing.js');

describe('noise suppressor that cannot load', () => {
  for (const ns of ['low', 'high'] as const) {
    it(`${ns}: leaves AEC and AGC running, reports ns off and tells the host`, async () => {
      const errors: string[] = [];
      const p = new EchoProcessing(48000, (e) => errors.push(e.message));
      p.configure({ aec: true, ns, agc: true });
      p.capture(new Int16Array(960));
      // Event-loop turns with a short pause (the AEC3 module compiles), no timing asserted.
      for (let i = 0; i < 1000 && !p.stats(); i++) await sleep(5);
      const stats = p.stats();
      assert.deepEqual([stats?.aec, stats?.ns, stats?.agc], [true, 'off', true]);
      assert.equal(errors.length, 1);
      assert.match(errors[0]!, /noise suppression .*no such package \(test\).*echo cancellation and gain control still run/);
      p.reset();
    });
  }
});
