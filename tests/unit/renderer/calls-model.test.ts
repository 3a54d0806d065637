import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyCall, applyState, applyTransfer, dialledCallId, type CallsModel, expire, initialCalls, nextExpiry, startConsultation, visibleCalls,
} from '../../../src-renderer/features/calls/calls-model.js';
import { snapshot } from './support.js';

describe('renderer: calls slice', () => {
  it('adds and updates live calls from call events', () => {
    let m = applyCall(initialCalls, snapshot({ state: 'calling', progress: 'calling' }), 0);
    m = applyCall(m, snapshot({ state: 'active' }), 10);
    assert.equal(m.live.length, 1);
    assert.equal(m.live[0]!.state, 'active');
  });

  it('keeps an ended call on screen for a while (longer when it failed), then drops it', () => {
    let m = applyCall(initialCalls, snapshot(), 0);
    m = applyCall(m, snapshot({ state: 'ended', cause: 'busy', status: 486 }), 1000);
    assert.equal(m.live.length, 0);
    assert.equal(visibleCalls(m)[0]!.state, 'ended');
    const until = nextExpiry(m)!;
    assert.ok(until >= 1000 + 5000);
    assert.equal(expire(m, until - 1).ended.length, 1);
    assert.equal(expire(m, until).ended.length, 0);
  });

  it('takes the core state as the truth (reload, reconnect), ending calls it no longer has', () => {
    let m = applyCall(initialCalls, snapshot({ id: 'gone' }), 0);
    m = applyState(m, { calls: [snapshot({ id: 'c2', state: 'held' })], muted: true, dnd: false }, 5);
    assert.deepEqual(m.live.map((c) => c.id), ['c2']);
    assert.equal(m.muted, true);
    assert.deepEqual(m.ended.map((e) => [e.call.id, e.call.state]), [['gone', 'ended']]);
    const again = applyState(m, { calls: [snapshot({ id: 'c2', state: 'held' })], muted: true, dnd: false }, 6);
    assert.equal(again.ended.length, 1, 'an ended call is not ended twice');
  });

  it('forgets the consultation and transfer progress of a call that ends', () => {
    let m = applyCall(initialCalls, snapshot({ id: 'a', state: 'held' }), 0);
    m = applyCall(m, snapshot({ id: 'b' }), 0);
    m = startConsultation(m, { heldId: 'a', consultId: 'b' });
    m = applyTransfer(m, 'a', { status: 'trying', sipfrag: undefined });
    m = applyCall(m, snapshot({ id: 'b', state: 'ended', cause: 'remote-hangup' }), 1);
    assert.equal(m.consultation, undefined);
    m = applyCall(m, snapshot({ id: 'a', state: 'ended', cause: 'local-hangup' }), 2);
    assert.deepEqual(m.transfers, {});
  });

  it('drops levels when no call is left', () => {
    const m: CallsModel = { ...applyCall(initialCalls, snapshot(), 0), levels: { inputDb: -20, outputDb: -30 } };
    assert.equal(applyState(m, { calls: [], muted: false, dnd: false }, 1).levels, undefined);
  });

  it('reads the new call id from a dial reply', () => {
    assert.equal(dialledCallId('c9'), 'c9');
    assert.equal(dialledCallId({ callId: 'c9' }), 'c9');
    assert.equal(dialledCallId({ id: 'c9' }), 'c9');
    assert.equal(dialledCallId(undefined), undefined);
  });
});
