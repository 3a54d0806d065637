/**
 * Codec benchmark: µs per 20 ms frame for encode, decode and conceal of every codec (ours), with
 * @discordjs/opus alongside; then Opus concealment quality on espeak-ng speech at 5% and 20% random
 * loss: SNR of the lost frames against the loss-free decode for silence, PLC, in-band FEC and the
 * @discordjs/opus fallback (decode(empty), trimmed). Figures for docs/opus-concealment.md.
 * Run: node --import tsx bench/codecs.ts
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { frameSamples, type CodecDescriptor } from '../src-main/media/codecs/codec.js';
import { codecs } from '../src-main/media/codecs/registry.js';
import { OpusDecoder, OpusEncoder } from '../src-main/media/codecs/opus.js';
import { speech } from '../tests/unit/codecs/signal.js';

const require = createRequire(import.meta.url);
const discord = require('@discordjs/opus') as {
  OpusEncoder: new (rate: number, channels: number) => {
    encode(b: Buffer): Buffer;
    decode(b: Buffer): Buffer;
  };
};

function timeUs(iterations: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(200, iterations); i++) fn(i);
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  return ((performance.now() - t0) * 1000) / iterations;
}

function speechFrames(codec: Pick<CodecDescriptor, 'sampleRate'>): Int16Array[] {
  const pcm = speech(codec.sampleRate);
  const n = frameSamples(codec, 20);
  const frames: Int16Array[] = [];
  for (let at = 0; at + n <= pcm.length; at += n) frames.push(pcm.subarray(at, at + n));
  return frames;
}

function speedTable(): void {
  const rows: Array<Record<string, string>> = [];
  for (const codec of Object.values(codecs)) {
    const frames = speechFrames(codec);
    const enc = codec.createEncoder();
    const dec = codec.createDecoder();
    const n = frameSamples(codec, 20);
    const payloads = frames.map((f) => {
      const b = new Uint8Array(1500);
      return b.slice(0, enc.encode(f, b));
    });
    enc.reset();
    const out = new Uint8Array(1500);
    const pcm = new Int16Array(n);
    const iters = 3000;
    const decodeUs = timeUs(iters, (i) => dec.decode(payloads[i % payloads.length]!, pcm));
    // A lost frame between good ones: (decode + conceal) minus decode.
    const pairUs = timeUs(iters, (i) => {
      dec.decode(payloads[i % payloads.length]!, pcm);
      dec.conceal(pcm, n);
    });
    rows.push({
      codec: codec.name,
      'encode µs/20ms': timeUs(iters, (i) => enc.encode(frames[i % frames.length]!, out)).toFixed(1),
      'decode µs/20ms': decodeUs.toFixed(1),
      'conceal µs/20ms': (pairUs - decodeUs).toFixed(1),
    });
  }
  const frames = speechFrames({ sampleRate: 48000 });
  const d = new discord.OpusEncoder(48000, 1);
  const bufs = frames.map((f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength));
  const packets = bufs.map((b) => d.encode(b));
  let plcLen = 0;
  const decodeUs = timeUs(3000, (i) => d.decode(packets[i % packets.length]!));
  const pairUs = timeUs(3000, (i) => {
    d.decode(packets[i % packets.length]!);
    plcLen = d.decode(Buffer.alloc(0)).length / 2;
  });
  rows.push({
    codec: '@discordjs/opus',
    'encode µs/20ms': timeUs(3000, (i) => d.encode(bufs[i % bufs.length]!)).toFixed(1),
    'decode µs/20ms': decodeUs.toFixed(1),
    'conceal µs/20ms': (pairUs - decodeUs).toFixed(1),
  });
  console.table(rows);
  console.log(`@discordjs/opus decode(empty) returns ${plcLen} samples (${plcLen / 48} ms) per call; a 20 ms gap needs 960.`);
}

/** Deterministic Bernoulli loss pattern. */
function lossPattern(frames: number, percent: number, seed: number): boolean[] {
  let s = seed >>> 0;
  return Array.from({ length: frames }, (_, f) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return f > 2 && s / 2 ** 32 < percent / 100;
  });
}

function concealmentTable(): void {
  const frames = speechFrames({ sampleRate: 48000 });
  const F = 960;
  const rows: Array<Record<string, string>> = [];
  for (const percent of [5, 20]) {
    const enc = new OpusEncoder({ packetLossPercent: percent });
    const buf = new Uint8Array(1275);
    const packets = frames.map((f) => buf.slice(0, enc.encode(f, buf)));
    const ref = new Int16Array(frames.length * F);
    const clean = new OpusDecoder();
    packets.forEach((p, f) => clean.decode(p, ref.subarray(f * F, (f + 1) * F)));
    // Several seeds so that each figure covers enough lost frames.
    const results: Record<string, { s: number; e: number; lost: number; all: number; allE: number }> = {};
    for (let seed = 1; seed <= 20; seed++) {
      const lost = lossPattern(frames.length, percent, seed);
      const strategies: Record<string, (dst: Int16Array, f: number) => void> = {};
      const ours = { plc: new OpusDecoder(), fec: new OpusDecoder(), silence: new OpusDecoder() };
      strategies.silence = (dst) => {
        ours.silence.conceal(dst, F);
        dst.fill(0);
      };
      strategies.plc = (dst) => ours.plc.conceal(dst, F);
      strategies.fec = (dst, f) => ours.fec.conceal(dst, F, f + 1 < packets.length && !lost[f + 1] ? packets[f + 1] : undefined);
      const d = new discord.OpusEncoder(48000, 1);
      strategies['@discordjs/opus decode(empty), first 960 kept'] = (dst) => {
        const pcm = d.decode(Buffer.alloc(0));
        dst.set(new Int16Array(pcm.buffer, pcm.byteOffset, F));
      };
      const decoders: Record<string, (p: Uint8Array, dst: Int16Array) => void> = {
        silence: (p, dst) => ours.silence.decode(p, dst),
        plc: (p, dst) => ours.plc.decode(p, dst),
        fec: (p, dst) => ours.fec.decode(p, dst),
        '@discordjs/opus decode(empty), first 960 kept': (p, dst) => {
          const pcm = d.decode(Buffer.from(p));
          dst.set(new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2));
        },
      };
      for (const name of Object.keys(strategies)) {
        const r = (results[name] ??= { s: 0, e: 0, lost: 0, all: 0, allE: 0 });
        const dst = new Int16Array(F);
        packets.forEach((p, f) => {
          if (lost[f]) strategies[name]!(dst, f);
          else decoders[name]!(p, dst);
          for (let i = 0; i < F; i++) {
            const x = ref[f * F + i]!;
            const e = (x - dst[i]!) ** 2;
            r.all += x * x;
            r.allE += e;
            if (lost[f]) {
              r.s += x * x;
              r.e += e;
            }
          }
          if (lost[f]) r.lost++;
        });
      }
    }
    for (const [name, r] of Object.entries(results)) {
      rows.push({
        loss: `${percent}%`,
        strategy: name,
        'lost frames': String(r.lost),
        'SNR lost frames dB': (10 * Math.log10(r.s / r.e)).toFixed(2),
        'SNR whole signal dB': (10 * Math.log10(r.all / r.allE)).toFixed(2),
      });
    }
  }
  console.table(rows);
}

export function run(): void {
  speedTable();
  concealmentTable();
}

if (import.meta.url === `file://${process.argv[1]}`) run();
