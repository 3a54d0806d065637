/** Test audio files made with sox. */
import { execFileSync } from 'node:child_process';
import { requireBinary } from './process.js';

export interface ToneOptions { freqHz?: number; seconds?: number; rate?: number; volume?: number }

/** Writes a mono 16-bit WAV sine tone (default 1 kHz, 30 s, 48 kHz, -6 dBFS) and returns its path. */
export function makeToneWav(file: string, o: ToneOptions = {}): string {
  requireBinary('sox', 'sox');
  execFileSync('sox', ['-n', '-r', String(o.rate ?? 48000), '-b', '16', '-c', '1', file,
    'synth', String(o.seconds ?? 30), 'sine', String(o.freqHz ?? 1000), 'vol', String(o.volume ?? 0.5)], { stdio: 'pipe' });
  return file;
}

/** Converts any sox-readable audio file to the 48 kHz mono 16-bit WAV baresip's aufile source needs. */
export function toBaresipWav(input: string, output: string): string {
  requireBinary('sox', 'sox');
  execFileSync('sox', [input, '-r', '48000', '-b', '16', '-c', '1', output], { stdio: 'pipe' });
  return output;
}
