// Bundles the Electron preload (src-main/app/preload.cts) and what it imports from the contract
// into one CommonJS file: a sandboxed preload can `require` only `electron`, so nothing else may
// stay external. `node scripts/build-preload.mjs [OUTFILE]` (default out/src-main/app/preload.cjs);
// scripts/build.mjs runs it after tsc, and the preload's unit test bundles to a temporary file.
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
export const defaultPreloadOutfile = join(root, 'out', 'src-main', 'app', 'preload.cjs');

export async function buildPreload(outfile = defaultPreloadOutfile) {
  const { build } = await import('esbuild');
  // The channel names come from the contract itself (loaded through tsx, a build-time dependency);
  // the preload gets them as a constant instead of bundling the contract's zod schemas.
  const { tsImport } = await import('tsx/esm/api');
  const { channels } = await tsImport(join(root, 'src-main', 'contract', 'channels.ts'), import.meta.url);
  await build({
    entryPoints: [join(root, 'src-main', 'app', 'preload.cts')],
    outfile,
    bundle: true,
    format: 'cjs',
    // The renderer side of Electron 45 (Chromium 140): no Node built-ins can be bundled by mistake.
    platform: 'browser',
    target: 'chrome140',
    external: ['electron'],
    define: { NIMBUS_CHANNELS: JSON.stringify(channels) },
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  // tsc's source map of its own (unusable) preload.cjs would describe the wrong file.
  rmSync(`${outfile}.map`, { force: true });
  return outfile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outfile = await buildPreload(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`preload bundled: ${outfile}`);
}
