/** The app's own strings (src-renderer/i18n), so tests find controls by what a French or English user hears. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export type Lang = 'en' | 'fr';
type Catalogue = Record<string, unknown>;
const catalogues = Object.fromEntries((['en', 'fr'] as const).map((l) =>
  [l, JSON.parse(readFileSync(join(root, 'src-renderer', 'i18n', `${l}.json`), 'utf8')) as Catalogue]));

/** A string of the app's catalogue, `{{var}}` filled (the accessible names a screen reader user hears). */
export function tr(lang: Lang, key: string, vars: Record<string, string> = {}): string {
  const text = key.split('.').reduce<unknown>((node, k) => (node as Catalogue)[k], catalogues[lang]);
  assert.equal(typeof text, 'string', `catalogue ${lang} has ${key}`);
  return (text as string).replace(/\{\{(\w+)\}\}/g, (_, v: string) => vars[v] ?? '');
}
