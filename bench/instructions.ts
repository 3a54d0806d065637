/**
 * Instructions per 20 ms frame of the media path (bench/media-path.ts) under callgrind, before and
 * after: deterministic where wall-clock CPU on this shared 2-core machine is not. Each build's
 * media path runs `--warm` frames uninstrumented (start-up, JIT tiering), then callgrind counts
 * `--frames` more; V8 runs single-threaded so that compilation and GC land on the counted thread
 * the same way each time. Counts user-space instructions only (no kernel, no wake-ups: see
 * bench/echo-cpu.ts for those).
 *
 *   node --import tsx bench/instructions.ts --baseline DIR [--after DIR] [--codec pcmu,opus] [--frames 500] [--warm 1500] [--runs 3]
 *   node --import tsx bench/instructions.ts --profile DIR --codec pcmu --keep FILE    (one run, for callgrind_annotate)
 *
 * DIRs are snapshots (bench/support/snapshot.ts); `--after` defaults to a fresh snapshot of the tree.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './support/median.js';
import { makeSnapshot } from './support/snapshot.js';
import { arg } from './support/cli-args.js';

/** Instructions callgrind counted over `frames` frames after `warm` uninstrumented ones. */
export async function countFrames(root: string, codec: string, frames: number, warm: number, keep?: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-cg-'));
  const out = keep ?? join(dir, 'callgrind.out');
  try {
    const child = spawn('valgrind', ['--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${out}`,
      process.execPath, '--single-threaded', join(root, 'out', 'bench', 'media-path.js'), '--codec', codec, '--frames', String(frames), '--warm', String(warm)],
    { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        if (!d.toString().includes('warm')) return;
        execFileSync('callgrind_control', ['-i', 'on', String(child.pid)], { stdio: 'ignore' });
        child.kill('SIGUSR2');
        resolve();
      });
      void exited.then((code) => reject(new Error(`media-path exited (${code}) before warming up: ${stderr.slice(-500)}`)));
    });
    await exited;
    const summary = /^summary:\s+(\d+)/m.exec(readFileSync(out, 'utf8'));
    if (!summary) throw new Error('no callgrind summary');
    return Number(summary[1]) / frames;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (arg('--profile')) {
    const n = await countFrames(arg('--profile')!, arg('--codec') ?? 'pcmu', Number(arg('--frames') ?? 300), Number(arg('--warm') ?? 1500), arg('--keep'));
    console.log(`${(n / 1000).toFixed(0)}k instructions per frame`);
    process.exit(0);
  }
  const baseline = arg('--baseline');
  if (!baseline) {
    console.error('usage: instructions.ts --baseline DIR [--after DIR] [--codec pcmu,opus] [--frames 500] [--warm 1500] [--runs 3]');
    process.exit(2);
  }
  const after = arg('--after') ?? makeSnapshot('.', mkdtempSync(join(tmpdir(), 'nimbus-after-')));
  const frames = Number(arg('--frames') ?? 500);
  const warm = Number(arg('--warm') ?? 1500);
  const runs = Number(arg('--runs') ?? 3);
  const table: Record<string, Record<string, string>> = {};
  for (const codec of (arg('--codec') ?? 'pcmu,opus').split(',')) {
    const counts: Record<string, number[]> = { before: [], after: [] };
    for (let r = 0; r < runs; r++) {
      counts.before!.push(await countFrames(baseline, codec, frames, warm));
      counts.after!.push(await countFrames(after, codec, frames, warm));
    }
    const cell = (v: number[]) => `${(median(v) / 1000).toFixed(0)}k [${(Math.min(...v) / 1000).toFixed(0)}–${(Math.max(...v) / 1000).toFixed(0)}k]`;
    table[codec] = { before: cell(counts.before!), after: cell(counts.after!), change: `${((100 * (median(counts.after!) - median(counts.before!))) / median(counts.before!)).toFixed(1)} %` };
  }
  console.log(`instructions per 20 ms frame (send + receive + playout), ${frames} frames after ${warm} warm-up, ${runs} runs: median [min–max]`);
  console.table(table);
}
