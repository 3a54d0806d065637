/**
 * The capture-side audio-processing stage of the media worker: echo cancellation against the exact
 * samples written to the playback device, then noise suppression, then gain control. Pure: no
 * I/O, no timers; the worker calls notePlayback() with each frame it writes to the speaker and
 * processCapture() with each frame it reads from the microphone. No allocation per frame.
 * A stage that is off is skipped (the frame passes untouched); with all three off the capture
 * frame is returned as is. Noise suppression delays the frame by its engine's `delaySamples`
 * (`low`, SpeexDSP: 5 ms; `high`, RNNoise: 20 ms); the canceller and gain control add none of
 * their own buffering.
 */
import type { EchoCanceller } from './echo-canceller.js';
import type { GainControl } from './gain-control.js';
import type { NoiseLevel, NoiseSuppressor } from './noise-suppressor.js';
import { LevelGainControl } from './gain-control.js';
import { loadRnnoise, RnnoiseSuppressor } from './rnnoise-suppressor.js';
import { loadSpeex, SpeexSuppressor } from './speex-suppressor.js';
import { Aec3Canceller } from './aec3-canceller.js';
import { energyRatioDb } from './energy-db.js';

export interface ProcessingSettings {
  aec: boolean;
  ns: NoiseLevel;
  agc: boolean;
}

export const DEFAULT_PROCESSING: ProcessingSettings = { aec: true, ns: 'low', agc: true };

/** What the call's stats show. */
export interface ProcessingStats {
  aec: boolean;
  ns: NoiseLevel;
  agc: boolean;
  /** Echo is being removed now: the far end plays and the canceller takes ≥ 6 dB off the capture. */
  echoRemoving: boolean;
  /** Smoothed capture level over the canceller's output while the far end plays, dB. */
  echoRemovedDb: number;
  /** Gain control's current gain, dB (0 when off). */
  agcGainDb: number;
  /**
   * Echo stays high: over ECHO_HIGH_SECONDS or more of far-end playback the microphone picked up
   * the speaker strongly (within 25 dB of what was played) and the canceller took less than
   * 10 dB off it, in more than three frames of four (a frame where echo is low takes back three).
   * False when the canceller is off.
   */
  echoStaysHigh: boolean;
}

/** Playback frames quieter than this don't make echo, dBFS. */
const PLAYBACK_ACTIVE_DBFS = -50;
/** Smoothing of the echo-removed estimate per frame (≈ 0.5 s at 20 ms). */
const SMOOTH = 0.04;
/** The indicator shows echo removal from this reduction, dB. */
const INDICATOR_DB = 6;
/** Playback counts as recent for this many frames after its last active one (covers 500 ms delay + room). */
const RECENT_FRAMES = 40;
/** Echo counts as not removed below this reduction, dB. */
const ECHO_HIGH_REMOVED_DB = 10;
/** The microphone holds the speaker strongly from this level relative to playback, dB. */
const ECHO_HIGH_COUPLING_DB = -25;
/** How long echo must stay high (seconds of far-end playback) before it is reported. */
export const ECHO_HIGH_SECONDS = 10;
/** Frames with echo high that one frame with echo low takes back. */
const ECHO_LOW_PENALTY = 3;

export interface ProcessorEngines {
  aec?: EchoCanceller;
  ns?: NoiseSuppressor;
  agc?: GainControl;
}

export class CaptureProcessor {
  private readonly cap: Float32Array;
  private readonly play: Float32Array;
  private readonly out: Int16Array;
  private sinceActivePlayback = Infinity;
  private capEnergy = 0;
  private outEnergy = 0;
  private removedDb = 0;
  /** Energy of the last frame played, and its smoothed value over recent playback. */
  private lastPlayEnergy = 0;
  private playEnergy = 0;
  /** Frames of recent playback with echo high, less ECHO_LOW_PENALTY per frame without; the limit is "stays high". */
  private highEchoFrames = 0;
  private readonly highEchoLimit: number;

  constructor(
    readonly settings: Readonly<ProcessingSettings>,
    private readonly engines: ProcessorEngines,
    readonly frameSamples: number,
    rate = 48000,
  ) {
    this.highEchoLimit = Math.ceil((ECHO_HIGH_SECONDS * rate) / frameSamples);
    this.cap = new Float32Array(frameSamples);
    this.play = new Float32Array(frameSamples);
    this.out = new Int16Array(frameSamples);
  }

  /** True when every stage is off: processCapture returns its input. */
  get bypassed(): boolean {
    return !this.engines.aec && !this.engines.ns && !this.engines.agc;
  }

  /** The frame just written to the playback device (after jitter buffer, mixing and volume). */
  notePlayback(frame: Int16Array): void {
    const aec = this.engines.aec;
    if (!aec) return;
    const p = this.play;
    const n = Math.min(frame.length, p.length);
    let e = 0;
    for (let i = 0; i < n; i++) {
      const v = frame[i]! / 32768;
      p[i] = v;
      e += v * v;
    }
    p.fill(0, n);
    this.lastPlayEnergy = e;
    this.sinceActivePlayback = 10 * Math.log10(e / p.length + 1e-12) > PLAYBACK_ACTIVE_DBFS ? 0 : this.sinceActivePlayback + 1;
    aec.notePlayback(p);
  }

