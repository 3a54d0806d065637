/**
 * Loads any PCM/µ-law/A-law WAV as mono signed 16-bit at a target rate, once, off the audio path:
 * channels are averaged, integer ratios go through our Resampler (delay removed), other ratios
 * through wavefile's windowed-sinc converter.
 */
import { readFile } from 'node:fs/promises';
import wavefile from 'wavefile';
import { Resampler, TAPS_PER_PHASE } from './resampler.js';

/** WAVE format tags (RFC 2361 appendix A). */
const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;
const WAVE_FORMAT_IMA_ADPCM = 17;

interface Fmt { audioFormat: number; numChannels: number; sampleRate: number; bitsPerSample: number }

/**
 * Resamples a whole signal with the filter delay removed. The ends are padded with the signal's
 * own other end when it will be looped (`periodic`, so the loop point stays seamless), else zeros.
 */
function resampleWhole(x: Int16Array, from: number, to: number, periodic: boolean): Int16Array {
  const r = new Resampler(from, to, 0);
  const pad = Math.min(x.length, TAPS_PER_PHASE * r.factor);
  const ext = new Int16Array(x.length + 2 * pad);
  if (periodic) {
    ext.set(x.subarray(x.length - pad), 0);
    ext.set(x.subarray(0, pad), pad + x.length);
  }
  ext.set(x, pad);
  const out = new Int16Array(r.outputLength(ext.length));
  r.process(ext, out);
  const start = Math.round((pad * to) / from + r.delay);
  const len = Math.floor((x.length * to) / from);
  return out.slice(start, start + len);
}

export function decodeWavMono(bytes: Uint8Array, rate: number, periodic = true): Int16Array {
  const wav = new wavefile.WaveFile(bytes);
  const fmt = wav.fmt as Fmt;
  if (fmt.audioFormat === WAVE_FORMAT_MULAW) wav.fromMuLaw();
  else if (fmt.audioFormat === WAVE_FORMAT_ALAW) wav.fromALaw();
  else if (fmt.audioFormat === WAVE_FORMAT_IMA_ADPCM) wav.fromIMAADPCM();
  if (wav.bitDepth !== '16') wav.toBitDepth('16');
  const channels = (wav.fmt as Fmt).numChannels;
  const raw = wav.getSamples(true, Int16Array) as unknown as Int16Array;
  let mono: Int16Array;
  if (channels === 1) mono = raw;
  else {
    mono = new Int16Array(Math.floor(raw.length / channels));
    for (let i = 0; i < mono.length; i++) {
      let s = 0;
      for (let c = 0; c < channels; c++) s += raw[i * channels + c]!;
      mono[i] = Math.round(s / channels);
    }
  }
  const from = (wav.fmt as Fmt).sampleRate;
  if (from === rate) return mono;
  const hi = Math.max(from, rate);
  const lo = Math.min(from, rate);
  if (Number.isInteger(hi / lo)) return resampleWhole(mono, from, rate, periodic);
  const w = new wavefile.WaveFile();
  w.fromScratch(1, from, '16', mono);
  w.toSampleRate(rate, { method: 'sinc', LPF: true });
  return w.getSamples(false, Int16Array) as unknown as Int16Array;
}

export async function loadWavMono(path: string, rate: number, periodic = true): Promise<Int16Array> {
  return decodeWavMono(await readFile(path), rate, periodic);
}
