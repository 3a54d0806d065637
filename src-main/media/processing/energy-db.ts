/** Energy `num` over energy `den`, dB (both may be 0). */
export function energyRatioDb(num: number, den: number): number {
  return 10 * Math.log10((num + 1e-12) / (den + 1e-12));
}
