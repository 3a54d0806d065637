/**
 * What the CLI prints for each call event: with --json one JSON object per line, exactly the event
 * (the README's event table); without it one short human line. A table, one row per event kind;
 * the presence events are in presence-commands.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallSnapshot } from '../../../src-main/contract/calls.js';
import { createOutput, echoAdviceEvent, type CliEvent } from '../../../src-main/cli/output.js';

const snapshot: CallSnapshot = {
  id: 'c1', account: undefined, direction: 'outgoing', state: 'held', progress: 'confirmed',
  peer: { uri: 'sip:1002@pbx', displayName: undefined }, startedAt: 1, answeredAt: 2, endedAt: undefined, codec: 'PCMU',
  muted: false, onHold: true, remoteHold: false, quality: undefined, cause: undefined, status: undefined, reason: undefined,
};
const stats = {
  codec: 'opus', packetsSent: 250, packetsReceived: 248, lossPercent: 0.8, jitterMs: 3.25, rttMs: 41.6, mos: 4.31,
  concealedMs: 40, lateLossPercent: 0,
};

const table: Array<[CliEvent, string]> = [
  [{ event: 'ready', transport: 'udp', address: '127.0.0.1', port: 5060 }, 'listening on udp 127.0.0.1:5060'],
  [{ event: 'registration', account: 'sip:1001@pbx', state: 'registered', expires: 300 }, 'registration sip:1001@pbx: registered'],
  [{ event: 'registration', account: 'sip:1001@pbx', state: 'failed', reason: 'Forbidden', status: 403 }, 'registration sip:1001@pbx: failed (Forbidden)'],
  [{ event: 'call', id: 'c1', direction: 'outgoing', remote: 'sip:1002@pbx', state: 'ringing' }, 'call c1 outgoing sip:1002@pbx: ringing'],
  [{ event: 'call', id: 'c1', direction: 'outgoing', remote: 'sip:1002@pbx', state: 'ended', cause: 'busy', status: 486 }, 'call c1 outgoing sip:1002@pbx: ended (busy 486)'],
  [{ event: 'call', id: 'c2', direction: 'incoming', remote: 'sip:1003@pbx', state: 'ended', cause: 'remote-hangup' }, 'call c2 incoming sip:1003@pbx: ended (remote-hangup)'],
  [{ event: 'dtmf', id: 'c1', digit: '#', via: 'rfc4733' }, 'call c1: DTMF # (rfc4733)'],
  [{ event: 'stats', id: 'c1', ...stats }, 'call c1: opus, loss 0.8%, jitter 3.3 ms, RTT 42 ms, MOS 4.31'],
  [{ event: 'stats', id: 'c1', ...stats, rttMs: undefined }, 'call c1: opus, loss 0.8%, jitter 3.3 ms, RTT n/a, MOS 4.31'],
  [{ event: 'calls', calls: [] }, 'no calls'],
  [{ event: 'calls', calls: [snapshot, { ...snapshot, id: 'c2', direction: 'incoming', state: 'incoming' }] },
    'c1 outgoing sip:1002@pbx held\nc2 incoming sip:1002@pbx incoming'],
  [{ event: 'transfer', id: 'c1', status: 'success', sipfrag: 'SIP/2.0 200 OK' }, 'call c1: transfer success (SIP/2.0 200 OK)'],
  [{ event: 'transfer', id: 'c1', status: 'trying' }, 'call c1: transfer trying'],
  [{ event: 'transfer-request', id: 'c1', target: 'sip:1003@pbx', policy: 'ask', action: 'ask', timeoutS: 20 },
    'call c1: transfer request to sip:1003@pbx: ask — accept-transfer c1 or reject-transfer c1 within 20 s'],
  [{ event: 'transfer-request', id: 'c1', target: 'sip:+1900@evil', policy: 'domain', action: 'decline', reason: 'not the account\'s domain' },
    'call c1: transfer request to sip:+1900@evil: decline (not the account\'s domain)'],
  [{ event: 'devices', devices: [{ name: 'Headset' }] }, '[\n  {\n    "name": "Headset"\n  }\n]'],
  [{ event: 'notice', message: 'SRTP keys sent in clear' }, 'notice: SRTP keys sent in clear'],
  [{ event: 'sip-mapping', source: 'stun-server', server: '203.0.113.5:3478', address: '198.51.100.1', port: 40000 },
    'SIP UDP public mapping from STUN server 203.0.113.5:3478: 198.51.100.1:40000'],
  [{ event: 'sip-mapping', source: 'stun-server', server: '203.0.113.5:3478', reason: 'no STUN answer (timeout)' },
    'SIP UDP public mapping from STUN server 203.0.113.5:3478: unknown (no STUN answer (timeout))'],
  [{ event: 'sip-mapping', source: 'keep-alive', account: 'sip:1001@pbx', address: '198.51.100.3', port: 40002, previous: '198.51.100.1:40000' },
    'SIP UDP public mapping (sip:1001@pbx) from keep-alive: 198.51.100.3:40002 (was 198.51.100.1:40000)'],
  [echoAdviceEvent({ input: 'MacBook Pro Microphone', output: 'MacBook Pro Speakers', echoRemovedDb: 2.5 }),
    'notice: echo stays high: the microphone (MacBook Pro Microphone) and the speaker (MacBook Pro Speakers) are separate devices; use a headset, or one device for both'],
  [{ event: 'error', message: 'usage: dtmf DIGITS' }, 'error: usage: dtmf DIGITS'],
];

test('--json: each event is one line holding exactly that event', () => {
  const lines: string[] = [];
  const out = createOutput(true, (l) => lines.push(l));
  for (const [event] of table) out(event);
  assert.equal(lines.length, table.length);
  assert.ok(lines.every((l) => !l.includes('\n')), 'one line per event');
  assert.deepEqual(lines.map((l) => JSON.parse(l) as unknown), table.map(([e]) => JSON.parse(JSON.stringify(e)) as unknown));
});

test('human output: one short line per event, as the table says', () => {
  for (const [event, expected] of table) {
    const lines: string[] = [];
    createOutput(false, (l) => lines.push(l))(event);
    assert.deepEqual(lines, [expected], event.event);
  }
});

test('echo-advice (issue 17): both device names, the canceller\'s figure and the advice', () => {
  assert.deepEqual(echoAdviceEvent({ input: 'USB Mic', output: 'Speakers', echoRemovedDb: 3.1 }), {
    event: 'echo-advice', input: 'USB Mic', output: 'Speakers', echoRemovedDb: 3.1,
    message: 'echo stays high: the microphone (USB Mic) and the speaker (Speakers) are separate devices; use a headset, or one device for both',
  });
});
