/**
 * Media engine figures beside baresip 1.0 on the same machine and run (figures, not pass/fail):
 * - per call (PCMU, G.722, Opus; 20 s through Kamailio to an auto-answering baresip): CPU % of one
 *   core, wake-ups per second, RSS and its private part, RTP send-interval mean/stdev/p99/max — our
 *   CLI as caller vs a baresip caller; several runs, interleaved, reported as median [min–max];
 * - software mouth-to-ear delay: `softphone echo-test` with a click per second in the play file,
 *   clicks found again in the recording (same process, same clock), PCMU / G.722 / Opus at ptime 20;
 * - garbage collections per isolate over a PCMU echo-test (`--trace-gc`).
 * Our calls run with --aec/--ns/--agc off like baresip; `--with-defaults` adds a row with the
 * defaults' processing on (AEC3, NS low, AGC). `--baseline DIR` measures a frozen earlier CLI
 * (bench/support/snapshot.ts) in the same runs.
 * Needs tshark, kamailio, baresip, sox. Run alone:
 *   node --import tsx bench/media.ts [--seconds 20] [--runs 3] [--baseline DIR] [--bin FILE] [--gc-seconds 60] [--json FILE] [--with-defaults]
 * Results and what they include: docs/benchmarks.md.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { makeToneWav, startBaresip, startKamailio, testScope } from '../tests/interop/harness/index.js';
import { clickDelays, writeClicksWav } from './support/clicks.js';
import { measureBaresipCall, measureOurCall, type CallFigures, type CallPlan } from './support/call-figures.js';
import { startSoftphone } from '../tests/support/softphone-process.js';
import { median } from './support/median.js';
import { softphoneBin } from './support/snapshot.js';
import { arg } from './support/cli-args.js';

const GOALS = { stdevMs: 1, maxMs: 25, mouthToEarMs: 60, anonMb: 30 };
const CODECS = [
  { name: 'PCMU', ours: 'pcmu', theirs: 'PCMU' },
  { name: 'G.722', ours: 'g722', theirs: 'G722' },
  { name: 'Opus', ours: 'opus', theirs: 'opus/48000/1' },
] as const;
const ECHO_CODECS = ['pcmu', 'g722', 'opus'];
const ECHO_SECONDS = 10;
/** Clicks from this time on count as steady state (after the jitter buffer's initial delay). */
const STEADY_FROM_S = 5;

const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '—');

/** `median [min–max]` of the runs. */
function spread(values: readonly number[], fmt: (v: number) => string): string {
  const s = values.filter(Number.isFinite);
  if (s.length === 0) return '—';
  if (s.length === 1) return fmt(s[0]!);
  return `${fmt(median(s))} [${fmt(Math.min(...s))}–${fmt(Math.max(...s))}]`;
}

export interface MouthToEar { codec: string; firstMs: number; steadyMs: number; minMs: number; maxMs: number; found: string }

/** Echo test with clicks: delay of each click from the play file to the recording. */
export async function mouthToEar(dir: string, codec: string, bin?: string, args: string[] = []): Promise<MouthToEar> {
  const clicks = writeClicksWav(join(dir, 'clicks.wav'), ECHO_SECONDS + 5);
  const rec = join(dir, `echo-${codec}-${Date.now()}.wav`);
  const cli = startSoftphone(['echo-test', '--codecs', codec, '--play-file', clicks, '--rec-file', rec, '--duration', String(ECHO_SECONDS), ...args], { stdin: false, ...(bin ? { bin } : {}) });
  await cli.waitEvent((e) => e.event === 'stats', 'echo stats', ECHO_SECONDS * 1000 + 10_000);
  await cli.exited;
  const d = clickDelays(clicks, rec);
  const found = d.filter((c) => Number.isFinite(c.delayMs));
  const steady = found.filter((c) => c.atS >= STEADY_FROM_S).map((c) => c.delayMs).sort((a, b) => a - b);
  return {
    codec,
    firstMs: found[0]?.delayMs ?? NaN,
    steadyMs: steady[Math.floor(steady.length / 2)] ?? NaN,
    minMs: Math.min(...found.map((c) => c.delayMs)),
    maxMs: Math.max(...found.map((c) => c.delayMs)),
    found: `${found.length}/${d.length}`,
  };
}

