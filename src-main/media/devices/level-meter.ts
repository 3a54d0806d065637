/** Per-frame input level (RMS and peak, dBFS) for the microphone meter. */
import type { LevelReading } from './audio-device.js';

/** Floor reported for digital silence (JSON has no −Infinity). */
export const SILENCE_DBFS = -120;
const FULL_SCALE = 32768;

export function toDbfs(linear: number): number {
  return linear <= 0 ? SILENCE_DBFS : Math.max(SILENCE_DBFS, 20 * Math.log10(linear / FULL_SCALE));
}

export class LevelMeter {
  readonly reading: LevelReading = { rmsDbfs: SILENCE_DBFS, peakDbfs: SILENCE_DBFS };

  measure(frame: Int16Array): void {
    let sum = 0;
    let peak = 0;
    for (let i = 0; i < frame.length; i++) {
      const v = frame[i]!;
      sum += v * v;
      const a = v < 0 ? -v : v;
      if (a > peak) peak = a;
    }
    this.reading.rmsDbfs = frame.length ? toDbfs(Math.sqrt(sum / frame.length)) : SILENCE_DBFS;
    this.reading.peakDbfs = toDbfs(peak);
  }

  reset(): void {
    this.reading.rmsDbfs = SILENCE_DBFS;
    this.reading.peakDbfs = SILENCE_DBFS;
  }
}
