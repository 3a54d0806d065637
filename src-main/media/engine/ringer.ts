/**
 * The ringer: a ringtone looped while an incoming call rings, on its own output device when one is
 * chosen (so a headset user hears the ring on the loudspeaker), else mixed into the call output;
 * with `alsoOnOutput`, on both (each destination keeps its own place in the ringtone).
 */
import { loadWavMono } from '../devices/wav-source.js';
import type { PlaybackDevice } from '../devices/audio-device.js';

export class Ringer {
  /** Next sample of the ringtone for the own device, and for the call output [samples]. */
  private ownPosition = 0;
  private mixPosition = 0;
  private ringing = false;

  /** One period of the ring device (allocated once). */
  private readonly frame: Int16Array;

  private constructor(private readonly pcm: Int16Array, private readonly device: PlaybackDevice | undefined, private readonly alsoOnOutput: boolean) {
    this.frame = new Int16Array(device?.frameSamples ?? 0);
    if (device) device.onPeriod = () => this.feedOwnDevice(device);
  }

  static async open(ringtone: string, rate: number, device: PlaybackDevice | undefined, alsoOnOutput = false): Promise<Ringer> {
    const ringer = new Ringer(await loadWavMono(ringtone, rate), device, alsoOnOutput);
    await device?.start();
    return ringer;
  }

  set on(value: boolean) {
    if (value && !this.ringing) this.ownPosition = this.mixPosition = 0;
    this.ringing = value;
  }

  /** When the ringer shares (or also rings on) the call output: add the ringtone into `out` (saturating). */
  mixInto(out: Int16Array): void {
    if (!this.ringing || (this.device && !this.alsoOnOutput)) return;
    this.mixPosition = this.render(out, true, this.mixPosition);
  }

  private feedOwnDevice(device: PlaybackDevice): void {
    this.frame.fill(0);
    if (this.ringing) this.ownPosition = this.render(this.frame, false, this.ownPosition);
    device.write(this.frame);
  }

  /** Writes the ringtone from `position` into `out`; returns the position after it. */
  private render(out: Int16Array, mix: boolean, position: number): number {
    for (let i = 0; i < out.length; i++) {
      const v = this.pcm[position]!;
      position = position + 1 === this.pcm.length ? 0 : position + 1;
      const sum = mix ? out[i]! + v : v;
      out[i] = sum > 32767 ? 32767 : sum < -32768 ? -32768 : sum;
    }
    return position;
  }

  async close(): Promise<void> {
    this.ringing = false;
    await this.device?.stop();
  }
}