/** Garbage collections per isolate (`--trace-gc` lines, by isolate address) over a PCMU echo-test. */
export async function gcCounts(dir: string, seconds: number, bin?: string, args: string[] = []): Promise<Record<string, { scavenges: number; markCompacts: number }>> {
  const clicks = writeClicksWav(join(dir, 'gc-clicks.wav'), seconds + 5);
  const cli = startSoftphone(['echo-test', '--codecs', 'pcmu', '--play-file', clicks, '--rec-file', join(dir, `gc-${Date.now()}.wav`), '--duration', String(seconds), ...args],
    { nodeArgs: ['--trace-gc'], stdin: false, ...(bin ? { bin } : {}) });
  await cli.waitEvent((e) => e.event === 'stats', 'echo stats', seconds * 1000 + 15_000);
  await cli.exited;
  const out: Record<string, { scavenges: number; markCompacts: number }> = {};
  const isolates: string[] = [];
  for (const line of cli.lines) {
    const m = /^\[\d+:(0x[0-9a-f]+)\]\s+\d+ ms: (\S+)/.exec(line);
    if (!m) continue;
    if (!isolates.includes(m[1]!)) isolates.push(m[1]!);
    // The first isolate to report is the main thread's; the media worker's starts later.
    const name = isolates.indexOf(m[1]!) === 0 ? 'main isolate' : `isolate ${isolates.indexOf(m[1]!) + 1}`;
    const row = (out[name] ??= { scavenges: 0, markCompacts: 0 });
    if (m[2]!.startsWith('Scavenge') || m[2]!.startsWith('Minor')) row.scavenges++;
    else row.markCompacts++;
  }
  return out;
}

/** `args`: extra CLI flags for its calls. */
interface Variant { name: string; bin: string | undefined; args?: string[] }

/** baresip runs no echo canceller or noise suppressor: our like-for-like row turns ours off. */
const NO_PROCESSING = ['--aec', 'off', '--ns', 'off', '--agc', 'off'];

type Row = { codec: string; variant: string; figures: CallFigures };

function printCalls(rows: Row[], variants: string[]): Record<string, Record<string, string>> {
  const table: Record<string, Record<string, string>> = {};
  const of = (codec: string, variant: string, pick: (f: CallFigures) => number) =>
    rows.filter((r) => r.codec === codec && r.variant === variant).map((r) => pick(r.figures));
  const line = (label: string, codec: string, pick: (f: CallFigures) => number, fmt: (v: number) => string, goal?: string) => {
    const cells: Record<string, string> = {};
    for (const v of variants) cells[v] = spread(of(codec, v, pick), fmt);
    const last = variants[variants.length - 2];
    if (last) cells[`${last} ÷ baresip`] = `${(median(of(codec, last, pick)) / median(of(codec, 'baresip', pick))).toFixed(2)}×`;
    if (goal) cells.goal = goal;
    table[`${codec} ${label}`] = cells;
  };
  for (const { name } of CODECS) {
    line('CPU % of a core (schedstat)', name, (f) => f.runPercent, f2, '≤ baresip');
    line('CPU % of a core (utime+stime)', name, (f) => f.cpuPercent, f2);
    line('wake-ups / s', name, (f) => f.wakeupsPerS, f1);
    line('RSS max MB', name, (f) => f.maxRssMb, f1);
    line('private (RssAnon) max MB', name, (f) => f.maxAnonMb, f1, `≤ ${GOALS.anonMb}`);
    line('send interval stdev ms', name, (f) => f.steady.stdevMs, f2, `≤ ${GOALS.stdevMs}`);
    line('send interval p99 ms', name, (f) => f.steady.p99Ms, f1);
    line('send interval max ms', name, (f) => f.steady.maxMs, f1, `≤ ${GOALS.maxMs}`);
    line('largest gap, whole call ms', name, (f) => f.whole.maxMs, f1);
  }
  console.table(table);
  return table;
}

/** Per thread of our CLI (median over runs): where the CPU and the wake-ups are. */
function printThreads(rows: Row[], variant: string): void {
  const table: Record<string, Record<string, string>> = {};
  for (const { name } of CODECS) {
    const mine = rows.filter((r) => r.codec === name && r.variant === variant);
    const threadNames = new Set(mine.flatMap((r) => Object.keys(r.figures.threads)));
    for (const t of threadNames) {
      const cpu = median(mine.map((r) => r.figures.threads[t]?.cpuPercent ?? 0));
      const wake = median(mine.map((r) => r.figures.threads[t]?.wakeupsPerS ?? 0));
      if (cpu < 0.01 && wake < 0.5) continue;
      table[`${name} ${t}`] = { 'CPU %': f2(cpu), 'wake-ups/s': f1(wake) };
    }
  }
  console.log(`\nper thread, ${variant} (median of the runs):`);
  console.table(table);
}

