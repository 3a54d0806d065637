import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MonitoredEntry, MwiState, PresenceSnapshot } from '../../../src-main/contract/presence.js';
import {
  applyLamp, applyMwi, applyPeerPresence, applySnapshot, initialPresence, lampAction, lampPresence, numberIsUri, partyName, removeWatched,
  shownMwi, shownStatus, watchedFor,
} from '../../../src-renderer/features/presence/presence-model.js';
import { usePresenceStore } from '../../../src-renderer/features/presence/presence-store.js';

const entry = (uri: string, over: Partial<MonitoredEntry> = {}): MonitoredEntry => ({ uri, lamp: 'idle', presence: undefined, pickup: 'none', ...over });
const snap = (monitored: MonitoredEntry[], mwi: MwiState[] = []): PresenceSnapshot => ({
  own: { status: 'available', note: undefined, onThePhone: false }, monitored, mwi,
});
const mwi = (account: string, over: Partial<MwiState> = {}): MwiState => ({ account, waiting: false, new: 0, old: 0, voicemail: undefined, ...over });

describe('renderer: busy lamps', () => {
  it('applies lamp and presence events in place: the panel keeps its order', () => {
    let m = applySnapshot(initialPresence, snap([entry('sip:1002@pbx'), entry('sip:1003@pbx')]));
    m = applyLamp(m, 'sip:1002@pbx', 'ringing');
    m = applyLamp(m, 'sip:1002@pbx', 'busy');
    m = applyPeerPresence(m, 'sip:1003@pbx', { status: 'away', note: 'Lunch', onThePhone: false });
    assert.deepEqual(m.monitored.map((e) => [e.uri, e.lamp, e.presence?.status]), [['sip:1002@pbx', 'busy', undefined], ['sip:1003@pbx', 'idle', 'away']]);
    assert.ok(m.loaded);
  });

  it('an event for a colleague the snapshot has not listed yet adds them at the end; removing drops them', () => {
    let m = applySnapshot(initialPresence, snap([entry('sip:1002@pbx')]));
    m = applyLamp(m, 'sip:1009@pbx', 'idle');
    assert.deepEqual(m.monitored.map((e) => e.uri), ['sip:1002@pbx', 'sip:1009@pbx']);
    assert.equal(m.monitored[1]!.pickup, 'none');
    m = removeWatched(m, 'sip:1002@pbx');
    assert.deepEqual(m.monitored.map((e) => e.uri), ['sip:1009@pbx']);
  });

  it('a ringing lamp picks up, any other calls', () => {
    assert.equal(lampAction({ lamp: 'ringing' }), 'pickup');
    for (const lamp of ['idle', 'busy', 'unknown'] as const) assert.equal(lampAction({ lamp }), 'call');
  });

  it('shows on-the-phone as busy unless a stronger status was chosen', () => {
    assert.equal(shownStatus(undefined), undefined);
    assert.equal(shownStatus({ status: 'available', note: undefined, onThePhone: true }), 'busy');
    assert.equal(shownStatus({ status: 'dnd', note: undefined, onThePhone: true }), 'dnd');
    assert.equal(shownStatus({ status: 'offline', note: undefined, onThePhone: false }), 'offline');
  });

  it('a lamp row shows presence only where it adds to the lamp', () => {
    const p = (status: 'available' | 'away' | 'busy' | 'dnd', note?: string, onThePhone = false) => ({ status, note, onThePhone });
    assert.deepEqual(lampPresence('idle', undefined), { dot: undefined, word: undefined, note: undefined });
    assert.deepEqual(lampPresence('idle', p('available')), { dot: 'available', word: undefined, note: undefined });
    assert.deepEqual(lampPresence('idle', p('away', 'Back at 3')), { dot: 'away', word: 'away', note: 'Back at 3' });
    assert.deepEqual(lampPresence('busy', p('available', 'On the phone', true)), { dot: 'busy', word: undefined, note: undefined });
    assert.deepEqual(lampPresence('idle', p('dnd', undefined, false)), { dot: 'dnd', word: 'dnd', note: undefined });
    assert.deepEqual(lampPresence('idle', p('available', 'Working from home')), { dot: 'available', word: undefined, note: 'Working from home' });
  });

  it('the store applies the same events', () => {
    const s = usePresenceStore.getState();
    s.applySnapshot(snap([entry('sip:1002@pbx')]));
    s.applyLamp('sip:1002@pbx', 'ringing');
    s.setNames({ 'sip:1002@pbx': 'Alice Martin', 'sip:1003@pbx': undefined });
    assert.equal(usePresenceStore.getState().monitored[0]!.lamp, 'ringing');
    assert.deepEqual(usePresenceStore.getState().names, { 'sip:1002@pbx': 'Alice Martin' });
  });
});

describe('renderer: which colleague a number is', () => {
  it('matches extensions and phone numbers by digits, SIP addresses by user and host', () => {
    assert.ok(numberIsUri('1002', 'sip:1002@pbx.example.com'));
    assert.ok(numberIsUri('+33 6 12 34 56 78', 'sip:+33612345678@pbx.example.com'));
    assert.ok(numberIsUri('sip:alice@PBX.example.com', 'sip:alice@pbx.example.com:5060'));
    assert.ok(numberIsUri('alice@pbx.example.com', 'sip:alice@pbx.example.com'));
    assert.ok(!numberIsUri('sip:alice@pbx.example.com:5070', 'sip:alice@pbx.example.com:5060'), 'ports that differ');
    assert.ok(!numberIsUri('1002', 'sip:10020@pbx.example.com'));
    assert.ok(!numberIsUri('sip:bob@pbx.example.com', 'sip:alice@pbx.example.com'));
    assert.ok(!numberIsUri('', 'sip:1002@pbx'));
  });

  it('finds the watched entry for any of a contact’s numbers', () => {
    const monitored = [entry('sip:1002@pbx'), entry('sip:1003@pbx', { presence: { status: 'away', note: undefined, onThePhone: false } })];
    assert.equal(watchedFor(['+33 1 23 45 67 89', '1003'], monitored)?.uri, 'sip:1003@pbx');
    assert.equal(watchedFor(['1009'], monitored), undefined);
  });

  it('names a colleague by contact, else display name, else extension', () => {
    assert.equal(partyName('sip:1002@pbx', { 'sip:1002@pbx': 'Alice Martin' }, 'Reception'), 'Alice Martin');
    assert.equal(partyName('sip:1002@pbx', {}, 'Reception'), 'Reception');
    assert.equal(partyName('sip:1002@pbx:5060', {}), '1002');
  });
});

describe('renderer: voicemail indicator', () => {
  it('shows the dialling account’s mailbox, else one with messages, else nothing', () => {
    const states = [mwi('a1', { voicemail: 'sip:*97@pbx' }), mwi('a2', { waiting: true, new: 2, old: 5 })];
    assert.equal(shownMwi(states, 'a1')?.account, 'a1');
    assert.equal(shownMwi(states, 'a3')?.account, 'a2');
    assert.equal(shownMwi([mwi('a1')], 'a1'), undefined, 'no voicemail number and nothing waiting: nothing to show');
    let m = applyMwi(initialPresence, mwi('a1', { new: 1, waiting: true }));
    m = applyMwi(m, mwi('a1', { new: 3, waiting: true }));
    assert.deepEqual(m.mwi.map((s) => s.new), [3]);
  });
});
