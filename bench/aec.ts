/**
 * Microphone processing cost (issue 17): CPU per 20 ms frame of the whole capture chain (AEC3 +
 * noise suppression + gain control, the media worker's CaptureProcessor; NS low is SpeexDSP's,
 * high RNNoise), mean and p99, beside the call's total, and what each noise suppressor's module
 * costs in memory. Figures, not pass/fail.
 * The goals: ≤ 2 ms mean, ≤ 5 ms p99 per frame.
 *
 * 1. In process: a seeded echo scenario (tests/support/echo-fixture.ts, far and near end talking)
 *    through the chain frame by frame, as the worker runs it: notePlayback + processCapture timed
 *    per frame (after a 2 s warm-up), for the whole chain and each stage alone: wall time per
 *    frame (mean, p99, max; an upper bound on a loaded machine) and the mean CPU per frame from
 *    this thread's schedstat run time over the pass.
 * 2. Each NS module in a fresh Node process: private memory (RssAnon) before it loads, after
 *    (load also timed), and after one suppressor has run 10 s: SpeexDSP (low), RNNoise 0.2 (high)
 *    and, for comparison, the RNNoise package's 0.1 build.
 * 3. The call's total: our CLI (file devices) calls an auto-answering baresip through Kamailio
 *    (PCMU) with the defaults (`--aec on --ns low --agc on`), with NS high, with NS off and with
 *    all off, interleaved; the CLI's CPU over a
 *    steady window (schedstat, % of one core), also shown as ms per 20 ms frame, and the CLI's
 *    RssAnon at the end of the window (the media worker is a thread of it).
 *
 *   node --import tsx bench/aec.ts [--seconds 10] [--runs 2]
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCaptureProcessor, type ProcessingSettings } from '../src-main/media/processing/capture-processor.js';
import { makeToneWav, startBaresip, startKamailio, testScope } from '../tests/interop/harness/index.js';
import { FRAME, makeScenario, RATE } from '../tests/support/echo-fixture.js';
import { startSoftphone } from '../tests/support/softphone-process.js';
import { median } from './support/median.js';
import { ProcessMeter, statusMb } from './support/proc-stats.js';
import { arg } from './support/cli-args.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const FRAME_MS = (FRAME / RATE) * 1000;

interface Spread { meanMs: number; p99Ms: number; maxMs: number }
/**
 * Wall time per frame (mean, p99, max: an upper bound, it includes preemption on a loaded
 * machine), and CPU per frame from this thread's run time over the whole pass (exact on average;
 * the kernel refreshes a running thread's figure only at ticks, so per frame it is 0 or ~4 ms).
 */
interface FrameCost { cpuMeanMs: number; wall: Spread }

function spread(times: number[]): Spread {
  times.sort((a, b) => a - b);
  return { meanMs: times.reduce((a, b) => a + b, 0) / times.length, p99Ms: times[Math.floor(times.length * 0.99)]!, maxMs: times[times.length - 1]! };
}

/** This thread's run time so far, ms (Linux schedstat). */
function threadRunTime(): () => number {
  const fd = openSync('/proc/thread-self/schedstat', 'r');
  const buf = Buffer.alloc(96);
  const read = (): number => {
    const n = readSync(fd, buf, 0, buf.length, 0);
    return Number(buf.toString('latin1', 0, n).split(' ')[0]) / 1e6;
  };
  process.once('exit', () => closeSync(fd));
  return read;
}
const runTime = threadRunTime();

async function chainCost(settings: ProcessingSettings, passes: number): Promise<FrameCost> {
  const s = makeScenario({ seed: 90, durationS: 20, near: [{ fromS: 8, toS: 14 }] });
  const stage = await createCaptureProcessor(settings, RATE, FRAME);
  const play = new Int16Array(FRAME), cap = new Int16Array(FRAME);
  const wall: number[] = [];
  let cpuMs = 0;
  const warm = Math.round((2 * RATE) / FRAME);
  for (let p = 0; p < passes; p++) {
    for (let f = 0, at = 0; at + FRAME <= s.mic.length; f++, at += FRAME) {
      play.set(s.far.subarray(at, at + FRAME));
      cap.set(s.mic.subarray(at, at + FRAME));
      if (p === 0 && f === warm) cpuMs = -runTime();
      const t0 = performance.now();
      stage.notePlayback(play);
      stage.processCapture(cap);
      if (p > 0 || f >= warm) wall.push(performance.now() - t0);
    }
  }
  cpuMs += runTime();
  stage.dispose();
  // The loop's own copies of the fixture (≈ 2 µs a frame) count as chain CPU: a slight overestimate.
  return { cpuMeanMs: cpuMs / wall.length, wall: spread(wall) };
}

