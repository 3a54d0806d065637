// `npm start`: build, make sure the Electron binary is present (npm 11 skips its download
// script by default), then launch the app. Where Electron cannot be fetched, say so plainly.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;

if (run(process.execPath, ['scripts/build.mjs', '--strict']) !== 0) process.exit(1);
const pathFile = join(electronDir, 'path.txt');
if (!existsSync(pathFile) || !existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8')))) {
  console.log('Fetching the Electron binary (one time)...');
  if (run(process.execPath, [join(electronDir, 'install.js')]) !== 0) {
    console.error('Electron could not be downloaded on this machine. The same core runs headless:\n  npx softphone --help');
    process.exit(1);
  }
}
const electron = require('electron');
process.exit(run(electron, ['.']));
