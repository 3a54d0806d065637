import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideIncoming, type IncomingSettings } from '../../../src-main/calls/incoming-rules.js';

const base: IncomingSettings = { maxLines: 4, dnd: false, forward: undefined, callWaiting: true };
const fwd = (mode: 'always' | 'busy' | 'no-answer') => ({ mode, target: 'sip:vm@pbx', noAnswerSeconds: 20 });

test('incoming-call rules: forwarding (RFC 3261 §21.3.3), DND, lines, ring', () => {
  const rows: Array<[string, IncomingSettings, { busy: boolean; liveCalls: number }, unknown]> = [
    ['idle: ring', base, { busy: false, liveCalls: 0 }, { action: 'ring', forwardAfter: undefined }],
    ['forward always wins over DND', { ...base, dnd: 603, forward: fwd('always') }, { busy: false, liveCalls: 0 }, { action: 'forward', target: 'sip:vm@pbx' }],
    ['forward busy while busy', { ...base, forward: fwd('busy') }, { busy: true, liveCalls: 1 }, { action: 'forward', target: 'sip:vm@pbx' }],
    ['forward busy when idle: ring', { ...base, forward: fwd('busy') }, { busy: false, liveCalls: 0 }, { action: 'ring', forwardAfter: undefined }],
    ['no-answer: ring, forward later', { ...base, forward: fwd('no-answer') }, { busy: false, liveCalls: 0 }, { action: 'ring', forwardAfter: { target: 'sip:vm@pbx', seconds: 20 } }],
    ['DND 486', { ...base, dnd: 486 }, { busy: false, liveCalls: 0 }, { action: 'reject', status: 486, reason: 'dnd' }],
    ['DND 603', { ...base, dnd: 603 }, { busy: true, liveCalls: 1 }, { action: 'reject', status: 603, reason: 'dnd' }],
    ['all lines busy: 486', { ...base, maxLines: 2 }, { busy: true, liveCalls: 2 }, { action: 'reject', status: 486, reason: 'lines-busy' }],
    ['a free line while busy: ring (call waiting)', base, { busy: true, liveCalls: 1 }, { action: 'ring', forwardAfter: undefined }],
    ['call waiting off: a second call is busy', { ...base, callWaiting: false }, { busy: true, liveCalls: 1 }, { action: 'reject', status: 486, reason: 'no-call-waiting' }],
    ['call waiting off while idle: ring', { ...base, callWaiting: false }, { busy: false, liveCalls: 0 }, { action: 'ring', forwardAfter: undefined }],
  ];
  for (const [name, settings, state, expected] of rows) assert.deepEqual(decideIncoming(settings, state), expected, name);
});
