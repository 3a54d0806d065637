import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CallSnapshot, CallState } from '../../../src-main/contract/calls.js';
import type { PhoneEvent } from '../../../src-main/contract/channels.js';
import {
  initialIncomingState, nextIncoming, ringingCallOf,
  type IncomingAction, type IncomingInput, type IncomingState, type MainWindowFacts,
} from '../../../src-main/app/incoming-policy.js';

function call(id: string, state: CallState, direction: 'incoming' | 'outgoing' = 'incoming', displayName?: string): CallSnapshot {
  return {
    id, account: 'acc-1', direction, state, progress: state === 'incoming' ? 'ringing' : 'confirmed',
    peer: { uri: `sip:${id}00@pbx.example.com`, displayName }, startedAt: 0, answeredAt: undefined, endedAt: undefined,
    codec: undefined, muted: false, onHold: false, remoteHold: false, quality: undefined, cause: undefined, status: undefined, reason: undefined,
  };
}

const hidden: MainWindowFacts = { visible: false, focused: false };
const behind: MainWindowFacts = { visible: true, focused: false };
const inFront: MainWindowFacts = { visible: true, focused: true };
/** Focused but minimised (or hidden): the user cannot see it. */
const focusedHidden: MainWindowFacts = { visible: false, focused: true };

const ev = (event: PhoneEvent, main: MainWindowFacts): IncomingInput => ({ type: 'phone-event', event, main });
const callEvent = (snapshot: CallSnapshot, main: MainWindowFacts) => ev({ type: 'call', call: snapshot }, main);
const win = (main: MainWindowFacts): IncomingInput => ({ type: 'main-window', main });

/** Runs inputs in order; returns every step's actions and the final state. */
function run(inputs: IncomingInput[], from: IncomingState = initialIncomingState) {
  let state = from;
  const steps: IncomingAction[][] = [];
  for (const input of inputs) {
    const next = nextIncoming(state, input);
    state = next.state;
    steps.push(next.actions);
  }
  return { state, steps };
}

const notifyA = { type: 'notify', call: ringingCallOf(call('a', 'incoming')) } as const;

