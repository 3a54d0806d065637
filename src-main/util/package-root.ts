/** The folder holding our package.json, from sources (src-main/…) or compiled output (out/src-main/…) alike. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(fromUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'nimbus-phone') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the nimbus-phone package root');
    dir = parent;
  }
}
