/** The call's media path in words (issue 13): from CallIceStats to what the call card shows. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallIceStats, IceCandidateInfo } from '../../../src-main/contract/calls.js';
import { applyIce, initialCalls } from '../../../src-renderer/features/calls/calls-model.js';
import { mediaPath } from '../../../src-renderer/features/calls/media-path.js';
import { snapshot } from './support.js';

const cand = (type: IceCandidateInfo['type'], address: string, port: number): IceCandidateInfo => ({ type, address, port, priority: 1, foundation: type });
const ice = (over: Partial<CallIceStats> = {}): CallIceStats => ({
  mode: 'ice', state: 'completed', role: 'controlling', checksSent: 4, consentChecks: 0,
  localCandidates: [cand('host', '10.0.0.2', 4000), cand('srflx', '203.0.113.5', 51000)], remoteCandidates: [cand('host', '198.51.100.9', 5000)],
  ...over,
});

describe('renderer: media path', () => {
  it('no ICE stats, or a peer without ICE: "No ICE" (with where the media goes)', () => {
    assert.deepEqual(mediaPath(undefined), { kind: 'no-ice' });
    const fixed = mediaPath(ice({ mode: 'fixed-host', remote: { address: '198.51.100.9', port: 5000 } }));
    assert.equal(fixed.kind, 'no-ice');
    assert.equal(fixed.remote?.address, '198.51.100.9:5000');
  });

  it('host to host: Direct; a reflexive end: Direct (through NAT)', () => {
    const direct = mediaPath(ice({ selectedPair: { local: cand('host', '10.0.0.2', 4000), remote: cand('host', '198.51.100.9', 5000) } }));
    assert.equal(direct.kind, 'direct');
    assert.deepEqual([direct.local, direct.remote], [{ type: 'host', address: '10.0.0.2:4000' }, { type: 'host', address: '198.51.100.9:5000' }]);
    assert.equal(direct.state, 'completed');
    assert.deepEqual(direct.candidates, { local: 2, remote: 1 });
    assert.equal(mediaPath(ice({ selectedPair: { local: cand('srflx', '203.0.113.5', 51000), remote: cand('host', '198.51.100.9', 5000) } })).kind, 'direct-nat');
    assert.equal(mediaPath(ice({ selectedPair: { local: cand('host', '10.0.0.2', 4000), remote: cand('prflx', '198.51.100.9', 5000) } })).kind, 'direct-nat');
  });

  it('our relayed candidate: Relayed with our TURN transport; only theirs: the other side\'s TURN server', () => {
    const turn = { state: 'allocated', transport: 'tls', refreshes: 0, permissions: 1, channels: 1, packetsSent: 10, packetsReceived: 10 };
    const relayed = mediaPath(ice({ turn, selectedPair: { local: cand('relay', '192.0.2.10', 49152), remote: cand('host', '2001:db8::9', 5000) } }));
    assert.equal(relayed.kind, 'relayed');
    assert.equal(relayed.transport, 'TLS');
    assert.equal(relayed.remote?.address, '[2001:db8::9]:5000', 'IPv6 in brackets');
    const theirs = mediaPath(ice({ selectedPair: { local: cand('host', '10.0.0.2', 4000), remote: cand('relay', '192.0.2.20', 49160) } }));
    assert.equal(theirs.kind, 'relayed-remote');
    assert.equal(theirs.transport, undefined);
  });

  it('ICE off with a TURN server (a fixed relay): Relayed, the relayed address ours', () => {
    const p = mediaPath(ice({ mode: 'fixed-relay', remote: { address: '198.51.100.9', port: 5000 },
      turn: { state: 'allocated', transport: 'tcp', relayed: '192.0.2.10:49152', refreshes: 0, permissions: 1, channels: 0, packetsSent: 1, packetsReceived: 1 } }));
    assert.deepEqual(p, { kind: 'relayed', transport: 'TCP', remote: { type: undefined, address: '198.51.100.9:5000' }, local: { type: 'relay', address: '192.0.2.10:49152' } });
  });

  it('no pair yet: Finding a path; ICE failed: No path found', () => {
    assert.equal(mediaPath(ice({ mode: 'pending', state: 'new' })).kind, 'connecting');
    assert.equal(mediaPath(ice({ state: 'checking' })).kind, 'connecting');
    assert.equal(mediaPath(ice({ state: 'failed' })).kind, 'failed');
  });

  it('a polled snapshot updates only `ice` of live calls', () => {
    const live = snapshot({ id: 'c1', muted: false, ice: ice({ state: 'checking' }) });
    const model = { ...initialCalls, live: [live] };
    const fresh = snapshot({ id: 'c1', muted: true, state: 'held', ice: ice({ state: 'completed' }) });
    const next = applyIce(model, [fresh, snapshot({ id: 'gone', ice: ice() })]);
    assert.equal(next.live.length, 1, 'no call added');
    assert.equal(next.live[0]!.ice?.state, 'completed');
    assert.equal(next.live[0]!.state, 'active', 'the state comes from events, not the poll');
    assert.equal(applyIce(model, [snapshot({ id: 'other', ice: ice() })]), model, 'nothing to take: the same model');
  });
});
