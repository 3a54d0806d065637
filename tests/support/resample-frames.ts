import type { RateConverter } from '../../src-main/media/dsp/rate-converter.js';

/** Runs `x` through the converter in frames of `frame` samples (as the engine does). */
export function resampleInFrames(r: Pick<RateConverter, 'fromRate' | 'toRate' | 'process'>, x: Int16Array, frame: number): Int16Array {
  const out = new Int16Array(Math.ceil((x.length * r.toRate) / r.fromRate) + 8);
  const tmp = new Int16Array(Math.ceil((frame * r.toRate) / r.fromRate) + 1);
  let o = 0;
  for (let i = 0; i < x.length; i += frame) {
    const n = r.process(x.subarray(i, Math.min(x.length, i + frame)), tmp);
    out.set(tmp.subarray(0, n), o);
    o += n;
  }
  return out.subarray(0, o);
}
