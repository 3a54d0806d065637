import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deviceSelection } from '../../../src-main/core/settings-apply.js';
import { defaultAppSettings } from '../../../src-main/contract/settings.js';

const audio = defaultAppSettings.audio;

describe('deviceSelection (Settings › Audio to the engine)', () => {
  it('ring on the speaker as well: set only when a ringing device of its own is chosen', () => {
    const base = { kind: 'portaudio' as const, ringtone: 'r.wav' };
    assert.equal(deviceSelection(base, { ...audio, ring: 'Speakers', ringOnSpeakerToo: true }).ringOnOutput, true);
    assert.equal(deviceSelection(base, { ...audio, ring: 'Speakers', ringOnSpeakerToo: false }).ringOnOutput, undefined);
    // No ringing device: the ring already plays on the speaker.
    assert.equal(deviceSelection(base, { ...audio, ringOnSpeakerToo: true }).ringOnOutput, undefined);
    // The same device for both: ringing it twice would only double the level.
    assert.equal(deviceSelection(base, { ...audio, ring: 'Headset', output: 'Headset', ringOnSpeakerToo: true }).ringOnOutput, undefined);
    assert.deepEqual(deviceSelection(base, { ...audio, input: 'Mic', output: 'Headset', ring: 'Speakers', ringOnSpeakerToo: true }),
      { kind: 'portaudio', ringtone: 'r.wav', input: 'Mic', output: 'Headset', ring: 'Speakers', ringOnOutput: true });
  });

  it('file and null devices are left as the host chose them', () => {
    const file = { kind: 'file' as const, playFile: 'a.wav' };
    assert.equal(deviceSelection(file, { ...audio, ring: 'Speakers', ringOnSpeakerToo: true }), file);
  });
});
