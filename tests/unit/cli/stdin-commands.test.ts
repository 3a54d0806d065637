/**
 * The CLI's call words on stdin (README, "The `softphone` CLI"), one table: each line a person
 * types and the call-manager command it becomes, or the usage error it earns. Presence words are
 * in presence-commands.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from '../../../src-main/contract/calls.js';
import { parseStdinCommand, stdinHelp, type StdinCommand } from '../../../src-main/cli/stdin-commands.js';

const manager = (command: Command): StdinCommand => ({ kind: 'manager', command });
const usage = (form: string): StdinCommand => ({ kind: 'error', message: `usage: ${form}` });

const table: Array<[line: string, expected: StdinCommand | undefined]> = [
  ['call sip:1002@pbx', manager({ type: 'dial', uri: 'sip:1002@pbx' })],
  ['  call   sip:1002@pbx  ', manager({ type: 'dial', uri: 'sip:1002@pbx' })],
  ['call', usage('call <uri>')],
  ['call sip:a sip:b', usage('call <uri>')],
  ['answer', manager({ type: 'answer' })],
  ['answer c1', manager({ type: 'answer', callId: 'c1' })],
  ['reject', manager({ type: 'reject' })],
  ['reject c1', manager({ type: 'reject', callId: 'c1' })],
  ['hangup', manager({ type: 'hangup' })],
  ['hangup c2', manager({ type: 'hangup', callId: 'c2' })],
  ['hold c1', manager({ type: 'hold', callId: 'c1' })],
  ['resume', manager({ type: 'resume' })],
  ['mute', manager({ type: 'mute' })],
  ['unmute', manager({ type: 'unmute' })],
  ['transfer sip:1003@pbx', manager({ type: 'transfer', uri: 'sip:1003@pbx' })],
  ['transfer', usage('transfer URI')],
  ['atransfer c1 c2', manager({ type: 'attended-transfer', callId: 'c1', targetCallId: 'c2' })],
  ['atransfer c1', usage('atransfer ID_A ID_B')],
  ['accept-transfer', manager({ type: 'accept-transfer' })],
  ['accept-transfer c1', manager({ type: 'accept-transfer', callId: 'c1' })],
  ['reject-transfer c1', manager({ type: 'reject-transfer', callId: 'c1' })],
  ['conference c1 c2', manager({ type: 'conference', callIds: ['c1', 'c2'] })],
  ['conference c1 c2 c3', usage('conference ID_A ID_B')],
  ['dtmf 12#*', manager({ type: 'dtmf', digits: '12#*' })],
  ['dtmf', usage('dtmf DIGITS')],
  ['dtmf 1 2', usage('dtmf DIGITS')],
  ['dnd on', manager({ type: 'dnd', on: true })],
  ['dnd off', manager({ type: 'dnd', on: false })],
  ['dnd', usage('dnd on|off')],
  ['dnd maybe', usage('dnd on|off')],
  ['redial', manager({ type: 'redial' })],
  ['calls', { kind: 'calls' }],
  ['quit', { kind: 'quit' }],
  ['', undefined],
  ['   ', undefined],
];

test('each stdin line becomes its call-manager command, or a usage error naming the form', () => {
  for (const [line, expected] of table) assert.deepEqual(parseStdinCommand(line), expected, JSON.stringify(line));
});

test('an unknown word is refused with the list of commands (the --help stdin line)', () => {
  for (const line of ['frobnicate', 'CALL sip:1002@pbx', 'hang-up']) {
    const parsed = parseStdinCommand(line);
    assert.equal(parsed?.kind, 'error', line);
    assert.equal(parsed?.kind === 'error' && parsed.message, `unknown command ${JSON.stringify(line.split(' ')[0])} (${stdinHelp})`);
  }
});

test('every verb in the stdin help has a row in the table above', () => {
  const verbs = stdinHelp.split(' | ').map((form) => form.split(' ')[0]!);
  const presence = new Set(['subscribe', 'unsubscribe', 'message', 'status', 'pickup']);
  const tabled = new Set(table.map(([line]) => line.trim().split(/\s+/)[0]));
  assert.deepEqual(verbs.filter((v) => !presence.has(v) && !tabled.has(v)), []);
});