/**
 * What loading an RNNoise build costs in a fresh plain Node process (see 2. above): the package's
 * files loaded as rnnoise-suppressor.ts loads them, without tsx (which would add its own transform
 * of the 1.9 MB file; the app runs compiled JavaScript). `0.2` is the build we use; `0.1` (the
 * package's other build, its .wasm handed over as bytes) is kept for comparison.
 */
function rnnoiseMemory(build: '0.1' | '0.2'): { loadMs: number; beforeMb: number; loadedMb: number; runMb: number } {
  const dir = 'node_modules/@jitsi/rnnoise-wasm/dist';
  const load = build === '0.1'
    ? `import('./${dir}/rnnoise.js').then(async (m) => m.default({ wasmBinary: await fs.promises.readFile('${dir}/rnnoise.wasm') }))`
    : `import('./${dir}/rnnoise-sync.js').then((m) => m.default())`;
  const script = `
    const fs = require('node:fs');
    const mb = () => Number(/RssAnon:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
    const beforeMb = mb();
    const t0 = performance.now();
    ${load}.then((m) => {
      const loadMs = performance.now() - t0;
      const loadedMb = mb();
      const st = m._rnnoise_create(), p = m._malloc(480 * 4);
      for (let n = 0; n < 1000; n++) {
        for (let i = 0; i < 480; i++) m.HEAPF32[(p >> 2) + i] = 3000 * Math.sin(n * 480 + i) * Math.random();
        m._rnnoise_process_frame(st, p, p);
      }
      console.log(JSON.stringify({ loadMs, beforeMb, loadedMb, runMb: mb() }));
    });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: process.cwd(), encoding: 'utf8' })) as ReturnType<typeof rnnoiseMemory>;
}

/**
 * What loading the SpeexDSP module (NS low) costs in a fresh plain Node process, loaded as
 * speex-suppressor.ts loads it (the package's ES module, its wasm read from disk), then one
 * preprocessor as ours runs it (240-sample blocks at 48 kHz) for 10 s.
 */
function speexMemory(): { loadMs: number; beforeMb: number; loadedMb: number; runMb: number } {
  const dir = 'node_modules/@sapphi-red/speex-preprocess-wasm/dist';
  const script = `
    const fs = require('node:fs');
    const mb = () => Number(/RssAnon:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
    const beforeMb = mb();
    const t0 = performance.now();
    import('./${dir}/index.js').then(async (m) => m.loadSpeexModule({ wasmBinary: await fs.promises.readFile('${dir}/speex.wasm') })).then((m) => {
      const loadMs = performance.now() - t0;
      const loadedMb = mb();
      const st = m._speex_preprocess_state_init(240, 48000), p = m._malloc(240 * 2);
      for (let n = 0; n < 2000; n++) {
        for (let i = 0; i < 240; i++) m.HEAP16[(p >> 1) + i] = 3000 * Math.sin(n * 240 + i) * Math.random();
        m._speex_preprocess_run(st, p);
      }
      console.log(JSON.stringify({ loadMs, beforeMb, loadedMb, runMb: mb() }));
    });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: process.cwd(), encoding: 'utf8' })) as ReturnType<typeof speexMemory>;
}

/** The call's variants: the defaults (NS low), NS high, NS off (what NS adds), all off. */
const CALL_VARIANTS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['aec on, ns low, agc on', ['--aec', 'on', '--ns', 'low', '--agc', 'on']],
  ['aec on, ns high, agc on', ['--aec', 'on', '--ns', 'high', '--agc', 'on']],
  ['aec on, ns off, agc on', ['--aec', 'on', '--ns', 'off', '--agc', 'on']],
  ['all off', ['--aec', 'off', '--ns', 'off', '--agc', 'off']],
];

