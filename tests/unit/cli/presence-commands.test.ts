/** The CLI's presence words on stdin (README, "The softphone CLI"): subscribe, unsubscribe, message, status, pickup. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStdinCommand } from '../../../src-main/cli/stdin-commands.js';
import { createOutput, type CliEvent } from '../../../src-main/cli/output.js';

it('parses subscribe/unsubscribe/pickup URI, message URI TEXT (the rest of the line, spaces kept), status WORD', () => {
  assert.deepEqual(parseStdinCommand('subscribe sip:1002@pbx'), { kind: 'subscribe', uri: 'sip:1002@pbx' });
  assert.deepEqual(parseStdinCommand('  unsubscribe sip:1002@pbx '), { kind: 'unsubscribe', uri: 'sip:1002@pbx' });
  assert.deepEqual(parseStdinCommand('pickup sip:1002@pbx'), { kind: 'pickup', uri: 'sip:1002@pbx' });
  assert.deepEqual(parseStdinCommand('message sip:1002@pbx Bonjour  à  tous 👋'), { kind: 'message', uri: 'sip:1002@pbx', text: 'Bonjour  à  tous 👋' });
  for (const s of ['available', 'away', 'busy', 'dnd'] as const) assert.deepEqual(parseStdinCommand(`status ${s}`), { kind: 'status', status: s });
  for (const bad of ['subscribe', 'message sip:1002@pbx', 'message sip:1002@pbx   ', 'status offline', 'status', 'pickup a b']) {
    assert.equal(parseStdinCommand(bad)?.kind, 'error', bad);
  }
});

it('prints the presence events as one JSON object per line with the issue\'s field names', () => {
  const lines: string[] = [];
  const out = createOutput(true, (l) => lines.push(l));
  const events: CliEvent[] = [
    { event: 'blf', uri: 'sip:1002@pbx', state: 'ringing' },
    { event: 'presence', uri: 'sip:1002@pbx', status: 'busy', note: 'On the phone' },
    { event: 'mwi', account: 'sip:1001@pbx', waiting: true, new: 2, old: 8 },
    { event: 'message', from: 'sip:1002@pbx', text: 'é😀' },
    { event: 'message-status', id: 3, status: 'failed', code: 404 },
  ];
  for (const e of events) out(e);
  assert.deepEqual(lines.map((l) => JSON.parse(l)), events);
  const human: string[] = [];
  const text = createOutput(false, (l) => human.push(l));
  for (const e of events) text(e);
  assert.deepEqual(human, ['lamp sip:1002@pbx: ringing', 'presence sip:1002@pbx: busy (On the phone)', 'voicemail sip:1001@pbx: 2 new, 8 old',
    'message from sip:1002@pbx: é😀', 'message 3: failed (404)']);
});
