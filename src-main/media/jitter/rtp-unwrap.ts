/**
 * Extends RTP's wrapping counters to monotonic numbers (RFC 3550 §A.1): the 16-bit sequence number
 * and the 32-bit timestamp become the value nearest the highest one seen (serial arithmetic), so
 * reordering across the wrap (65535 → 0, 2^32-1 → 0) keeps its order. A jump stays continuous:
 * values keep counting from wherever the jump landed.
 */
export class Unwrapper {
  private highest = NaN;
  private readonly half: number;
  private readonly modulus: number;

  constructor(readonly bits: 16 | 32) {
    this.modulus = 2 ** bits;
    this.half = 2 ** (bits - 1);
  }

  unwrap(value: number): number {
    const v = value % this.modulus;
    if (Number.isNaN(this.highest)) return (this.highest = v);
    let delta = (v - this.highest) % this.modulus;
    if (delta >= this.half) delta -= this.modulus;
    else if (delta < -this.half) delta += this.modulus;
    const ext = this.highest + delta;
    if (delta > 0) this.highest = ext;
    return ext;
  }

  reset(): void {
    this.highest = NaN;
  }
}
