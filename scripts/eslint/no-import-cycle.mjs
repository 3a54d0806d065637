// ESLint rule: no import circles between our own modules, type-only imports included
// (eslint-plugin-import-x's no-cycle skips `import type`; a type circle still ties two modules
// together). Each file's relative imports (static, type-only, re-exports, dynamic import()) are
// read with TypeScript's pre-processor and cached by modification time for a few seconds (what a
// specifier resolves to also depends on other files existing, which editors change); a file is
// reported when one of its imports leads back to it, with the shortest such path.
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/** path -> { mtimeMs, at, deps: resolved paths } */
const cache = new Map();
const cacheMs = 5000;

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** './x.js' from dir -> the source file it names (.ts, .tsx, .js, .mjs, or a folder's index). */
function resolveSpecifier(dir, spec) {
  const base = resolve(dir, spec);
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  const candidates = [`${stem}.ts`, `${stem}.tsx`, base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`];
  return candidates.find((c) => /\.(ts|tsx|mjs|js)$/.test(c) && mtime(c) !== undefined);
}

function depsOf(file) {
  const m = mtime(file);
  const hit = cache.get(file);
  const now = Date.now();
  if (hit && hit.mtimeMs === m && now - hit.at < cacheMs) return hit.deps;
  let deps = [];
  if (m !== undefined) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    deps = [...new Set(info.importedFiles
      .map((f) => f.fileName)
      .filter((s) => s.startsWith('./') || s.startsWith('../'))
      .map((s) => resolveSpecifier(dirname(file), s))
      .filter((f) => f !== undefined))];
  }
  cache.set(file, { mtimeMs: m, at: now, deps });
  return deps;
}

/** Shortest import path from `start` back to itself, or undefined (breadth-first). */
function shortestCycle(start) {
  const previous = new Map();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i];
    for (const next of depsOf(at)) {
      if (next === start) {
        const path = [start];
        for (let p = at; p !== start; p = previous.get(p)) path.splice(1, 0, p);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, at);
        queue.push(next);
      }
    }
  }
  return undefined;
}

export const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import circles between modules, type-only imports included' },
    schema: [],
    messages: { cycle: 'Import circle: {{path}}. Move the shared declarations down a layer or into their own module.' },
  },
  create(context) {
    return {
      Program(node) {
        const file = resolve(context.filename);
        const cycle = shortestCycle(file);
        if (!cycle) return;
        const cwd = context.cwd ?? process.cwd();
        context.report({ node, messageId: 'cycle', data: { path: cycle.map((f) => relative(cwd, f)).join(' -> ') } });
      },
    };
  },
};

export default { rules: { 'no-import-cycle': noImportCycle } };
