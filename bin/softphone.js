#!/usr/bin/env node
// The softphone CLI host. Runs the compiled output (npm run build) when it is newer than every
// source file, else the TypeScript sources through tsx (see docs/decisions.md).
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src-main/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
// Sockets and timers are closed by main(); exit explicitly in case stdin keeps the loop alive.
process.exit(process.exitCode);
