/**
 * Seeded echo scenarios for the audio-processing tests: far-end and near-end speech from espeak-ng,
 * the far end played through a (optionally soft-clipping) loudspeaker into an image-source room,
 * with a bulk delay (device buffers, 0–500 ms), clock drift between the two devices, an optional
 * room change mid-call, and a low noise floor at the microphone. The components are kept apart
 * (echo, near) so metrics can be computed on each.
 */
import { execFileSync } from 'node:child_process';
import { decodeWavMono } from '../../src-main/media/devices/wav-source.js';
import { seededRandom } from './seeded-random.js';
import { convolve, delay, drift, imageSourceRir, softClip, type Room } from './echo-room.js';

export const RATE = 48000;
export const FRAME = 960;

export interface Span { fromS: number; toS: number }

export interface ScenarioOptions {
  seed: number;
  durationS: number;
  /** Where the far end talks (default: the whole call). */
  far?: Span[];
  /** Where the near end talks (default: never). */
  near?: Span[];
  /** Bulk delay between playback and capture, ms (default 40). */
  delayMs?: number;
  /** Microphone clock vs loudspeaker clock, ppm (default 0). */
  driftPpm?: number;
  /** Loudspeaker overdrive (tanh drive; 0 = linear). */
  clipDrive?: number;
  /** Switch to a second room (another seat, another room) at this time, s. */
  roomChangeS?: number;
  /** Echo path gain (energy of the room response), dB (default -6: laptop speaker near the mic). */
  echoGainDb?: number;
}

export interface Scenario {
  rate: number;
  /** What the phone writes to the playback device (the far-end reference), s16. */
  far: Int16Array;
  /** What the microphone delivers: echo + near + noise, s16. */
  mic: Int16Array;
  /** Echo component at the microphone (float, s16 scale). */
  echo: Float64Array;
  /** Near-end speech component at the microphone (float, s16 scale). */
  near: Float64Array;
}

const SENTENCES = [
  'The quarterly report is due on Friday, please send me your figures before noon.',
  'Could you call the supplier back and ask about the delivery dates for next month?',
  'We moved the meeting to the small room on the third floor because of the visitors.',
  'I will be travelling on Tuesday, so let us talk again on Wednesday morning.',
  'The new phones arrived today and most of them are already on the desks.',
  'Please remember to lock the door and switch off the lights when you leave.',
  'Our customer in Lyon wants a second quote with the shipping costs included.',
  'The printer on the second floor is out of paper again, can someone fix it?',
];

const speechCache = new Map<string, Int16Array>();

/** One sentence spoken by espeak-ng at RATE (cached per process). */
function speak(voice: string, pitch: number, text: string): Int16Array {
  const key = `${voice}/${pitch}/${text}`;
  let pcm = speechCache.get(key);
  if (!pcm) {
    const wav = execFileSync('espeak-ng', ['-v', voice, '-p', String(pitch), '-s', '165', '--stdout', text], { maxBuffer: 64 << 20 });
    pcm = decodeWavMono(new Uint8Array(wav.buffer, wav.byteOffset, wav.byteLength), RATE, false);
    speechCache.set(key, pcm);
  }
  return pcm;
}

/** Speech filling `spans` of a `n`-sample track: seeded sentences and pauses, peak at `peak`. */
function talker(rand: () => number, voice: string, pitch: number, spans: Span[], n: number, peak: number): Float64Array {
  const y = new Float64Array(n);
  for (const span of spans) {
    let at = Math.round(span.fromS * RATE);
    const end = Math.min(n, Math.round(span.toS * RATE));
    while (at < end) {
      const s = speak(voice, pitch, SENTENCES[Math.floor(rand() * SENTENCES.length)]!);
      let max = 1;
      for (const v of s) max = Math.max(max, Math.abs(v));
      const g = peak / max;
      // Trim espeak's leading silence so a span starts talking at once.
      let lead = 0;
      while (lead < s.length && Math.abs(s[lead]!) < 0.02 * max) lead++;
      for (let i = lead; i < s.length && at < end; i++, at++) y[at] = s[i]! * g;
      at += Math.round((0.08 + 0.15 * rand()) * RATE);
    }
  }
  return y;
}

function room(rand: () => number, variant: number): Room {
  const jitter = (v: number, by: number): number => v + (rand() - 0.5) * by;
  if (variant === 0) {
    return { size: [jitter(5, 1), jitter(4, 1), 2.8], speaker: [jitter(2, 0.5), jitter(1.5, 0.5), 0.8], mic: [jitter(2.3, 0.1), jitter(1.6, 0.1), 0.85], reflection: 0.85 };
  }
  return { size: [jitter(8, 1), jitter(6, 1), 3.2], speaker: [jitter(4, 0.5), jitter(3, 0.5), 0.75], mic: [jitter(4.1, 0.1), jitter(3.4, 0.1), 0.9], reflection: 0.9 };
}

function scaledRir(r: Room, gainDb: number): Float64Array {
  const h = imageSourceRir(r, RATE, 150);
  let e = 0;
  for (const v of h) e += v * v;
  const g = Math.sqrt(10 ** (gainDb / 10) / e);
  for (let i = 0; i < h.length; i++) h[i] = h[i]! * g;
  return h;
}

const toS16 = (x: Float64Array): Int16Array => {
  const y = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = Math.max(-32768, Math.min(32767, Math.round(x[i]!)));
  return y;
};

/** The same call with the near end's sign inverted at the microphone (for doubleTalk()). */
export function invertNear(s: Scenario): Scenario {
  const mic = new Int16Array(s.mic.length);
  for (let i = 0; i < mic.length; i++) mic[i] = Math.max(-32768, Math.min(32767, s.mic[i]! - Math.round(2 * s.near[i]!)));
  return { ...s, mic };
}

export function makeScenario(o: ScenarioOptions): Scenario {
  const rand = seededRandom(o.seed);
  const n = Math.round(o.durationS * RATE / FRAME) * FRAME;
  const far = toS16(talker(rand, 'en-us', 40, o.far ?? [{ fromS: 0, toS: o.durationS }], n, 16000));
  const nearTrack = talker(rand, 'fr', 70, o.near ?? [], n, 12000);
  const farF = Float64Array.from(far);
  const spoken = o.clipDrive ? softClip(farF, o.clipDrive, 20000) : farF;
  const gainDb = o.echoGainDb ?? -6;
  let echo = convolve(spoken, scaledRir(room(rand, 0), gainDb));
  if (o.roomChangeS !== undefined) {
    const other = convolve(spoken, scaledRir(room(rand, 1), gainDb));
    const at = Math.round(o.roomChangeS * RATE);
    const fade = RATE / 100;
    for (let i = at; i < n; i++) {
      const w = Math.min(1, (i - at) / fade);
      echo[i] = (1 - w) * echo[i]! + w * other[i]!;
    }
  }
  echo = delay(echo, Math.round(((o.delayMs ?? 40) * RATE) / 1000));
  if (o.driftPpm) echo = drift(echo, o.driftPpm);
  const noise = 10 ** (-70 / 20) * 32768 * Math.sqrt(3);
  const mic = new Float64Array(n);
  for (let i = 0; i < n; i++) mic[i] = echo[i]! + nearTrack[i]! + (rand() * 2 - 1) * noise;
  return { rate: RATE, far, mic: toS16(mic), echo, near: nearTrack };
}
