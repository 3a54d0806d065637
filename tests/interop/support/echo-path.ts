/**
 * A real acoustic echo path on headless PulseAudio, and the measurements the echo interop test
 * makes on what baresip received: speech fixtures from espeak-ng, a loopback module that feeds
 * the virtual speaker back into the virtual microphone (delay and attenuation chosen by the test),
 * and speech located in a recording by its 10 ms level envelope.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { requireBinary } from '../harness/index.js';
import type { Pulse } from '../harness/index.js';
import { rms } from '../../support/audio-analysis.js';
import { readWav } from '../../support/wav.js';

/** Envelope frame, s. */
const FRAME_S = 0.01;

function pactl(env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('pactl', args, { env, timeout: 5000 }, (err, stdout, stderr) => err ? reject(new Error(`pactl ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout));
  });
}

/**
 * Loads module-loopback from the virtual speaker's monitor into the virtual microphone's sink:
 * what the phone plays comes back into its microphone `latencyMs` later, `gainDb` louder (≤ 0).
 * Returns the module index (unloaded with the PulseAudio server).
 */
export async function loadEchoPath(pulse: Pulse, latencyMs: number, gainDb: number): Promise<number> {
  const index = Number((await pactl(pulse.env, ['load-module', 'module-loopback', 'source=vspk.monitor', 'sink=vmic',
    `latency_msec=${latencyMs}`, 'source_dont_move=true', 'sink_dont_move=true', 'remix=false'])).trim());
  if (!Number.isInteger(index)) throw new Error('module-loopback gave no index');
  const inputs = JSON.parse(await pactl(pulse.env, ['-f', 'json', 'list', 'sink-inputs'])) as { index: number; owner_module: string | number }[];
  const input = inputs.find((i) => Number(i.owner_module) === index);
  if (!input) throw new Error(`no sink input of module ${index}: ${JSON.stringify(inputs)}`);
  await pactl(pulse.env, ['set-sink-input-volume', String(input.index), `${gainDb}dB`]);
  return index;
}

/**
 * espeak-ng speaking `text` with `voice`, as a 48 kHz mono 16-bit WAV of exactly `seconds` of
 * speech (peak -3 dBFS) followed by `padSeconds` of digital silence.
 */
export function speechWav(file: string, voice: string, text: string, seconds: number, padSeconds = 0): string {
  requireBinary('espeak-ng', 'espeak-ng');
  requireBinary('sox', 'sox');
  const raw = `${file}.raw.wav`;
  execFileSync('espeak-ng', ['-v', voice, '-s', '165', '-w', raw, text], { stdio: 'pipe' });
  execFileSync('sox', [raw, '-r', '48000', '-b', '16', '-c', '1', file, 'gain', '-n', '-3', 'trim', '0', String(seconds), 'pad', '0', String(padSeconds)], { stdio: 'pipe' });
  return file;
}

/** RMS per 10 ms frame. */
export function envelope(samples: Int16Array, rate: number): Float64Array {
  const n = Math.round(rate * FRAME_S);
  const out = new Float64Array(Math.floor(samples.length / n));
  for (let f = 0; f < out.length; f++) out[f] = rms(samples, f * n, (f + 1) * n);
  return out;
}

/**
 * Where `needle` (e.g. the near-end speech file) starts in `hay` (a recording), s: the lag of
 * the highest normalised correlation of their level envelopes, and that correlation (0–1).
 */
export function locate(needle: Int16Array, needleRate: number, hay: Int16Array, hayRate: number): { atS: number; score: number } {
  const a = envelope(needle, needleRate), b = envelope(hay, hayRate);
  let ea = 0;
  for (const v of a) ea += v * v;
  let best = -1, bestLag = 0;
  for (let lag = 0; lag + a.length <= b.length; lag++) {
    let c = 0, eb = 0;
    for (let i = 0; i < a.length; i++) { c += a[i]! * b[lag + i]!; eb += b[lag + i]! * b[lag + i]!; }
    const score = c / Math.sqrt(ea * Math.max(eb, 1e-9));
    if (score > best) { best = score; bestLag = lag; }
  }
  return { atS: bestLag * FRAME_S, score: best };
}

/** RMS of [fromS, toS) in dBFS (-120 for digital silence). */
export function windowDbfs(samples: Int16Array, rate: number, fromS: number, toS: number): number {
  const from = Math.max(0, Math.round(fromS * rate)), to = Math.min(samples.length, Math.round(toS * rate));
  if (to <= from) throw new Error(`window ${fromS.toFixed(2)}–${toS.toFixed(2)} s outside a ${(samples.length / rate).toFixed(2)} s recording`);
  const r = rms(samples, from, to) / 32768;
  return r > 1e-6 ? 20 * Math.log10(r) : -120;
}

/** The median of the 100 ms levels in [fromS, toS), dBFS: the typical level, untouched by short bursts. */
export function medianDbfs(samples: Int16Array, rate: number, fromS: number, toS: number): number {
  const levels: number[] = [];
  for (let at = fromS; at + 0.1 <= toS + 1e-9; at += 0.1) levels.push(windowDbfs(samples, rate, at, at + 0.1));
  if (levels.length === 0) throw new Error(`window ${fromS.toFixed(2)}–${toS.toFixed(2)} s holds no 100 ms frame`);
  levels.sort((a, b) => a - b);
  const mid = levels.length >> 1;
  return levels.length % 2 ? levels[mid]! : (levels[mid - 1]! + levels[mid]!) / 2;
}

/** What baresip decoded in the call that just ended: its `-dec.wav` that was not in `recDir` before (`before`). */
export function newDecodedRecording(recDir: string, before: ReadonlySet<string>): ReturnType<typeof readWav> {
  const dump = readdirSync(recDir).find((f) => f.endsWith('-dec.wav') && !before.has(f));
  if (!dump) throw new Error(`baresip wrote no new recording in ${recDir}`);
  return readWav(join(recDir, dump));
}
