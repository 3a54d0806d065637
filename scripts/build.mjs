// `npm run build` (and `prepare` on install): build the renderer (out/renderer/), compile TypeScript to out/ and stamp it, so the
// `softphone` bin can run compiled JS (faster start, less memory) while it is up to date. A failed
// build never fails an install: the bin then runs the sources through tsx.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRenderer } from './build-renderer.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const strict = process.argv.includes('--strict');
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.log('build: TypeScript is not installed (production install); the CLI runs from sources');
  process.exit(0);
}
try {
  await buildRenderer();
} catch (e) {
  console.error(`build: the renderer did not build (${e.message})`);
  if (strict) process.exit(1);
}
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
if (result.status !== 0) {
  console.error('build: tsc failed; the softphone CLI will run from the TypeScript sources');
  process.exit(strict ? 1 : 0);
}
// The Electron preload: one CommonJS file a sandboxed renderer can load (tsc's output of it is not).
try {
  const { buildPreload } = await import('./build-preload.mjs');
  await buildPreload();
} catch (e) {
  console.error(`build: the Electron preload could not be bundled: ${e.message}`);
  if (strict) process.exit(1);
}
mkdirSync(join(root, 'out'), { recursive: true });
writeFileSync(join(root, 'out', '.build-stamp'), new Date().toISOString() + '\n');
