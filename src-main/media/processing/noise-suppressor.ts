/**
 * Noise suppressor seam. The engine behind it is replaceable: `low` (the default) is SpeexDSP's
 * spectral suppressor (speex-suppressor.ts, cheap), `high` RNNoise (rnnoise-suppressor.ts, a
 * recurrent network: stronger, ~10x the CPU). Both are WebAssembly builds. Frames are mono float in [-1, 1], the stage's frame length, processed
 * in place; an engine may delay the signal by a fixed number of samples (`delaySamples`).
 */
export type NoiseLevel = 'off' | 'low' | 'high';

export interface NoiseSuppressor {
  /** Engine name, for stats and logs. */
  readonly engine: string;
  /** Fixed delay the engine adds, samples at the stage's rate. */
  readonly delaySamples: number;
  process(frame: Float32Array): void;
  /** Energy taken off the last frame, dB (0 = none). */
  readonly attenuationDb: number;
  /** Releases the engine's memory. */
  dispose(): void;
}