export async function run(opts: { seconds?: number; warmupS?: number; runs?: number; baseline?: string; bin?: string; gcSeconds?: number; json?: string; withDefaults?: boolean } = {}): Promise<void> {
  const seconds = opts.seconds ?? 20;
  const warmupS = opts.warmupS ?? 3;
  const runs = opts.runs ?? 3;
  const gcSeconds = opts.gcSeconds ?? 60;
  const variants: Variant[] = [
    ...(opts.baseline ? [{ name: 'before', bin: softphoneBin(opts.baseline), args: NO_PROCESSING }] : []),
    // The defaults' processing (AEC3, NS low, AGC) beside; the ratio is taken on the next row. File
    // devices run no processing unless asked (no acoustic path), so the flags say it.
    ...(opts.withDefaults ? [{ name: 'ours, AEC+NS+AGC', bin: opts.bin, args: ['--aec', 'on', '--ns', 'low', '--agc', 'on'] }] : []),
    { name: opts.baseline ? 'after' : 'ours', bin: opts.bin, args: NO_PROCESSING },
  ];
  const scope = testScope();
  const report: Record<string, unknown> = { date: new Date().toISOString(), seconds, runs, variants };
  try {
    console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    for (const v of variants) console.log(`${v.name}: ${v.bin ?? softphoneBin()}`);

    const m2e: Record<string, Record<string, string>> = {};
    for (const v of variants) {
      for (const codec of ECHO_CODECS) {
        const r = await mouthToEar(scope.dir, codec, v.bin, v.args);
        m2e[`${v.name} ${codec}`] = { 'first ms': f1(r.firstMs), 'steady ms': f1(r.steadyMs), 'min ms': f1(r.minMs), 'max ms': f1(r.maxMs), clicks: r.found };
      }
    }
    console.log(`\nsoftware mouth-to-ear (echo-test, ptime 20, file devices; first click / median after ${STEADY_FROM_S} s; goal ≤ ${GOALS.mouthToEarMs} ms)`);
    console.table(m2e);
    report.mouthToEar = m2e;

    if (gcSeconds > 0) {
      const gc: Record<string, unknown> = {};
      for (const v of variants) gc[v.name] = await gcCounts(scope.dir, gcSeconds, v.bin, v.args);
      console.log(`\ngarbage collections over a ${gcSeconds} s PCMU echo-test (send and receive in one process):`);
      console.log(JSON.stringify(gc, null, 1));
      report.gc = gc;
    }

    const kamailio = scope.use(await startKamailio({ dir: scope.dir }));
    const sendWav = makeToneWav(join(scope.dir, 'send.wav'), { freqHz: 440, seconds: seconds + 30 });
    const loopWav = makeToneWav(join(scope.dir, 'loop.wav'), { freqHz: 440, seconds: 4 });
    const rows: Row[] = [];
    for (let r = 0; r < runs; r++) {
      for (const c of CODECS) {
        const callee = await startBaresip({
          dir: scope.dir, user: '1010', password: 'pw1010', autoAnswer: true, codecs: c.theirs, audioFile: sendWav,
          registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' },
        });
        try {
          const plan: CallPlan = {
            dir: scope.dir, kamailio, callee: `sip:1010@127.0.0.1:${kamailio.udpPort}`, ours: c.ours, theirs: c.theirs, sendWav, loopWav, seconds, warmupS,
          };
          // Interleaved (ours, baresip, before …) so that a noisy minute hurts each of them alike.
          for (const v of variants) rows.push({ codec: c.name, variant: v.name, figures: await measureOurCall({ ...plan, args: v.args ?? [], ...(v.bin ? { bin: v.bin } : {}) }) });
          // Retried once: a lost run (see docs/benchmarks.md) must not hide the other figures.
          const theirs = await measureBaresipCall(plan).catch((e: unknown) => {
            console.error(`baresip ${c.name} call: ${e instanceof Error ? e.message : String(e)}; retrying once`);
            return measureBaresipCall(plan);
          });
          rows.push({ codec: c.name, variant: 'baresip', figures: theirs });
        } finally {
          await callee.stop();
        }
      }
      console.log(`run ${r + 1}/${runs} done; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    }
    console.log(`\ncalls of ${seconds} s through Kamailio to baresip, ${runs} runs: median [min–max] over the middle ${seconds - 2 * warmupS} s (caller: our CLI vs baresip)`);
    report.calls = printCalls(rows, [...variants.map((v) => v.name), 'baresip']);
    for (const v of variants) printThreads(rows, v.name);
    report.rows = rows;
    console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    if (opts.json) writeFileSync(opts.json, JSON.stringify(report, null, 1));
  } finally {
    await scope.cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const num = (name: string) => (arg(name) !== undefined ? Number(arg(name)) : undefined);
  await run({
    ...(num('--seconds') !== undefined ? { seconds: num('--seconds')! } : {}),
    ...(num('--runs') !== undefined ? { runs: num('--runs')! } : {}),
    ...(num('--gc-seconds') !== undefined ? { gcSeconds: num('--gc-seconds')! } : {}),
    ...(arg('--baseline') ? { baseline: arg('--baseline')! } : {}),
    ...(arg('--bin') ? { bin: arg('--bin')! } : {}),
    ...(arg('--json') ? { json: arg('--json')! } : {}),
    ...(process.argv.includes('--with-defaults') ? { withDefaults: true } : {}),
  });
}
