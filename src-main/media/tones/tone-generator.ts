import type { TonePlan } from './tone-plans.js';

/**
 * Plays a TonePlan into caller buffers: phase-continuous oscillators, sample-exact cadence across
 * any buffer size, raised-cosine ramps at each burst's edges (no clicks). All state is allocated in
 * the constructor; fill()/mixInto() allocate nothing (safe on the audio path).
 */
export interface ToneGeneratorOptions {
  /** Peak level of each frequency component, dBFS (default -18: a dual tone peaks at -12). */
  levelDbfs?: number;
  /** Fade in/out length at each burst edge, ms (default 4). */
  rampMs?: number;
}

const FULL_SCALE = 32767;

export class ToneGenerator {
  /** Sample count of each segment. */
  private readonly lengths: Int32Array;
  /** Phase increment per sample of each segment's oscillators [rad], row-major by segment. */
  private readonly increments: Float64Array;
  private readonly oscCount: Int32Array;
  private readonly maxOsc: number;
  private readonly phases: Float64Array;
  private readonly amplitude: number;
  /** Ramp length [samples]. */
  private readonly ramp: number;
  private segment = 0;
  /** Position inside the current segment [samples]. */
  private position = 0;
  private finished = false;

  constructor(readonly plan: TonePlan, readonly sampleRate: number, opts: ToneGeneratorOptions = {}) {
    const n = plan.segments.length;
    if (n === 0) throw new RangeError('tone plan has no segments');
    this.maxOsc = Math.max(1, ...plan.segments.map((s) => s.freqs.length));
    this.lengths = new Int32Array(n);
    this.increments = new Float64Array(n * this.maxOsc);
    this.oscCount = new Int32Array(n);
    plan.segments.forEach((s, i) => {
      this.lengths[i] = Math.round((s.ms * sampleRate) / 1000);
      this.oscCount[i] = s.freqs.length;
      s.freqs.forEach((f, k) => {
        if (f <= 0 || f >= sampleRate / 2) throw new RangeError(`${f} Hz does not fit ${sampleRate} Hz sampling`);
        this.increments[i * this.maxOsc + k] = (2 * Math.PI * f) / sampleRate;
      });
    });
    if (this.lengths.every((l) => l === 0)) throw new RangeError('tone plan has zero length');
    this.phases = new Float64Array(this.maxOsc);
    this.amplitude = FULL_SCALE * Math.pow(10, (opts.levelDbfs ?? -18) / 20);
    this.ramp = Math.max(1, Math.round(((opts.rampMs ?? 4) * sampleRate) / 1000));
  }

  /** True once a one-shot plan has played to its end (it then writes silence). */
  get done(): boolean {
    return this.finished;
  }

  /** Restart the cadence from its first segment. */
  reset(): void {
    this.segment = 0;
    this.position = 0;
    this.finished = false;
    this.phases.fill(0);
  }

  /** Write `count` samples at `offset` (replacing what is there); returns samples written. */
  fill(out: Int16Array, offset = 0, count = out.length - offset): number {
    return this.render(out, offset, count, false);
  }

  /** Add the tone onto existing audio (e.g. a call-waiting beep over the call), saturating. */
  mixInto(out: Int16Array, offset = 0, count = out.length - offset): number {
    return this.render(out, offset, count, true);
  }

  private render(out: Int16Array, offset: number, count: number, mix: boolean): number {
    const end = Math.min(out.length, offset + count);
    let i = offset;
    while (i < end) {
      if (this.finished) {
        if (!mix) out.fill(0, i, end);
        return end - offset;
      }
      const len = this.lengths[this.segment]!;
      const take = Math.min(end - i, len - this.position);
      this.renderSegment(out, i, take, mix);
      i += take;
      this.position += take;
      if (this.position >= len) this.nextSegment();
    }
    return end - offset;
  }

  private nextSegment(): void {
    this.position = 0;
    this.phases.fill(0);
    this.segment++;
    if (this.segment >= this.lengths.length) {
      this.segment = 0;
      if (!this.plan.repeat) this.finished = true;
    }
  }

  private renderSegment(out: Int16Array, start: number, count: number, mix: boolean): void {
    const oscs = this.oscCount[this.segment]!;
    if (oscs === 0) {
      if (!mix) out.fill(0, start, start + count);
      return;
    }
    const len = this.lengths[this.segment]!;
    const ramp = Math.min(this.ramp, len >> 1);
    const base = this.segment * this.maxOsc;
    for (let j = 0; j < count; j++) {
      const pos = this.position + j;
      let v = 0;
      for (let k = 0; k < oscs; k++) {
        v += Math.sin(this.phases[k]!);
        const p = this.phases[k]! + this.increments[base + k]!;
        this.phases[k] = p > 2 * Math.PI ? p - 2 * Math.PI : p;
      }
      const edge = Math.min(pos, len - 1 - pos);
      const gain = edge < ramp ? 0.5 - 0.5 * Math.cos((Math.PI * (edge + 0.5)) / ramp) : 1;
      let s = v * this.amplitude * gain;
      if (mix) s += out[start + j]!;
      out[start + j] = s > FULL_SCALE ? FULL_SCALE : s < -32768 ? -32768 : Math.round(s);
    }
  }
}
