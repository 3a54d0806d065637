/** Snapshots for the renderer's tests. */
import type { CallSnapshot } from '../../../src-main/contract/calls.js';

export function snapshot(over: Partial<CallSnapshot> = {}): CallSnapshot {
  return {
    id: 'c1', account: 'a1', direction: 'outgoing', state: 'active', progress: 'confirmed',
    peer: { uri: 'sip:1002@pbx.example.com', displayName: undefined },
    startedAt: 1000, answeredAt: 2000, endedAt: undefined, codec: 'opus', muted: false, onHold: false,
    remoteHold: false, quality: undefined, cause: undefined, status: undefined, reason: undefined,
    ...over,
  };
}