async function callCpu(seconds: number, runs: number): Promise<Record<string, { cpu: number[]; anonMb: number[] }>> {
  const scope = testScope();
  const out: Record<string, { cpu: number[]; anonMb: number[] }> = Object.fromEntries(CALL_VARIANTS.map(([name]) => [name, { cpu: [], anonMb: [] }]));
  try {
    const kamailio = scope.use(await startKamailio({ dir: scope.dir }));
    const domain = `127.0.0.1:${kamailio.udpPort}`;
    const tone = makeToneWav(join(scope.dir, 'tone.wav'), { freqHz: 440, seconds: 60 });
    scope.use(await startBaresip({
      dir: scope.dir, user: '1010', password: 'pw1010', autoAnswer: true, codecs: 'PCMU', audioFile: tone,
      registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' },
    }));
    for (let r = 0; r < runs; r++) {
      for (const [v, [name, flags]] of CALL_VARIANTS.entries()) {
        const cli = startSoftphone(['call', `sip:1010@${domain}`, '--id', `sip:1001@${domain}`, '--password', 'pw1001', '--registrar', `sip:${domain}`,
          '--codecs', 'pcmu', '--play-file', tone, '--rec-file', join(scope.dir, `aec-${r}-${v}.wav`), '--duration', String(seconds + 6), ...flags]);
        const meter = new ProcessMeter(cli.pid, 3_600_000);
        try {
          await cli.waitEvent((e) => e.event === 'call' && e.state === 'confirmed', 'confirmed', 60_000);
          await sleep(2000);
          meter.mark();
          await sleep(seconds * 1000);
          out[name]!.cpu.push(meter.threadsSinceMark().cpuPercent);
          out[name]!.anonMb.push(statusMb(cli.pid, 'RssAnon'));
          await cli.exited;
        } finally {
          meter.stop();
          await cli.stop();
        }
      }
      console.log(`call run ${r + 1}/${runs} done`);
    }
  } finally {
    await scope.cleanup();
  }
  return out;
}

export async function run(opts: { seconds?: number; runs?: number } = {}): Promise<void> {
  const chain: Record<string, Record<string, string>> = {};
  const variants: Array<[string, ProcessingSettings]> = [
    ['whole chain (AEC + NS low + AGC)', { aec: true, ns: 'low', agc: true }],
    ['whole chain (AEC + NS high + AGC)', { aec: true, ns: 'high', agc: true }],
    ['AEC3 alone', { aec: true, ns: 'off', agc: false }],
    ['NS low alone (SpeexDSP)', { aec: false, ns: 'low', agc: false }],
    ['NS high alone (RNNoise)', { aec: false, ns: 'high', agc: false }],
    ['AGC alone', { aec: false, ns: 'off', agc: true }],
  ];
  for (const [name, settings] of variants) {
    const c = await chainCost(settings, 3);
    chain[name] = {
      'CPU mean ms': c.cpuMeanMs.toFixed(3), 'wall mean ms': c.wall.meanMs.toFixed(3),
      'wall p99 ms': c.wall.p99Ms.toFixed(3), 'wall max ms': c.wall.maxMs.toFixed(3),
      '% of real time': ((100 * c.cpuMeanMs) / FRAME_MS).toFixed(2),
    };
  }
  console.log(`capture chain per ${FRAME_MS} ms frame at ${RATE} Hz, in process (goal: ≤ 2 ms mean, ≤ 5 ms p99)`);
  console.table(chain);

  const sm = speexMemory();
  console.log(`SpeexDSP (NS low) in a fresh Node process: load ${sm.loadMs.toFixed(1)} ms; RssAnon +${(sm.loadedMb - sm.beforeMb).toFixed(1)} MB loaded, ` +
    `+${(sm.runMb - sm.beforeMb).toFixed(1)} MB after 10 s of one suppressor (from ${sm.beforeMb.toFixed(1)} MB)`);
  for (const build of ['0.2', '0.1'] as const) {
    const m = rnnoiseMemory(build);
    console.log(`RNNoise ${build}${build === '0.2' ? ' (NS high)' : ' (not used)'} in a fresh Node process: load ${m.loadMs.toFixed(1)} ms; RssAnon +${(m.loadedMb - m.beforeMb).toFixed(1)} MB loaded, ` +
      `+${(m.runMb - m.beforeMb).toFixed(1)} MB after 10 s of one suppressor (from ${m.beforeMb.toFixed(1)} MB)`);
  }

  const seconds = opts.seconds ?? 10, runs = opts.runs ?? 2;
  const calls = await callCpu(seconds, runs);
  const table: Record<string, Record<string, string>> = {};
  const range = (v: number[], digits: number): string => `${median(v).toFixed(digits)} [${Math.min(...v).toFixed(digits)}–${Math.max(...v).toFixed(digits)}]`;
  for (const [name, { cpu, anonMb }] of Object.entries(calls)) {
    table[name] = {
      'CPU % of a core': range(cpu, 2),
      'ms per 20 ms frame': ((median(cpu) / 100) * FRAME_MS).toFixed(3),
      'RssAnon MB': range(anonMb, 1),
    };
  }
  console.log(`the call's total: PCMU call through Kamailio to baresip, file devices, ${seconds} s windows, ${runs} runs: median [min–max]`);
  console.table(table);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await run({
    ...(arg('--seconds') ? { seconds: Number(arg('--seconds')) } : {}),
    ...(arg('--runs') ? { runs: Number(arg('--runs')) } : {}),
  });
}
