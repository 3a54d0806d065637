/** Loads the byte-exact vector files (tests/vectors/<rfc>/<name>.dat). */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const vectorsRoot = fileURLToPath(new URL('../../vectors/', import.meta.url));

export function vector(set: string, name: string): Buffer {
  return readFileSync(`${vectorsRoot}${set}/${name}.dat`);
}

export function vectorNames(set: string): string[] {
  return readdirSync(`${vectorsRoot}${set}`).filter((f) => f.endsWith('.dat')).map((f) => f.slice(0, -4)).sort();
}
