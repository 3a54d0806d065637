/**
 * Noise suppressor seam, and the built-in engine: a level-based downward expander. It tracks the
 * noise floor (minimum of the frame levels over a sliding window, minimum statistics after
 * R. Martin, IEEE TSAP 9(5), 2001) and attenuates frames close to that floor, so steady background
 * noise (fans, hum) drops in pauses while speech passes untouched. It is not a spectral suppressor:
 * noise under speech stays. Frames are mono float in [-1, 1], processed in place.
 */
export type NoiseLevel = 'off' | 'low' | 'high';

export interface NoiseSuppressor {
  readonly engine: string;
  process(frame: Float32Array): void;
  /** Attenuation applied to the last frame, dB (0 = none). */
  readonly attenuationDb: number;
}

/** Deepest attenuation per level, dB. */
const MAX_ATTENUATION_DB: Record<Exclude<NoiseLevel, 'off'>, number> = { low: 6, high: 15 };
/** Frames within this much of the floor count as noise, dB. */
const NOISE_MARGIN_DB = 6;
/** Minimum-statistics window: 75 frames of 20 ms (1.5 s) in 5 sub-windows. */
const SUBWINDOWS = 5;
const SUBWINDOW_FRAMES = 15;
/** Gain smoothing per frame: fast attack (speech onsets pass), slow release. */
const ATTACK = 0.6;
const RELEASE = 0.15;

export class ExpanderNoiseSuppressor implements NoiseSuppressor {
  readonly engine = 'expander';
  private readonly maxAttenuation: number;
  private readonly minima = new Float64Array(SUBWINDOWS).fill(Infinity);
  private slot = 0;
  private framesInSlot = 0;
  private gain = 1;
  private lastAttenuationDb = 0;

  constructor(level: Exclude<NoiseLevel, 'off'>) {
    this.maxAttenuation = 10 ** (-MAX_ATTENUATION_DB[level] / 20);
  }

  get attenuationDb(): number {
    return this.lastAttenuationDb;
  }

  process(frame: Float32Array): void {
    let e = 0;
    for (let i = 0; i < frame.length; i++) e += frame[i]! * frame[i]!;
    const power = e / frame.length + 1e-12;
    if (power < this.minima[this.slot]!) this.minima[this.slot] = power;
    if (++this.framesInSlot === SUBWINDOW_FRAMES) {
      this.framesInSlot = 0;
      this.slot = (this.slot + 1) % SUBWINDOWS;
      this.minima[this.slot] = Infinity;
    }
    let floor = Infinity;
    for (const m of this.minima) floor = Math.min(floor, m);
    // Above floor + margin: pass; at the floor: full attenuation; a ramp in between (in dB).
    const aboveDb = 10 * Math.log10(power / floor);
    const target = aboveDb >= NOISE_MARGIN_DB ? 1 : this.maxAttenuation ** (1 - Math.max(0, aboveDb) / NOISE_MARGIN_DB);
    const from = this.gain;
    this.gain += (target - this.gain) * (target > this.gain ? ATTACK : RELEASE);
    // Ramp across the frame so a gain step never clicks.
    const step = (this.gain - from) / frame.length;
    for (let i = 0; i < frame.length; i++) frame[i] = frame[i]! * (from + step * (i + 1));
    this.lastAttenuationDb = -20 * Math.log10(this.gain);
  }
}
