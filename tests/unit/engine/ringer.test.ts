import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { Ringer } from '../../../src-main/media/engine/ringer.js';
import type { PlaybackDevice } from '../../../src-main/media/devices/audio-device.js';
import { writeWav } from '../../support/wav.js';
import { dominantFrequency } from '../../support/audio-analysis.js';

const rate = 48000;
function ringtoneFile(): string {
  const samples = new Int16Array(rate / 10);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 800 * i) / rate));
  const file = join(mkdtempSync(join(tmpdir(), 'nimbus-ring-')), 'ring.wav');
  writeWav(file, samples, rate);
  return file;
}

class FakePlayback extends EventEmitter {
  readonly rate = rate;
  readonly frameSamples = 960;
  onPeriod: (() => void) | undefined;
  written: Int16Array[] = [];
  write(pcm: Int16Array): void { this.written.push(Int16Array.from(pcm)); }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

describe('Ringer', () => {
  it('mixes the looped ringtone into the call output only while ringing', async () => {
    const ringer = await Ringer.open(ringtoneFile(), rate, undefined);
    const out = new Int16Array(960);
    ringer.mixInto(out);
    assert.ok(out.every((s) => s === 0), 'silent until it rings');
    ringer.on = true;
    const heard = new Int16Array(960 * 20);
    for (let f = 0; f < 20; f++) {
      out.fill(0);
      ringer.mixInto(out);
      heard.set(out, f * 960);
    }
    assert.ok(Math.abs(dominantFrequency(heard, rate) - 800) < 5, 'the ringtone, looped past its 100 ms length');
    ringer.on = false;
    out.fill(0);
    ringer.mixInto(out);
    assert.ok(out.every((s) => s === 0), 'silent again after answer');
  });

  it('plays on its own ring device, leaving the call output alone', async () => {
    const device = new FakePlayback();
    const ringer = await Ringer.open(ringtoneFile(), rate, device as unknown as PlaybackDevice);
    ringer.on = true;
    const call = new Int16Array(960);
    ringer.mixInto(call);
    assert.ok(call.every((s) => s === 0), 'nothing mixed into the call output');
    device.onPeriod!();
    device.onPeriod!();
    assert.equal(device.written.length, 2);
    assert.ok(Math.abs(dominantFrequency(Int16Array.from([...device.written[0]!, ...device.written[1]!]), rate) - 800) < 10);
    ringer.on = false;
    device.onPeriod!();
    assert.ok(device.written[2]!.every((s) => s === 0), 'the ring device gets silence when not ringing');
  });

  it('with alsoOnOutput rings on its own device and in the call output, each from the start of the ringtone', async () => {
    const device = new FakePlayback();
    const ringer = await Ringer.open(ringtoneFile(), rate, device as unknown as PlaybackDevice, true);
    ringer.on = true;
    const call = new Int16Array(960);
    // Two call periods before the ring device's first: their places in the ringtone are their own.
    ringer.mixInto(call);
    ringer.mixInto(call.fill(0));
    device.onPeriod!();
    assert.ok(Math.abs(dominantFrequency(call, rate) - 800) < 10, 'the ringtone in the call output');
    assert.ok(Math.abs(dominantFrequency(device.written[0]!, rate) - 800) < 10, 'and on the ring device');
    const first = new Int16Array(960);
    const fresh = await Ringer.open(ringtoneFile(), rate, undefined);
    fresh.on = true;
    fresh.mixInto(first);
    assert.deepEqual(device.written[0], first, 'the ring device starts at the ringtone\'s first sample');
    ringer.on = false;
    ringer.mixInto(call.fill(0));
    assert.ok(call.every((s) => s === 0), 'silent in the call output after answer');
  });
});
