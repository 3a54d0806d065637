import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceGate, type DeviceEngine } from '../../../src-main/core/device-gate.js';
import type { DeviceSelection } from '../../../src-main/media/engine/protocol.js';

/** An engine that records what the gate asks of it. */
function fakeEngine() {
  const calls: string[] = [];
  const engine: DeviceEngine = {
    openDevices: async (sel: DeviceSelection) => { calls.push(`open ${sel.output ?? 'default'}`); },
    closeDevices: async () => { calls.push('close'); },
  };
  return { calls, engine };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('DeviceGate: device choices apply from the next call', () => {
  it('a call right after the last one reuses the lingering devices when the choice is unchanged', async () => {
    const { calls, engine } = fakeEngine();
    const selection: DeviceSelection = { kind: 'portaudio', output: 'Headset' };
    const gate = new DeviceGate(() => engine, () => selection, () => {}, 60_000);
    await gate.acquire();
    gate.release();
    await gate.acquire();
    await settle();
    assert.deepEqual(calls, ['open Headset']);
  });

  it('a choice changed while the devices linger: the next call reopens them with it', async () => {
    const { calls, engine } = fakeEngine();
    let selection: DeviceSelection = { kind: 'portaudio', output: 'Headset' };
    const gate = new DeviceGate(() => engine, () => selection, () => {}, 60_000);
    await gate.acquire();
    gate.release();
    selection = { kind: 'portaudio', output: 'Speakers' };
    await gate.acquire();
    await settle();
    assert.deepEqual(calls, ['open Headset', 'close', 'open Speakers']);
  });

  it('a choice changed during a call does not touch that call\'s devices', async () => {
    const { calls, engine } = fakeEngine();
    let selection: DeviceSelection = { kind: 'portaudio', output: 'Headset' };
    const gate = new DeviceGate(() => engine, () => selection, () => {}, 60_000);
    await gate.acquire();
    selection = { kind: 'portaudio', output: 'Speakers' };
    await gate.acquire(); // a second call while the first is up
    await settle();
    assert.deepEqual(calls, ['open Headset']);
  });
});
