/** --aec, --ns, --agc (issue 17): parsed with bounds, and turned into what the devices open with. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCli, UsageError } from '../../../src-main/cli/options.js';
import { withProcessing } from '../../../src-main/core/settings-apply.js';
import { defaultAppSettings } from '../../../src-main/contract/settings.js';

describe('microphone processing flags', () => {
  it('parses --aec on|off, --ns off|low|high, --agc on|off; absent flags leave the setting alone', () => {
    assert.deepEqual(parseCli(['listen', '--aec', 'off', '--ns=high', '--agc', 'on']).processing, { aec: false, ns: 'high', agc: true });
    assert.deepEqual(parseCli(['listen', '--ns', 'off']).processing, { ns: 'off' });
    assert.equal(parseCli(['listen']).processing, undefined);
  });

  it('refuses other values, naming the flag', () => {
    for (const [flag, value] of [['aec', 'yes'], ['ns', 'medium'], ['agc', '1']] as const) {
      assert.throws(() => parseCli(['listen', `--${flag}`, value]), (e: unknown) => e instanceof UsageError && e.field === `--${flag}`);
    }
  });

  it('defaults: AEC, NS and AGC on for real devices; flags win; file devices only get what the flags ask', () => {
    const stored = defaultAppSettings.audioProcessing;
    assert.deepEqual(stored, { aec: true, ns: 'low', agc: true });
    assert.deepEqual(withProcessing({ kind: 'portaudio' }, stored, undefined).processing, stored);
    assert.deepEqual(withProcessing({ kind: 'portaudio' }, stored, { aec: false }).processing, { aec: false, ns: 'low', agc: true });
    assert.equal(withProcessing({ kind: 'file', playFile: 'a.wav' }, stored, undefined).processing, undefined);
    assert.deepEqual(withProcessing({ kind: 'file', playFile: 'a.wav' }, stored, { aec: true }).processing, { aec: true, ns: 'off', agc: false });
  });
});
