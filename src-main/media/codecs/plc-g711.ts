/**
 * Packet loss concealment after ITU-T G.711 Appendix I (waveform substitution): find the pitch
 * period in the history by normalised cross-correlation, repeat the last 1, then 2, then 3 periods
 * (the extra periods are added after 10 and 20 ms, joined by overlap-add), attenuate by 20% per 10 ms
 * after the first 10 ms (silence from 60 ms), and overlap-add the first good samples after the gap
 * with the continued synthetic signal.
 *
 * Departure from Appendix I: no 3.75 ms output delay. Appendix I delays every good frame so it can
 * overlap-add the start of the gap with already-received speech; here the synthetic signal is instead
 * level-matched to the last played sample with an offset that fades out over 1/4 pitch period (an
 * overlap-add of the offset copy with the plain copy). For a stationary periodic signal this adds
 * nothing at all. Parameters are Appendix I's 8 kHz values, scaled for other rates (G.722: 16 kHz).
 *
 * State: `erased` = samples concealed in the current gap (0 = receiving). No allocation after
 * construction.
 */

/** Appendix I constants at 8 kHz (samples). */
const PITCH_MIN_8K = 40; // 200 Hz
const PITCH_MAX_8K = 120; // 66.7 Hz
const CORR_LEN_8K = 160; // 20 ms correlation window
const NDEC_8K = 2; // decimation of the coarse pitch search
const FRAME_8K = 80; // 10 ms: attenuation and period-expansion step
const EOVERLAP_INCR_8K = 32; // end-of-gap overlap grows 4 ms per further 10 ms lost
const CORR_MIN_POWER = 250;
const ATTENUATION_PER_FRAME = 0.2;
/** Extra periods are added to the repeated cycle at the start of the 2nd and 3rd 10 ms frame. */
const MAX_PERIODS = 3;
/** Gain reaches zero after this many 10 ms frames (60 ms). */
const SILENT_AFTER_FRAMES = 6;

export class G711Concealer {
  private readonly pitchMax: number;
  private readonly pitchDiff: number;
  private readonly corrLen: number;
  private readonly ndec: number;
  private readonly frame: number;
  private readonly eoverlapIncr: number;
  private readonly historyLen: number;
  /** Last `historyLen` output samples (received or concealed), oldest first. */
  private readonly history: Float32Array;
  /** History frozen at the start of the gap: the source of the repeated cycle. */
  private readonly frozen: Float32Array;
  /** The repeated cycle: `cycleLen` = periods × pitch samples. */
  private readonly cycle: Float32Array;
  private readonly tail: Float32Array;
  private erased = 0; // [samples] concealed in the current gap
  private pitch = 0; // [samples]
  private overlap = 0; // [samples] = pitch / 4
  private cycleLen = 0; // [samples]
  private offset = 0; // [samples] read position in cycle
  private levelOffset = 0; // fade-out offset matching the last played sample
  private pendingTail = 0; // [samples] of the old cycle still to cross-fade after addPeriod()
  private stats = { gaps: 0, concealedSamples: 0, lastPitch: 0 };

  constructor(readonly sampleRate: number) {
    const r = sampleRate / 8000;
    this.pitchMax = PITCH_MAX_8K * r;
    this.pitchDiff = (PITCH_MAX_8K - PITCH_MIN_8K) * r;
    this.corrLen = CORR_LEN_8K * r;
    this.ndec = NDEC_8K * r;
    this.frame = FRAME_8K * r;
    this.eoverlapIncr = EOVERLAP_INCR_8K * r;
    this.historyLen = MAX_PERIODS * this.pitchMax + (this.pitchMax >> 2);
    this.history = new Float32Array(this.historyLen);
    this.frozen = new Float32Array(this.historyLen);
    this.cycle = new Float32Array(MAX_PERIODS * this.pitchMax);
    this.tail = new Float32Array(this.pitchMax >> 2);
  }

  get state(): 'receiving' | 'concealing' {
    return this.erased === 0 ? 'receiving' : 'concealing';
  }

  toJSON(): { gaps: number; concealedSamples: number; lastPitch: number } {
    return { ...this.stats };
  }

  reset(): void {
    this.history.fill(0);
    this.erased = 0;
  }

  /** A good frame was decoded into pcm[0..n): smooth the end of a gap (in place) and remember it. */
  receive(pcm: Int16Array, n: number): void {
    if (this.erased > 0) this.endGap(pcm, n);
    this.remember(pcm, n);
  }

  /** Write `samples` concealed samples to out[0..samples). */
  conceal(out: Int16Array, samples: number): number {
    let done = 0;
    while (done < samples) {
      if (this.erased === 0) this.startGap();
      else if (this.erased % this.frame === 0) this.addPeriod();
      const untilBoundary = this.frame - (this.erased % this.frame);
      const n = Math.min(samples - done, untilBoundary);
      this.synthesize(out, done, n);
      done += n;
    }
    this.remember(out, samples);
    this.stats.concealedSamples += samples;
    return samples;
  }

  private remember(pcm: Int16Array, n: number): void {
    const h = this.history;
    const keep = Math.min(n, this.historyLen);
    h.copyWithin(0, keep);
    for (let i = 0; i < keep; i++) h[this.historyLen - keep + i] = pcm[n - keep + i]!;
  }

