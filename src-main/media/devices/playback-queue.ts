import { copySamples } from '../../util/copy-samples.js';

/**
 * The small sample queue between the engine and a playback device: the engine writes decoded
 * frames, the device reads one frame each period. A ring of preallocated samples; on overflow the
 * oldest samples go (bounded latency), on underrun the missing samples are silence.
 */
export class PlaybackQueue {
  private readonly ring: Int16Array;
  private readIdx = 0;
  /** Samples queued. */
  private count = 0;
  /** Set once anything was written: an empty queue before that is idle, not an underrun. */
  private primed = false;
  underruns = 0;
  overflows = 0;

  /** `capacity` in samples (e.g. 5 frames). */
  constructor(readonly capacity: number) {
    this.ring = new Int16Array(capacity);
  }

  get queued(): number {
    return this.count;
  }

  write(pcm: Int16Array): void {
    // Only the newest `capacity` samples of a longer write can stay.
    const skip = Math.max(0, pcm.length - this.capacity);
    const length = pcm.length - skip;
    const excess = this.count + length - this.capacity;
    if (excess > 0) {
      this.readIdx = (this.readIdx + excess) % this.capacity;
      this.count -= excess;
      this.overflows++;
    }
    const w = (this.readIdx + this.count) % this.capacity;
    const first = Math.min(length, this.capacity - w);
    copySamples(this.ring, w, pcm, skip, skip + first);
    if (first < length) copySamples(this.ring, 0, pcm, skip + first, pcm.length);
    this.count += length;
    this.primed = true;
  }

  /** Fills `out` entirely; returns samples that came from the queue (the rest is silence). */
  read(out: Int16Array): number {
    const n = Math.min(out.length, this.count);
    const first = Math.min(n, this.capacity - this.readIdx);
    copySamples(out, 0, this.ring, this.readIdx, this.readIdx + first);
    if (first < n) copySamples(out, first, this.ring, 0, n - first);
    if (n < out.length) {
      out.fill(0, n);
      if (this.primed) this.underruns++;
    }
    this.readIdx = (this.readIdx + n) % this.capacity;
    this.count -= n;
    return n;
  }

  /** Empties the queue; the next read before any write is idle again. */
  clear(): void {
    this.readIdx = 0;
    this.count = 0;
    this.primed = false;
  }
}
