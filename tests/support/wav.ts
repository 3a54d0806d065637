/** WAV helpers for tests: read any WAV as mono s16 (channels averaged), write mono s16. */
import { readFileSync, writeFileSync } from 'node:fs';
import wavefile from 'wavefile';

export interface MonoPcm {
  rate: number;
  samples: Int16Array;
  /** Channels in the file before averaging. */
  channels: number;
}

/** Parses WAV bytes (PCM 8/16/24/32-bit, float, µ-law, A-law) to mono s16 at the file's own rate. */
export function parseWav(bytes: Uint8Array): MonoPcm {
  const wav = new wavefile.WaveFile(bytes);
  const fmt = wav.fmt as { audioFormat: number; numChannels: number; sampleRate: number };
  if (fmt.audioFormat === 7) wav.fromMuLaw();
  else if (fmt.audioFormat === 6) wav.fromALaw();
  if (wav.bitDepth !== '16') wav.toBitDepth('16');
  const channels = fmt.numChannels;
  const raw = wav.getSamples(true, Int16Array) as unknown as Int16Array;
  if (channels === 1) return { rate: fmt.sampleRate, samples: Int16Array.from(raw), channels };
  const samples = new Int16Array(Math.floor(raw.length / channels));
  for (let i = 0; i < samples.length; i++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += raw[i * channels + c]!;
    samples[i] = Math.round(s / channels);
  }
  return { rate: fmt.sampleRate, samples, channels };
}

export function readWav(file: string): MonoPcm {
  return parseWav(readFileSync(file));
}

/** WAV bytes of mono s16 `samples` at `rate` (or `channels` interleaved). */
export function wavBytes(samples: Int16Array, rate: number, channels = 1): Uint8Array {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(channels, rate, '16', samples);
  return wav.toBuffer();
}

export function writeWav(file: string, samples: Int16Array, rate: number, channels = 1): void {
  writeFileSync(file, wavBytes(samples, rate, channels));
}
