/**
 * The sample-rate converters of the audio path (device rate ↔ codec rate): a copy when the rates
 * match; otherwise Resampler's polyphase filter, run by the WebAssembly SIMD kernel (about ten
 * times fewer instructions than the JavaScript loops), or by Resampler itself where WebAssembly
 * SIMD is missing.
 */
import { Resampler } from './resampler.js';
import { firModule } from './simd-fir.js';
import { SimdResampler } from './simd-resampler.js';

export interface RateConverter {
  readonly fromRate: number;
  readonly toRate: number;
  /** Group delay, in output samples (a whole number). */
  readonly delay: number;
  /** Output samples produced for `inputLength` more input samples. */
  outputLength(inputLength: number): number;
  /** Converts one frame into `output` (must hold outputLength(input.length)); returns samples written. */
  process(input: Int16Array, output: Int16Array): number;
  reset(): void;
}

/** The converter for `from` → `to` Hz (`from === to`: a copy, no filter). `simd: false` forces the JavaScript filter. */
export function createRateConverter(from: number, to: number, o: { simd?: boolean } = {}): RateConverter {
  const module = from !== to && o.simd !== false ? firModule() : undefined;
  return module ? new SimdResampler(from, to, module) : new Resampler(from, to);
}
