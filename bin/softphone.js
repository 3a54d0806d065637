#!/usr/bin/env -S node --max-semi-space-size=1
// The softphone CLI host. Runs the compiled output (npm run build) when it is newer than every
// source file, else the TypeScript sources through tsx (see docs/decisions.md).
//
// The main isolate's young generation is capped at 1 MB semi-spaces: V8 otherwise grows it to
// 16 MB committed (3–4 MB used) at start-up, and ignores the flag set at run time
// (docs/benchmarks.md, issue 10). The shebang passes it when the script is run as a program
// (npm's Windows shims read `env -S` flags too); started as `node bin/softphone.js`, the process
// replaces itself (same pid) with one that has the flag, where Node can (process.execve: POSIX).
// NIMBUS_SEMI_SPACE=default keeps V8's default (for before/after measurements).
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const semiSpaceFlag = '--max-semi-space-size';
if (
  typeof process.execve === 'function' &&
  process.env.NIMBUS_SEMI_SPACE !== 'default' &&
  !process.execArgv.some((a) => a.startsWith(semiSpaceFlag)) &&
  !(process.env.NODE_OPTIONS ?? '').includes(semiSpaceFlag)
) {
  try {
    process.execve(process.execPath, [process.execPath, `${semiSpaceFlag}=1`, ...process.execArgv, ...process.argv.slice(1)], process.env);
  } catch {
    // Not replaced (execve refused): run as started, with V8's default young generation.
  }
}

const root = dirname(dirname(fileURLToPath(import.meta.url)));

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function compiledIsFresh() {
  try {
    return statSync(join(root, 'out', '.build-stamp')).mtimeMs >= newestSource(join(root, 'src-main'));
  } catch {
    return false;
  }
}

let main;
if (process.env.NIMBUS_FROM_SOURCE !== '1' && compiledIsFresh()) {
  ({ main } = await import(pathToFileURL(join(root, 'out', 'src-main', 'cli', 'main.js')).href));
} else {
  // tsx is a development dependency (the app never ships it): without it, stale output is an error.
  const tsx = await import('tsx/esm/api').catch(() => undefined);
  if (!tsx) {
    process.stderr.write('softphone: out/ is missing or older than src-main/, and tsx (a development dependency) is not installed: run `npm run build`\n');
    process.exit(1);
  }
  tsx.register();
  ({ main } = await import('../src-main/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
// Sockets and timers are closed by main(); exit explicitly in case stdin keeps the loop alive.
process.exit(process.exitCode);
