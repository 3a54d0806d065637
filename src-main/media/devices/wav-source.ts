/**
 * Loads any PCM/µ-law/A-law WAV as mono signed 16-bit at a target rate, once, off the audio path:
 * channels averaged, then resampled whole (offline-resample.ts). Mono 16-bit PCM, the common case,
 * is read in place (wav-pcm16.ts): a 50 s file at 48 kHz held once, not three times.
 */
import { readFile } from 'node:fs/promises';
import wavefile from 'wavefile';
import { resampleOffline } from '../dsp/offline-resample.js';
import { readPcm16Mono } from './wav-pcm16.js';

/** WAVE format tags (RFC 2361 appendix A). */
const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;
const WAVE_FORMAT_IMA_ADPCM = 17;

interface Fmt { audioFormat: number; numChannels: number; sampleRate: number; bitsPerSample: number }

export function decodeWavMono(bytes: Uint8Array, rate: number, periodic = true): Int16Array {
  const pcm = readPcm16Mono(bytes);
  if (pcm) return pcm.rate === rate ? pcm.samples : resampleOffline(pcm.samples, pcm.rate, rate, periodic);
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
  return resampleOffline(mono, from, rate, periodic);
}

export async function loadWavMono(path: string, rate: number, periodic = true): Promise<Int16Array> {
  return decodeWavMono(await readFile(path), rate, periodic);
}
