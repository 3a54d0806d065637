import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  endReason, formatElapsed, isCurrent, levelFraction, lingerMs, peerLabel, qualityLevel, statusKey, uriUser,
} from '../../../src-renderer/features/calls/call-view.js';
import { snapshot } from './support.js';

describe('renderer: how a call reads', () => {
  it('maps every call state to one of the stable status words', () => {
    const cases: [Partial<Parameters<typeof snapshot>[0]>, string][] = [
      [{ state: 'calling', progress: 'calling' }, 'calling'],
      [{ state: 'calling', progress: 'ringing' }, 'ringing'],
      [{ state: 'early', progress: 'early' }, 'ringing'],
      [{ state: 'incoming', direction: 'incoming', progress: 'ringing' }, 'ringing'],
      [{ state: 'active' }, 'connected'],
      [{ state: 'held', onHold: true }, 'onHold'],
      [{ state: 'remote-held', remoteHold: true }, 'heldByRemote'],
      [{ state: 'transferring' }, 'transferring'],
      [{ state: 'conference' }, 'conference'],
      [{ state: 'ended', progress: 'ended' }, 'ended'],
    ];
    for (const [over, key] of cases) assert.equal(statusKey(snapshot(over)), key, JSON.stringify(over));
  });

  it('names the peer by display name, else by number', () => {
    assert.equal(peerLabel(snapshot()), '1002');
    assert.equal(peerLabel(snapshot({ peer: { uri: 'sip:1002@x', displayName: ' Alice Martin ' } })), 'Alice Martin');
    assert.equal(uriUser('sip:%2B331234@x;user=phone'), '+331234');
    assert.equal(uriUser('sip:pbx.example.com'), 'pbx.example.com');
    assert.equal(uriUser('tel:+331234'), '+331234');
  });

  it('tells why a call failed, not why it ended normally', () => {
    const ended = (over: Partial<Parameters<typeof snapshot>[0]>) => endReason(snapshot({ state: 'ended', ...over }));
    assert.deepEqual(ended({ cause: 'busy', status: 486, reason: 'Busy Here' }), { key: 'busy', status: undefined, reason: 'Busy Here' });
    assert.equal(ended({ cause: 'rejected', status: 488 })?.status, 488);
    assert.equal(ended({ cause: 'not-found' })?.status, 404);
    assert.equal(ended({ cause: 'remote-hangup' }), undefined);
    assert.equal(ended({ cause: 'local-hangup' }), undefined);
    assert.equal(ended({ cause: 'cancelled', direction: 'incoming', answeredAt: undefined })?.key, 'missed');
    assert.equal(ended({ cause: 'cancelled', direction: 'outgoing' }), undefined);
    assert.equal(ended({ cause: 'media-failure' })?.key, 'failed');
    assert.equal(endReason(snapshot({ cause: 'busy' })), undefined, 'only ended calls');
    assert.ok(lingerMs(snapshot({ state: 'ended', cause: 'busy' })) > lingerMs(snapshot({ state: 'ended', cause: 'remote-hangup' })));
  });

  it('the current call is the one talking or being placed, never one ringing in or held', () => {
    assert.ok(isCurrent(snapshot({ state: 'active' })));
    assert.ok(isCurrent(snapshot({ state: 'calling' })));
    assert.ok(!isCurrent(snapshot({ state: 'incoming' })));
    assert.ok(!isCurrent(snapshot({ state: 'held' })));
  });

  it('grades quality by MOS, loss and jitter', () => {
    const q = { codec: 'opus', rttMs: 20 };
    assert.equal(qualityLevel({ ...q, mos: 4.3, lossPercent: 0, jitterMs: 4 }), 'good');
    assert.equal(qualityLevel({ ...q, mos: 4.3, lossPercent: 2, jitterMs: 4 }), 'fair');
    assert.equal(qualityLevel({ ...q, mos: 3.8, lossPercent: 0, jitterMs: 10 }), 'fair');
    assert.equal(qualityLevel({ ...q, mos: 3.1, lossPercent: 8, jitterMs: 90 }), 'poor');
  });

  it('formats timers and levels', () => {
    assert.equal(formatElapsed(0), '0:00');
    assert.equal(formatElapsed(61_900), '1:01');
    assert.equal(formatElapsed(3_723_000), '1:02:03');
    assert.equal(formatElapsed(-5), '0:00');
    assert.equal(levelFraction(-100), 0);
    assert.equal(levelFraction(-30), 0.5);
    assert.equal(levelFraction(3), 1);
    assert.equal(levelFraction(Number.NaN), 0);
  });
});

describe('renderer: caller identification', () => {
  it('names a call after the matched contact, then the display name, and shows the number under it', async () => {
    const { peerAddress, peerLabel } = await import('../../../src-renderer/features/calls/call-view.js');
    const call = snapshot({ peer: { uri: 'sip:0612345678@pbx.example.com', displayName: 'CALLER' } });
    assert.equal(peerLabel({ ...call, contact: { id: 3, name: 'Jean Dupont' } }), 'Jean Dupont');
    assert.equal(peerAddress({ ...call, contact: { id: 3, name: 'Jean Dupont' } }), '0612345678');
    assert.equal(peerLabel(call), 'CALLER');
    assert.equal(peerAddress(snapshot({ peer: { uri: 'sip:1002@pbx', displayName: undefined } })), undefined);
  });
});
