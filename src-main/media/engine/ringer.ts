/**
 * The ringer: a ringtone looped while an incoming call rings, on its own output device when one is
 * chosen (so a headset user hears the ring on the loudspeaker), else mixed into the call output.
 */
import { loadWavMono } from '../devices/wav-source.js';
import type { PlaybackDevice } from '../devices/audio-device.js';

export class Ringer {
  private position = 0;
  private ringing = false;

  /** One period of the ring device (allocated once). */
  private readonly frame: Int16Array;

  private constructor(private readonly pcm: Int16Array, private readonly device: PlaybackDevice | undefined) {
    this.frame = new Int16Array(device?.frameSamples ?? 0);
    if (device) device.onPeriod = () => this.feedOwnDevice(device);
  }

  static async open(ringtone: string, rate: number, device: PlaybackDevice | undefined): Promise<Ringer> {
    const ringer = new Ringer(await loadWavMono(ringtone, rate), device);
    await device?.start();
    return ringer;
  }

  set on(value: boolean) {
    if (value && !this.ringing) this.position = 0;
    this.ringing = value;
  }

  /** When the ringer shares the call output: add the ringtone into `out` (saturating). */
  mixInto(out: Int16Array): void {
    if (!this.ringing || this.device) return;
    this.render(out, true);
  }

  private feedOwnDevice(device: PlaybackDevice): void {
    this.frame.fill(0);
    if (this.ringing) this.render(this.frame, false);
    device.write(this.frame);
  }

  private render(out: Int16Array, mix: boolean): void {
    for (let i = 0; i < out.length; i++) {
      const v = this.pcm[this.position]!;
      this.position = this.position + 1 === this.pcm.length ? 0 : this.position + 1;
      const sum = mix ? out[i]! + v : v;
      out[i] = sum > 32767 ? 32767 : sum < -32768 ? -32768 : sum;
    }
  }

  async close(): Promise<void> {
    this.ringing = false;
    await this.device?.stop();
  }
}
