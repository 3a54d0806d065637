/**
 * `softphone --help` is the CLI's own documentation: it lists every flag and every stdin command
 * that README.md's "The `softphone` CLI" section documents, and every command it lists works.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseStdinCommand } from '../../../src-main/cli/stdin-commands.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const help = execFileSync(process.execPath, [join(root, 'bin', 'softphone.js'), '--help'], {
  encoding: 'utf8', env: { ...process.env, NIMBUS_FROM_SOURCE: '1' }, timeout: 60_000,
});

/** Text from the line starting with `from` up to (not including) the line starting with `to`. */
function between(text: string, from: string, to: string): string {
  const start = text.indexOf(`\n${from}`);
  const end = text.indexOf(`\n${to}`, start + 1);
  assert.ok(start >= 0 && end > start, `README has "${from}" … "${to}"`);
  return text.slice(start, end);
}

const cliSection = between(readme, '## The `softphone` CLI', '## Tests');
const stdinPassage = between(cliSection, 'Commands on stdin', 'With `--json`');
const eventNames = new Set([...cliSection.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!));
const helpStdin = help.slice(help.indexOf('stdin commands'));
const helpCommands = helpStdin.slice(helpStdin.indexOf('\n') + 1).split(' | ').map((s) => s.trim()).filter(Boolean);
const helpVerbs = new Set(helpCommands.map((c) => c.split(' ')[0]!));

test('every flag the README documents is in --help', () => {
  const flags = new Set([...cliSection.matchAll(/--[a-z][a-z0-9-]*/g)].map((m) => m[0]));
  assert.ok(flags.size >= 30, `README documents ${flags.size} flags`);
  const missing = [...flags].filter((f) => !new RegExp(`${f}(?![a-z0-9-])`).test(help));
  assert.deepEqual(missing, []);
});

test('every stdin command the README documents is in --help, in the same form', () => {
  const spans = [...stdinPassage.matchAll(/`([^`]+)`/g)].map((m) => m[1]!)
    .filter((s) => /^[a-z][a-z-]*(?: |$)/.test(s) && !eventNames.has(s));
  const verbs = new Set(spans.map((s) => s.split(' ')[0]!));
  assert.ok(verbs.size >= 22, `README documents ${verbs.size} stdin commands`);
  assert.deepEqual([...verbs].filter((v) => !helpVerbs.has(v)), [], 'verbs missing from --help');
  // A form with arguments ('transfer URI', 'dnd on|off') reads the same in both.
  const forms = spans.filter((s) => s.includes(' '));
  assert.deepEqual(forms.filter((f) => !helpStdin.includes(f)), [], 'forms that differ from --help');
});

test('every stdin command --help lists is one the CLI accepts', () => {
  assert.ok(helpVerbs.size >= 22);
  for (const verb of helpVerbs) {
    const parsed = parseStdinCommand(`${verb} x`);
    assert.ok(parsed && !(parsed.kind === 'error' && parsed.message.startsWith('unknown command')), `${verb}: ${JSON.stringify(parsed)}`);
  }
  assert.equal(parseStdinCommand('frobnicate')?.kind, 'error', 'an unknown word is refused');
});
