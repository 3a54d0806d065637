/**
 * A compiled, frozen copy of the softphone CLI for before/after figures in one bench run, away
 * from a working tree that other work keeps changing (its out/ goes stale at every edit and the
 * CLI then falls back to tsx, which costs CPU and memory of its own).
 *
 *   node --import tsx bench/support/snapshot.ts <git-rev | .> <dir>
 *
 * `<git-rev>` takes that commit (`git archive`); `.` takes the working tree as it is. The copy
 * gets src-main/, bin/, resources/, package.json and bench/media-path.ts, a node_modules link to
 * ours, and out/ built by tsc from those only (type errors elsewhere do not stop it), stamped
 * fresh, so its `bin/softphone.js` runs compiled JS like an installed CLI, and
 * `out/bench/media-path.js` runs its own media path. Benches take it with `--baseline DIR`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PARTS = ['src-main', 'bin', 'resources', 'package.json'];
/** Bench programs that run against the snapshot's own code (instruction counts under callgrind). */
const BENCH_PARTS = ['bench/media-path.ts'];

/** The CLI entry of a snapshot (or of the repository itself). */
export function softphoneBin(root: string = ROOT): string {
  return join(root, 'bin', 'softphone.js');
}

export function makeSnapshot(rev: string, dir: string): string {
  const out = resolve(dir);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  if (rev === '.') {
    for (const p of [...PARTS, ...BENCH_PARTS]) if (existsSync(join(ROOT, p))) cpSync(join(ROOT, p), join(out, p), { recursive: true });
  } else {
    const inRev = (p: string) => spawnSync('git', ['-C', ROOT, 'cat-file', '-e', `${rev}:${p}`]).status === 0;
    const tar = execFileSync('git', ['-C', ROOT, 'archive', '--format=tar', rev, ...PARTS, ...BENCH_PARTS.filter(inRev)], { maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', out], { input: tar });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'));
  writeFileSync(join(out, 'tsconfig.json'), JSON.stringify({
    extends: join(ROOT, 'tsconfig.json'),
    compilerOptions: { outDir: 'out', rootDir: '.', sourceMap: false, noEmitOnError: false },
    include: ['src-main/**/*.ts', 'src-main/**/*.cts', ...BENCH_PARTS],
  }));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  spawnSync(process.execPath, [tsc, '-p', join(out, 'tsconfig.json')], { cwd: out, stdio: 'ignore' });
  if (!existsSync(join(out, 'out', 'src-main', 'cli', 'main.js'))) throw new Error(`snapshot ${rev}: tsc produced no out/src-main/cli/main.js`);
  // The web host serves the renderer that `npm run build` left in our out/ (the UI is not measured here).
  if (existsSync(join(ROOT, 'out', 'renderer'))) symlinkSync(join(ROOT, 'out', 'renderer'), join(out, 'out', 'renderer'));
  writeFileSync(join(out, 'out', '.build-stamp'), new Date().toISOString() + '\n');
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [rev, dir] = process.argv.slice(2);
  if (!rev || !dir) {
    console.error('usage: snapshot.ts <git-rev | .> <dir>');
    process.exit(2);
  }
  console.log(makeSnapshot(rev, dir));
}
