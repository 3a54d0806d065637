import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { TestClock } from '../../support/test-clock.js';
import { NetworkWatch, addressFingerprint } from '../../../src-main/util/network-watch.js';

const iface = (address: string, internal = false): NetworkInterfaceInfo => ({
  address, netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal, cidr: null,
});

describe('NetworkWatch', () => {
  it('ignores loopback and order, sees external address changes', () => {
    assert.equal(addressFingerprint({ lo: [iface('127.0.0.1', true)], a: [iface('10.0.0.2')], b: [iface('10.0.0.1')] }),
      'IPv4:10.0.0.1,IPv4:10.0.0.2');
  });

  it('fires once per change, on the next poll', () => {
    const clock = new TestClock();
    let current: Record<string, NetworkInterfaceInfo[]> = { eth0: [iface('192.0.2.10')] };
    let changes = 0;
    const watch = new NetworkWatch(clock, () => changes++, 3000, () => current);
    watch.start();
    clock.advance(9000);
    assert.equal(changes, 0, 'no change, no event');
    current = { wlan0: [iface('198.51.100.7')] };
    clock.advance(2999);
    assert.equal(changes, 0, 'not before the poll');
    clock.advance(1);
    assert.equal(changes, 1);
    clock.advance(30_000);
    assert.equal(changes, 1, 'the same network again is no change');
    current = {};
    clock.advance(3000);
    assert.equal(changes, 2, 'losing the network is a change too');
    watch.stop();
    assert.equal(clock.pending, 0);
  });

  it('reports a resume from sleep: the wall clock jumped more than 30 s past the monotonic one', () => {
    const clock = new TestClock();
    let wall = 1_000_000;
    const reasons: string[] = [];
    const watch = new NetworkWatch(clock, (r) => reasons.push(r), 3000, () => ({}), () => wall);
    watch.start();
    wall += 3000;
    clock.advance(3000);
    assert.deepEqual(reasons, [], 'a normal tick');
    wall += 3000 + 20_000;
    clock.advance(3000);
    assert.deepEqual(reasons, [], 'a 20 s wall-clock step (NTP) is not sleep');
    wall += 3000 + 3_600_000;
    clock.advance(3000);
    assert.deepEqual(reasons, ['resume']);
    watch.stop();
  });
  it('polls every idleIntervalMs while idle and every intervalMs while busy (calls up)', () => {
    const clock = new TestClock();
    let polls = 0;
    const watch = new NetworkWatch(clock, () => {}, 3000, () => (polls++, {}), () => clock.now(), 15_000);
    polls = 0;
    watch.start();
    clock.advance(30_000);
    assert.equal(polls, 2, 'idle: every 15 s');
    clock.advance(1000);
    watch.setBusy(true);
    clock.advance(3000);
    assert.equal(polls, 3, 'a call: the next poll within 3 s');
    clock.advance(9000);
    assert.equal(polls, 6, 'then every 3 s');
    watch.setBusy(false);
    clock.advance(3000);
    assert.equal(polls, 7, 'the poll already due');
    clock.advance(14_999);
    assert.equal(polls, 7);
    clock.advance(1);
    assert.equal(polls, 8, 'then every 15 s again');
    watch.stop();
    assert.equal(clock.pending, 0);
  });
});