describe('incoming-call policy', () => {
  const table: Array<{ name: string; inputs: IncomingInput[]; steps: IncomingAction[][] }> = [
    {
      name: 'a call rings while the main window is hidden: prompt, notification, flash',
      inputs: [callEvent(call('a', 'incoming'), hidden)],
      steps: [[notifyA, { type: 'show-prompt' }, { type: 'flash', on: true }]],
    },
    {
      name: 'a call rings while the main window is behind another app: the same',
      inputs: [callEvent(call('a', 'incoming'), behind)],
      steps: [[notifyA, { type: 'show-prompt' }, { type: 'flash', on: true }]],
    },
    {
      name: 'a call rings while the user works in the main window: it shows the call itself',
      inputs: [callEvent(call('a', 'incoming'), inFront)],
      steps: [[]],
    },
    {
      name: 'a minimised main window counts as hidden even if it holds focus',
      inputs: [callEvent(call('a', 'incoming'), focusedHidden)],
      steps: [[notifyA, { type: 'show-prompt' }, { type: 'flash', on: true }]],
    },
    {
      name: 'answered: prompt hides, notification is withdrawn, flashing stops',
      inputs: [callEvent(call('a', 'incoming'), hidden), callEvent(call('a', 'active'), hidden)],
      steps: [
        [notifyA, { type: 'show-prompt' }, { type: 'flash', on: true }],
        [{ type: 'withdraw-notification', callId: 'a' }, { type: 'hide-prompt' }, { type: 'flash', on: false }],
      ],
    },
    {
      name: 'cancelled by the caller (ended): the same',
      inputs: [callEvent(call('a', 'incoming'), behind), callEvent(call('a', 'ended'), behind)],
      steps: [
        [notifyA, { type: 'show-prompt' }, { type: 'flash', on: true }],
        [{ type: 'withdraw-notification', callId: 'a' }, { type: 'hide-prompt' }, { type: 'flash', on: false }],
      ],
    },
    {
      name: 'repeated snapshots of the same ringing call notify once',
      inputs: [callEvent(call('a', 'incoming'), hidden), callEvent(call('a', 'incoming'), hidden), ev({ type: 'calls', state: { calls: [call('a', 'incoming')], muted: false, dnd: false } }, hidden)],
      steps: [[notifyA, { type: 'show-prompt' }, { type: 'flash', on: true }], [], []],
    },
    {
      name: 'the user focuses the main window while it rings: prompt and flash go, the notification stays until the call stops ringing',
      inputs: [callEvent(call('a', 'incoming'), behind), win(inFront), callEvent(call('a', 'active'), inFront)],
      steps: [
        [notifyA, { type: 'show-prompt' }, { type: 'flash', on: true }],
        [{ type: 'hide-prompt' }, { type: 'flash', on: false }],
        [{ type: 'withdraw-notification', callId: 'a' }],
      ],
    },
    {
      name: 'the user switches away again while it still rings: the prompt comes back (no second notification)',
      inputs: [callEvent(call('a', 'incoming'), behind), win(inFront), win(behind)],
      steps: [
        [notifyA, { type: 'show-prompt' }, { type: 'flash', on: true }],
        [{ type: 'hide-prompt' }, { type: 'flash', on: false }],
        [{ type: 'show-prompt' }, { type: 'flash', on: true }],
      ],
    },
    {
      name: 'main-window changes with nothing ringing do nothing',
      inputs: [win(inFront), win(hidden), win(behind)],
      steps: [[], [], []],
    },
    {
      name: 'outgoing calls never raise the prompt',
      inputs: [callEvent(call('o', 'calling', 'outgoing'), hidden), callEvent(call('o', 'early', 'outgoing'), hidden), callEvent(call('o', 'active', 'outgoing'), hidden)],
      steps: [[], [], []],
    },
    {
      name: 'call waiting: a second call rings during the first; the prompt stays until both stop ringing',
      inputs: [
        callEvent(call('a', 'active'), behind),
        callEvent(call('b', 'incoming'), behind),
        callEvent(call('c', 'incoming'), behind),
        callEvent(call('b', 'ended'), behind),
        callEvent(call('c', 'active'), behind),
      ],
      steps: [
        [],
        [{ type: 'notify', call: ringingCallOf(call('b', 'incoming')) }, { type: 'show-prompt' }, { type: 'flash', on: true }],
        [{ type: 'notify', call: ringingCallOf(call('c', 'incoming')) }],
        [{ type: 'withdraw-notification', callId: 'b' }],
        [{ type: 'withdraw-notification', callId: 'c' }, { type: 'hide-prompt' }, { type: 'flash', on: false }],
      ],
    },
    {
      name: 'a full calls list without the ringing call (e.g. after a reload of state) ends its prompt',
      inputs: [callEvent(call('a', 'incoming'), hidden), ev({ type: 'calls', state: { calls: [], muted: false, dnd: false } }, hidden)],
      steps: [
        [notifyA, { type: 'show-prompt' }, { type: 'flash', on: true }],
        [{ type: 'withdraw-notification', callId: 'a' }, { type: 'hide-prompt' }, { type: 'flash', on: false }],
      ],
    },
    {
      name: 'other events leave everything as it is',
      inputs: [callEvent(call('a', 'incoming'), hidden), ev({ type: 'levels', inputDb: -20, outputDb: -20 }, hidden), ev({ type: 'notice', message: 'x' }, hidden)],
      steps: [[notifyA, { type: 'show-prompt' }, { type: 'flash', on: true }], [], []],
    },
  ];

  for (const row of table) {
    it(row.name, () => assert.deepEqual(run(row.inputs).steps, row.steps));
  }

  it('keeps ringing calls in the order they started', () => {
    const { state } = run([callEvent(call('b', 'incoming'), hidden), callEvent(call('a', 'incoming'), hidden)]);
    assert.deepEqual(state.ringing.map((c) => c.id), ['b', 'a']);
  });

  it('names the caller by display name, else the number', () => {
    assert.equal(ringingCallOf(call('a', 'incoming', 'incoming', ' Alice Martin ')).caller, 'Alice Martin');
    assert.equal(ringingCallOf(call('a', 'incoming')).caller, 'a00');
    assert.equal(ringingCallOf({ ...call('t', 'incoming'), peer: { uri: 'tel:+33142685300', displayName: undefined } }).caller, '+33142685300');
  });
});
