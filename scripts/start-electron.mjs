// `npm start`: build, then launch the Electron app. npm 11 skips Electron's download script, so
// the binary is fetched on first start where the network allows. Where Electron cannot run (no
// binary, e.g. on machines that reach only the package registries, or Linux without a display)
// this says so and starts the same phone as the web host (`softphone web`) instead, opening the
// system browser when there is one and printing the URL otherwise. Extra arguments go to the
// app or the web host (e.g. `npm start -- --null-audio`).
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const passThrough = process.argv.slice(2);
const run = (cmd, args, options = {}) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...options }).status ?? 1;

/** Is `command` an executable on PATH? */
function onPath(command) {
  const names = process.platform === 'win32' ? [`${command}.exe`, `${command}.cmd`] : [command];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of names) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}

const hasDisplay = () => process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

/** The Electron executable, fetching it once if needed; undefined when it is not available. */
function electronBinary() {
  let electronDir;
  try {
    electronDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(electronDir, 'path.txt');
  const present = () => existsSync(pathFile) && existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
  if (!present()) {
    console.log('Fetching the Electron binary (one time)...');
    // Electron's own installer; bounded, since some networks drop the connection silently.
    run(process.execPath, [join(electronDir, 'install.js')], { timeout: 180_000 });
  }
  return present() ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : undefined;
}

/** How to open a URL in the system browser here, or undefined. */
function browserOpener() {
  if (process.platform === 'darwin' && onPath('open')) return (url) => ['open', [url]];
  if (process.platform === 'win32') return (url) => ['cmd', ['/d', '/s', '/c', `start "" "${url}"`], { windowsVerbatimArguments: true }];
  if (process.platform === 'linux' && hasDisplay() && onPath('xdg-open')) return (url) => ['xdg-open', [url]];
  return undefined;
}

/** `softphone web`, in the foreground: its URL goes to the browser (or the terminal). */
function startWebHost() {
  const child = spawn(process.execPath, [join(root, 'bin', 'softphone.js'), 'web', '--json', ...passThrough], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    let event;
    try {
      event = JSON.parse(line);
    } catch {
      console.log(line);
      return;
    }
    if (event.event === 'web-ready') {
      const opener = browserOpener();
      if (opener) {
        const [cmd, args, options] = opener(event.url);
        const browser = spawn(cmd, args, { stdio: 'ignore', detached: true, ...options });
        browser.on('error', () => console.log(`Open ${event.url} in a browser.`));
        browser.unref();
        console.log(`Nimbus Phone is running at ${event.url} (opened in your browser). Ctrl+C stops it.`);
      } else {
        console.log(`Nimbus Phone is running. Open this address in a browser on this machine (Ctrl+C stops it):\n  ${event.url}`);
      }
    } else if (event.event === 'notice') console.log(`notice: ${event.message}`);
    else if (event.event === 'error') console.error(`error: ${event.message}`);
    else if (event.event === 'registration') console.log(`${event.account}: ${event.state}${event.reason ? ` (${event.reason})` : ''}`);
  });
  // Ctrl+C reaches the web host too (same process group); it stops the phone and exits.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (run(process.execPath, ['scripts/build.mjs', '--strict']) !== 0) process.exit(1);

const electron = electronBinary();
if (electron && hasDisplay()) {
  process.exit(run(electron, ['.', ...passThrough]));
}
console.log(electron
  ? 'Electron cannot open a window here (no display). Starting the same phone as the web host instead.'
  : 'The Electron binary is not available on this machine (it could not be downloaded). Starting the same phone as the web host instead.');
startWebHost();
