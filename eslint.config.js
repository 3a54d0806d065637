// Lint, including the one-way layer rule of docs/ARCHITECTURE (machine-checked here):
// message <- transport <- transaction <- dialog <- ua <- calls <- hosts; media never imports sip.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import importCycles from './scripts/eslint/no-import-cycle.mjs';

const layer = (files, forbidden) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', {
      patterns: forbidden.map((group) => ({
        group: [group],
        message: 'Layering: lower layers never import upper ones (see docs/decisions.md, "Layers").',
      })),
    }],
  },
});

/** A host may import only contract/ and core/ of the main code. */
const hostLayer = (files, forbidden) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [
        { regex: '^\\.\\./(sip|media|calls|store|util)/', message: 'Hosts import only src-main/contract/ and src-main/core/.' },
        ...forbidden.map((group) => ({ group: [group], message: 'Hosts do not import each other (the CLI may launch the web host).' })),
      ],
    }],
  },
});

const upper = {
  message: ['**/transport/**', '**/transaction/**', '**/dialog/**', '**/ua/**'],
  transport: ['**/transaction/**', '**/dialog/**', '**/ua/**'],
  transaction: ['**/dialog/**', '**/ua/**'],
  dialog: ['**/ua/**'],
};
const hosts = ['**/cli/**', '**/web/**', '**/app/**'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['native/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { exports: 'writable', module: 'writable', require: 'readonly' } },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  // No import circles in the product code, type-only imports included (scripts/eslint/no-import-cycle.mjs).
  {
    files: ['src-main/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    plugins: { nimbus: importCycles },
    rules: { 'nimbus/no-import-cycle': 'error' },
  },
  layer(['src-main/sip/message/**'], [...upper.message, '**/calls/**', '**/media/**', ...hosts, 'electron']),
  layer(['src-main/sip/transport/**'], [...upper.transport, '**/calls/**', '**/media/**', ...hosts, 'electron']),
  layer(['src-main/sip/transaction/**'], [...upper.transaction, '**/calls/**', '**/media/**', ...hosts, 'electron']),
  layer(['src-main/sip/dialog/**'], [...upper.dialog, '**/calls/**', '**/media/**', ...hosts, 'electron']),
  layer(['src-main/sip/ua/**'], ['**/calls/**', '**/media/**', ...hosts, 'electron']),
  layer(['src-main/media/**'], ['**/sip/**', '**/calls/**', ...hosts, 'electron']),
  // net/ (STUN, TURN) is shared by sip/ and media/ and imports neither.
  layer(['src-main/net/**'], ['**/sip/**', '**/media/**', '**/calls/**', '**/core/**', ...hosts, 'electron']),
  layer(['src-main/calls/**', 'src-main/store/**'], [...hosts, 'electron']),
  layer(['src-main/contract/**'], ['node:*', 'electron', '**/sip/**', '**/calls/**', '**/media/**', ...hosts]),
  layer(['src-main/core/**'], [...hosts, 'electron']),
  // Hosts see only the contract and the core factory (plus Node and npm packages); the CLI also
  // launches the web host. docs/decisions.md, "One core, thin hosts".
  hostLayer(['src-main/cli/**'], ['electron', '**/app/**']),
  hostLayer(['src-main/web/**'], ['electron', '**/app/**', '**/cli/**']),
  hostLayer(['src-main/app/**'], ['**/cli/**', '**/web/**']),
  // The renderer sees the core only through the contract (src-main/contract/); no Node, no Electron.
  {
    files: ['src-renderer/**'],
    ignores: ['src-renderer/vite.config.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: 'src-main/(?!contract/)', message: 'The renderer may import only src-main/contract/.' },
          { group: ['node:*', 'electron'], message: 'The renderer runs sandboxed: no Node or Electron modules.' },
        ],
      }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
);
