/** The lint rule that keeps the product code free of import circles, type-only ones included. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import importCycles from '../../../scripts/eslint/no-import-cycle.mjs';

/** Writes the files into a new folder, lints each one and returns the rule's messages per file. */
function lintTree(files: Record<string, string>): Record<string, string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cycle-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    const linter = new Linter({ configType: 'flat', cwd: dir });
    const config = [{
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      plugins: { nimbus: importCycles },
      rules: { 'nimbus/no-import-cycle': 'error' as const },
    }] as Linter.Config[];
    const out: Record<string, string[]> = {};
    for (const name of Object.keys(files)) {
      const path = join(dir, name);
      out[name] = linter.verify(readFileSync(path, 'utf8'), config, path).map((m) => m.message);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const circle = (path: string) => `Import circle: ${path}. Move the shared declarations down a layer or into their own module.`;

test('a circle through type-only imports is reported on each module in it, with its path', () => {
  const found = lintTree({
    'types.ts': "import type { Tx } from './tx.js';\nexport type Any = Tx;\n",
    'tx.ts': "import type { Any } from './types.js';\nexport class Tx { a?: Any; }\n",
    'user.ts': "import { Tx } from './tx.js';\nexport const t = new Tx();\n",
  });
  assert.deepEqual(found, {
    'types.ts': [circle('types.ts -> tx.ts -> types.ts')],
    'tx.ts': [circle('tx.ts -> types.ts -> tx.ts')],
    'user.ts': [], // importing a module that sits in a circle is not a circle
  });
});

test('a longer circle through a re-export and a folder index is found; a chain without one is not', () => {
  const found = lintTree({
    'a.ts': "export * from './b.js';\n",
    'b.ts': "export { c } from './lib/index.js';\n",
    'lib/index.ts': "import '../a.js';\nexport const c = 1;\n",
    'd.ts': "import { c } from './lib';\nexport const d = c;\n",
    'e.ts': "import { d } from './d.js';\nexport const e = d;\n",
  });
  assert.deepEqual(found['a.ts'], [circle('a.ts -> b.ts -> lib/index.ts -> a.ts')]);
  assert.deepEqual(found['lib/index.ts'], [circle('lib/index.ts -> a.ts -> b.ts -> lib/index.ts')]);
  assert.deepEqual(found['d.ts'], []);
  assert.deepEqual(found['e.ts'], []);
});
