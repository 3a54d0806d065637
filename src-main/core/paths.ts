/** Where the app's files are: the built renderer, and the per-user data folder of each OS. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';

/** The renderer that `npm run build` leaves in out/renderer. */
export function rendererDir(): string {
  return join(packageRoot(), 'out', 'renderer');
}

/**
 * The web host's data folder: in the OS's per-user application folder, apart from the Electron
 * app's (`userData/phone`), whose passwords are in the OS keychain rather than a file.
 */
export function defaultDataDir(platform = process.platform, env = process.env, home = homedir()): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Nimbus Phone', 'web');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Nimbus Phone', 'web');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'nimbus-phone', 'web');
}
