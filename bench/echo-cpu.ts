/**
 * A quick before/after of the media path's CPU without peers: `softphone echo-test` (one stream
 * that sends to itself: capture → encode → RTP over loopback → jitter buffer → decode → playback,
 * with file devices) run by two CLIs at the same time, so that both see the same noise from the
 * rest of the machine; repeated, reported as median [min–max]. CPU is schedstat run time (exact)
 * over the middle of the test, per thread; wake-ups are voluntary context switches.
 *
 *   node --import tsx bench/echo-cpu.ts --baseline DIR [--codec pcmu] [--seconds 30] [--runs 5] [--bin FILE]
 *
 * DIR is a snapshot (bench/support/snapshot.ts); `--bin` picks the "after" CLI (default ours).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSoftphone } from '../tests/support/softphone-process.js';
import { median } from './support/median.js';
import { ProcessMeter, statusMb, type ThreadFigures } from './support/proc-stats.js';
import { softphoneBin } from './support/snapshot.js';
import { arg } from './support/cli-args.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface EchoFigures { cpuPercent: number; wakeupsPerS: number; threads: ThreadFigures; anonMb: number; rssMb: number }

export async function echoCpu(bin: string, dir: string, codec: string, seconds: number): Promise<EchoFigures> {
  const tone = join(dir, 'tone.wav');
  const cli = startSoftphone(['echo-test', '--codecs', codec, '--play-file', tone, '--rec-file', join(dir, `rec-${process.hrtime.bigint()}.wav`), '--duration', String(seconds)], { bin, stdin: false });
  const spawned = performance.now();
  const meter = new ProcessMeter(cli.pid, 500);
  try {
    // From the echo test's start (start-up takes seconds on a loaded machine), after a warm-up.
    await cli.waitEvent((e) => e.event === 'notice' && String(e.message).startsWith('echo test'), 'echo test start', 60_000);
    const warm = Math.min(5, seconds / 4);
    await sleep(warm * 1000);
    meter.mark();
    // `--duration` counts from the start of the process: the window ends `warm` before the test does.
    const windowS = seconds - (performance.now() - spawned) / 1000 - warm;
    if (windowS < 5) throw new Error(`echo test: start-up left a window of ${windowS.toFixed(1)} s; use more --seconds`);
    await sleep(windowS * 1000);
    const t = meter.threadsSinceMark();
    const anonMb = meter.maxAnonMb;
    const rssMb = statusMb(cli.pid, 'VmRSS');
    await cli.exited;
    return { cpuPercent: t.cpuPercent, wakeupsPerS: t.wakeupsPerS, threads: t.threads, anonMb, rssMb };
  } finally {
    meter.stop();
    await cli.stop();
  }
}

export async function run(opts: { baseline: string; bin?: string; codec: string; seconds: number; runs: number }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-echo-cpu-'));
  try {
    execFileSync('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', join(dir, 'tone.wav'), 'synth', String(opts.seconds + 10), 'sine', '440', 'vol', '0.5']);
    const variants = { before: softphoneBin(opts.baseline), after: opts.bin ?? softphoneBin() };
    const results: Record<string, EchoFigures[]> = { before: [], after: [] };
    for (let r = 0; r < opts.runs; r++) {
      const [a, b] = await Promise.all([echoCpu(variants.before, dir, opts.codec, opts.seconds), echoCpu(variants.after, dir, opts.codec, opts.seconds)]);
      results.before!.push(a);
      results.after!.push(b);
      console.log(`run ${r + 1}: before ${a.cpuPercent.toFixed(2)} %, ${a.wakeupsPerS.toFixed(0)} wake-ups/s; after ${b.cpuPercent.toFixed(2)} %, ${b.wakeupsPerS.toFixed(0)} wake-ups/s`);
    }
    const cell = (v: number[], d: number) => `${median(v).toFixed(d)} [${Math.min(...v).toFixed(d)}–${Math.max(...v).toFixed(d)}]`;
    const table: Record<string, Record<string, string>> = {};
    for (const [name, rows] of Object.entries(results)) {
      table[name] = {
        'CPU %': cell(rows.map((x) => x.cpuPercent), 2), 'wake-ups/s': cell(rows.map((x) => x.wakeupsPerS), 0),
        'RssAnon max MB': cell(rows.map((x) => x.anonMb), 1), 'RSS MB': cell(rows.map((x) => x.rssMb), 1),
      };
      for (const t of new Set(rows.flatMap((x) => Object.keys(x.threads)))) {
        const cpu = rows.map((x) => x.threads[t]?.cpuPercent ?? 0);
        const wake = rows.map((x) => x.threads[t]?.wakeupsPerS ?? 0);
        if (median(cpu) >= 0.01) table[`${name}: ${t}`] = { 'CPU %': cell(cpu, 2), 'wake-ups/s': cell(wake, 0) };
      }
    }
    console.log(`echo-test ${opts.codec}, ${opts.seconds} s, ${opts.runs} runs (before and after side by side): median [min–max]`);
    console.table(table);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const baseline = arg('--baseline');
  if (!baseline) {
    console.error('usage: echo-cpu.ts --baseline DIR [--bin FILE] [--codec pcmu] [--seconds 30] [--runs 5]');
    process.exit(2);
  }
  await run({
    baseline, codec: arg('--codec') ?? 'pcmu', seconds: Number(arg('--seconds') ?? 30), runs: Number(arg('--runs') ?? 5),
    ...(arg('--bin') ? { bin: arg('--bin')! } : {}),
  });
}