  /** Processes one captured frame; returns the processed frame (valid until the next call). */
  processCapture(frame: Int16Array): Int16Array {
    if (this.bypassed || frame.length !== this.frameSamples) return frame;
    const c = this.cap;
    let ein = 0;
    for (let i = 0; i < c.length; i++) {
      const v = frame[i]! / 32768;
      c[i] = v;
      ein += v * v;
    }
    const { aec, ns, agc } = this.engines;
    if (aec) {
      aec.process(c, c);
      if (this.sinceActivePlayback <= RECENT_FRAMES) {
        let eout = 0;
        for (let i = 0; i < c.length; i++) eout += c[i]! * c[i]!;
        this.capEnergy += SMOOTH * (ein - this.capEnergy);
        this.outEnergy += SMOOTH * (eout - this.outEnergy);
        this.playEnergy += SMOOTH * (this.lastPlayEnergy - this.playEnergy);
        this.removedDb = energyRatioDb(this.capEnergy, this.outEnergy);
        const couplingDb = energyRatioDb(this.capEnergy, this.playEnergy);
        const high = this.removedDb < ECHO_HIGH_REMOVED_DB && couplingDb >= ECHO_HIGH_COUPLING_DB;
        this.highEchoFrames = high ? Math.min(this.highEchoFrames + 1, this.highEchoLimit) : Math.max(0, this.highEchoFrames - ECHO_LOW_PENALTY);
      }
    }
    ns?.process(c);
    agc?.process(c);
    const o = this.out;
    for (let i = 0; i < o.length; i++) {
      const v = Math.round(c[i]! * 32768);
      o[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    return o;
  }

  stats(): ProcessingStats {
    const echoRemoving = !!this.engines.aec && this.sinceActivePlayback <= RECENT_FRAMES && this.removedDb >= INDICATOR_DB;
    return {
      aec: !!this.engines.aec,
      ns: this.engines.ns ? this.settings.ns : 'off',
      agc: !!this.engines.agc,
      echoRemoving,
      echoRemovedDb: Math.round(this.removedDb * 10) / 10,
      agcGainDb: Math.round((this.engines.agc?.gainDb ?? 0) * 10) / 10,
      echoStaysHigh: !!this.engines.aec && this.highEchoFrames >= this.highEchoLimit,
    };
  }

  /** Delay the stage adds to the captured audio, samples (the canceller's own filter delay aside). */
  get delaySamples(): number {
    return this.engines.ns?.delaySamples ?? 0;
  }

  dispose(): void {
    this.engines.aec?.dispose();
    this.engines.ns?.dispose();
  }
}

/** The engine behind each noise suppression level, and its module's loader. */
const NOISE_ENGINES = {
  low: { suppressor: SpeexSuppressor, load: loadSpeex },
  high: { suppressor: RnnoiseSuppressor, load: loadRnnoise },
} as const;

/**
 * Builds the stage for `settings` at `rate` with `frameSamples` per frame (without noise
 * suppression, told to `onNsFailed`, if its module cannot load). The engines'
 * WebAssembly modules load here (once per thread), never on the audio path. Noise suppression
 * `low` is SpeexDSP's (cheap, 5 ms; frames of whole 5 ms blocks at 8-48 kHz), `high` RNNoise
 * (strong, 20 ms, 48 kHz in whole 10 ms blocks); where its engine cannot run the frames it stays
 * off (stats say `ns: 'off'`) rather than running on a resampled copy.
 */
export async function createCaptureProcessor(
  settings: ProcessingSettings, rate: number, frameSamples: number, onNsFailed: (e: Error) => void = () => {},
): Promise<CaptureProcessor> {
  const engines: ProcessorEngines = {};
  if (settings.aec) engines.aec = await Aec3Canceller.create(rate);
  const noise = settings.ns === 'off' ? undefined : NOISE_ENGINES[settings.ns].suppressor;
  if (noise?.supports(rate, frameSamples)) {
    try {
      engines.ns = await noise.create(rate, frameSamples);
    } catch (e) {
      // The suppressor's module would not load: the canceller and gain control still run.
      onNsFailed(e instanceof Error ? e : new Error(String(e)));
    }
  }
  if (settings.agc) engines.agc = new LevelGainControl();
  return new CaptureProcessor(settings, engines, frameSamples, rate);
}

/**
 * Loads the WebAssembly `settings` need (the noise suppressor's) before a stage is built: RNNoise's
 * 1.4 MB model and 14 MB only for `high`.
 */
export function preloadProcessing(settings: ProcessingSettings): Promise<void> {
  return settings.ns === 'off' ? Promise.resolve() : NOISE_ENGINES[settings.ns].load().then(() => undefined);
}
