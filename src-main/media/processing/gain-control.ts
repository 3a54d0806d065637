/**
 * Automatic gain control seam, and the built-in engine: brings near-end speech towards a target
 * level (-20 dBFS RMS) slowly, adapting only on frames that look like speech (well above the
 * floor), with a peak limiter so no frame clips. Frames are mono float in [-1, 1], in place.
 */
export interface GainControl {
  readonly engine: string;
  process(frame: Float32Array): void;
  /** Gain applied to the last frame, dB. */
  readonly gainDb: number;
}

const TARGET_DBFS = -20;
/** Gain bounds, dB. */
const MAX_GAIN_DB = 15;
const MIN_GAIN_DB = -10;
/** Frames quieter than this are not speech for adaptation, dBFS. */
const SPEECH_FLOOR_DBFS = -50;
/** Gain slew per 20 ms frame, dB: rises slowly, falls faster. */
const RISE_DB = 0.05;
const FALL_DB = 0.3;
/** Peak ceiling after gain, linear (-1 dBFS). */
const CEILING = 10 ** (-1 / 20);

export class LevelGainControl implements GainControl {
  readonly engine = 'level-agc';
  private currentDb = 0;

  get gainDb(): number {
    return this.currentDb;
  }

  process(frame: Float32Array): void {
    let e = 0, peak = 0;
    for (let i = 0; i < frame.length; i++) {
      const v = frame[i]!;
      e += v * v;
      peak = Math.max(peak, Math.abs(v));
    }
    // A full-scale square wave is 0 dBFS (same convention as the level meter).
    const levelDb = 10 * Math.log10(e / frame.length + 1e-12);
    const from = this.currentDb;
    if (levelDb > SPEECH_FLOOR_DBFS) {
      const wanted = Math.min(MAX_GAIN_DB, Math.max(MIN_GAIN_DB, TARGET_DBFS - levelDb));
      this.currentDb += Math.max(-FALL_DB, Math.min(RISE_DB, wanted - this.currentDb));
    }
    let g = 10 ** (this.currentDb / 20);
    let g0 = 10 ** (from / 20);
    if (peak * Math.max(g, g0) > CEILING) {
      // Limit: the whole frame at the ceiling's gain (no ramp through a clipping gain).
      g = g0 = Math.min(g, CEILING / peak);
      this.currentDb = 20 * Math.log10(g);
    }
    const step = (g - g0) / frame.length;
    for (let i = 0; i < frame.length; i++) frame[i] = frame[i]! * (g0 + step * (i + 1));
  }
}
