// Builds the React renderer (src-renderer/) with Vite into out/renderer/, which the Electron app
// (app://nimbus/) and the web host serve. `node scripts/build-renderer.mjs`; scripts/build.mjs
// runs it too. Without Vite (a production install) there is nothing to build: say so and go on.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** Returns false when Vite is not installed; throws when the build fails. */
export async function buildRenderer() {
  let vite;
  try {
    vite = await import('vite');
  } catch {
    console.log('build: Vite is not installed (production install); the renderer is not rebuilt');
    return false;
  }
  await vite.build({ configFile: join(root, 'src-renderer', 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildRenderer();
}
