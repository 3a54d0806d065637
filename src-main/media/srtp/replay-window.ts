/**
 * Replay protection (RFC 3711 §3.3.2): a sliding window of the last `size` packet indices
 * (48-bit SRTP index or 31-bit SRTCP index) behind the highest authenticated one.
 * `check` runs before authentication, `accept` only after it passes. No allocation.
 */
export const DEFAULT_REPLAY_WINDOW = 128;

export type ReplayVerdict = 'new' | 'replay' | 'too-old';

export class ReplayWindow {
  private readonly seen: Uint8Array;
  private highest = -1;

  constructor(readonly size = DEFAULT_REPLAY_WINDOW) {
    if (size < 64) throw new RangeError('RFC 3711 §3.3.2: the replay window must be at least 64');
    this.seen = new Uint8Array(size);
  }

  check(index: number): ReplayVerdict {
    if (index > this.highest) return 'new';
    if (index <= this.highest - this.size) return 'too-old';
    return this.seen[index % this.size] ? 'replay' : 'new';
  }

  accept(index: number): void {
    if (index > this.highest) {
      const advance = Math.min(this.size, index - this.highest);
      for (let i = 1; i <= advance; i++) this.seen[(index - advance + i) % this.size] = 0;
      this.highest = index;
    }
    this.seen[index % this.size] = 1;
  }

  get highestIndex(): number {
    return this.highest;
  }
}