  private startGap(): void {
    this.frozen.set(this.history);
    this.pitch = this.findPitch();
    this.overlap = this.pitch >> 2;
    this.offset = 0;
    this.buildCycle(1);
    const last = this.frozen[this.historyLen - 1]!;
    this.levelOffset = last - this.cycle[this.cycleLen - 1]!;
    this.stats.gaps++;
    this.stats.lastPitch = this.pitch;
  }

  /** Appendix I: after 10 and 20 ms repeat one more period, overlap-adding old cycle into new. */
  private addPeriod(): void {
    const periods = this.erased / this.frame + 1;
    if (periods > MAX_PERIODS) return;
    const ov = this.overlap;
    for (let i = 0; i < ov; i++) this.tail[i] = this.next();
    this.offset -= ov;
    if (this.offset < 0) this.offset += this.cycleLen;
    this.offset %= this.pitch;
    this.buildCycle(periods);
    this.levelOffset = 0;
    this.pendingTail = ov;
  }

  /** Cycle of `periods` pitch periods ending at the gap, its last 1/4 period cross-faded into the
   *  samples just before its start so that it wraps around without a step. */
  private buildCycle(periods: number): void {
    const h = this.frozen;
    const end = this.historyLen;
    const len = periods * this.pitch;
    const start = end - len;
    const ov = this.overlap;
    for (let i = 0; i < len; i++) this.cycle[i] = h[start + i]!;
    const incr = 1 / ov;
    for (let j = 0; j < ov; j++) {
      const rw = (j + 1) * incr;
      const i = len - ov + j;
      this.cycle[i] = (1 - rw) * h[start + i]! + rw * h[start - ov + j]!;
    }
    this.cycleLen = len;
  }

  private next(): number {
    const v = this.cycle[this.offset]!;
    if (++this.offset >= this.cycleLen) this.offset = 0;
    return v;
  }

  private gainAt(e: number): number {
    const g = 1 - (Math.max(0, e - this.frame) * ATTENUATION_PER_FRAME) / this.frame;
    return g > 0 ? g : 0;
  }

  private synthesize(out: Int16Array, at: number, n: number): void {
    const ov = this.overlap;
    const silentFrom = SILENT_AFTER_FRAMES * this.frame;
    for (let i = 0; i < n; i++) {
      const e = this.erased;
      let v = this.next();
      if (e < ov) v += this.levelOffset * (1 - (e + 1) / ov);
      if (this.pendingTail > 0) {
        const k = ov - this.pendingTail;
        const rw = (k + 1) / ov;
        v = (1 - rw) * this.tail[k]! + rw * v;
        this.pendingTail--;
      }
      out[at + i] = e >= silentFrom ? 0 : clamp16(v * this.gainAt(e));
      this.erased++;
    }
  }

  /** Appendix I end of erasure: overlap 1/4 period + 4 ms per further 10 ms lost, at most 10 ms. */
  private endGap(pcm: Int16Array, n: number): void {
    const frames = Math.ceil(this.erased / this.frame);
    const olen = Math.min(this.overlap + (frames - 1) * this.eoverlapIncr, this.frame, n);
    const gain = this.gainAt(this.erased);
    const incr = 1 / olen;
    for (let i = 0; i < olen; i++) {
      const rw = (i + 1) * incr;
      pcm[i] = clamp16((1 - rw) * gain * this.next() + rw * pcm[i]!);
    }
    this.erased = 0;
    this.pendingTail = 0;
  }

  /** Appendix I findpitch(): coarse search on every ndec-th sample, then ±(ndec-1) fine search. */
  private findPitch(): number {
    const h = this.frozen;
    const end = this.historyLen;
    const l = end - this.corrLen;
    const r = end - this.corrLen - this.pitchMax;
    const best = this.search(h, l, r, 0, this.pitchDiff, this.ndec, true);
    const lo = Math.max(0, best - (this.ndec - 1));
    const hi = Math.min(this.pitchDiff, best + (this.ndec - 1));
    return this.pitchMax - this.search(h, l, r, lo, hi, 1, false);
  }

  /** Best offset j in [from, to] (lag = pitchMax - j); ties go to the later j when `preferLater`. */
  private search(h: Float32Array, l: number, r: number, from: number, to: number, step: number, preferLater: boolean): number {
    const len = this.corrLen;
    let energy = 0;
    for (let i = 0; i < len; i += step) energy += h[r + from + i]! ** 2;
    let best = from;
    let bestCorr = -Infinity;
    for (let j = from; j <= to; j += step) {
      if (j > from) {
        energy -= h[r + j - step]! ** 2;
        energy += h[r + j - step + len]! ** 2;
      }
      let corr = 0;
      for (let i = 0; i < len; i += step) corr += h[r + j + i]! * h[l + i]!;
      corr /= Math.sqrt(Math.max(energy, CORR_MIN_POWER));
      if (corr > bestCorr || (preferLater && corr === bestCorr)) {
        bestCorr = corr;
        best = j;
      }
    }
    return best;
  }
}

function clamp16(v: number): number {
  return v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v);
}
