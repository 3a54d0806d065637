/**
 * The per-frame media path without timers, for instruction counts (`valgrind --tool=callgrind`,
 * driven by bench/instructions.ts):
 * one AudioStream sending to itself over loopback, driven frame by frame on a manual clock —
 * capture frame (48 kHz) → resample → encode → RTP → socket → receive → jitter buffer → decode →
 * resample → mix. Deterministic, so two builds compare by instructions rather than by wall-clock
 * CPU on a noisy machine. Timers and wake-ups are not in it (bench/echo-cpu.ts counts those).
 *
 *   node out/bench/media-path.js [--codec pcmu] [--frames 3000] [--warm 0]
 *
 * With `--warm N` it first runs N frames, prints `warm` and waits for SIGUSR2 (the driver turns
 * callgrind's instrumentation on in between, so start-up and JIT warm-up are not counted).
 * Without valgrind it prints µs per frame (a rough figure).
 */
import type { Socket } from 'node:dgram';
import { AudioStream } from '../src-main/media/engine/audio-stream.js';
import type { StreamConfig } from '../src-main/media/engine/protocol.js';
import type { Clock } from '../src-main/util/clock.js';
import { cryptoRandom } from '../src-main/util/random.js';
import { arg } from './support/cli-args.js';

const DEVICE_RATE = 48000;
const FRAME = 960;

const frames = Number(arg('--frames') ?? 3000);
const warm = Number(arg('--warm') ?? 0);
const codec = (arg('--codec') ?? 'pcmu').toUpperCase();
const codecName = codec === 'OPUS' ? 'opus' : codec === 'G722' ? 'G722' : codec === 'PCMA' ? 'PCMA' : 'PCMU';
const payloadType = { PCMU: 0, PCMA: 8, G722: 9, opus: 111 }[codecName];

let nowMs = 0;
const clock: Clock = { now: () => nowMs, setTimeout: () => ({ id: 0 }), clearTimeout: () => {} };
const stream = await AudioStream.open('bench', '127.0.0.1', undefined, {
  clock, random: cryptoRandom, deviceRate: DEVICE_RATE, cname: 'bench', events: { dtmf: () => {}, noRtp: () => {}, failed: (e) => { throw e; } },
});
const config: StreamConfig = {
  remoteAddress: '127.0.0.1', remotePort: stream.localPort, remoteRtcpPort: stream.localPort, rtcpMux: true,
  codec: codecName, payloadType, telephoneEventPt: undefined, ptime: 20, direction: 'sendrecv', srtp: undefined,
};
stream.start(config);
const socket = Reflect.get(stream, 'socket') as Socket;
/** Resolves when our packet has come back (no polling: a spinning wait would count too). */
let arrived: () => void = () => {};
socket.on('message', () => arrived());

// A 440 Hz tone at −6 dBFS, as the call benchmark sends.
const tone = new Int16Array(DEVICE_RATE);
for (let i = 0; i < tone.length; i++) tone[i] = Math.round(16384 * Math.sin((2 * Math.PI * 440 * i) / DEVICE_RATE));
const frame = new Int16Array(FRAME);
const mix = new Int32Array(FRAME);
let pos = 0;

async function step(): Promise<void> {
  nowMs += 20;
  for (let i = 0; i < FRAME; i++) {
    frame[i] = tone[pos]!;
    pos = pos + 1 === tone.length ? 0 : pos + 1;
  }
  const back = new Promise<void>((r) => (arrived = r));
  stream.sendFrame(frame);
  await back;
  mix.fill(0);
  stream.playout(mix);
}

for (let n = 0; n < warm; n++) await step();
if (warm > 0) {
  const go = new Promise((r) => process.once('SIGUSR2', r));
  console.log('warm');
  await go;
}
const started = performance.now();
for (let n = 0; n < frames; n++) await step();
const elapsed = performance.now() - started;
stream.close();
if (frames > 0) console.log(`${codecName}: ${frames} frames, ${((elapsed * 1000) / frames).toFixed(1)} µs per frame (send + receive + playout, wall clock)`);
