/**
 * Acoustic echo canceller seam. The engine behind it is replaceable (today WebRTC AEC3 built to
 * WebAssembly, aec3-canceller.ts). Frames are mono float in [-1, 1], the stage's frame length.
 */
export interface EchoCanceller {
  /** Engine name, for stats and logs. */
  readonly engine: string;
  /** The exact samples just written to the playback device (far-end reference). */
  notePlayback(frame: Float32Array): void;
  /** Removes the echo of what was played from `capture` into `out` (same length; may alias). */
  process(capture: Float32Array, out: Float32Array): void;
  /** Releases the engine's memory. */
  dispose(): void;
}
