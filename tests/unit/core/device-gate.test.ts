import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DeviceGate, type DeviceEngine } from '../../../src-main/core/device-gate.js';
import type { DeviceSelection } from '../../../src-main/media/engine/protocol.js';
import type { ProcessingSettings } from '../../../src-main/media/processing/capture-processor.js';

/** An engine that records what the gate asks of it. */
function fakeEngine() {
  const calls: string[] = [];
  const engine: DeviceEngine = {
    openDevices: async (sel: DeviceSelection) => { calls.push(`open ${sel.output ?? 'default'}${sel.processing ? ` ${processingText(sel.processing)}` : ''}`); },
    closeDevices: async () => { calls.push('close'); },
    setProcessing: async (p: ProcessingSettings) => { calls.push(`set-processing ${processingText(p)}`); },
  };
  return { calls, engine };
}

const processingText = (p: ProcessingSettings) => `aec ${p.aec ? 'on' : 'off'} ns ${p.ns} agc ${p.agc ? 'on' : 'off'}`;

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

describe('DeviceGate: a microphone processing change reaches the open devices at once (issue 17)', () => {
  const on: ProcessingSettings = { aec: true, ns: 'low', agc: true };
  const aecOff: ProcessingSettings = { aec: false, ns: 'low', agc: true };

  /** A gate over a selection whose processing the test changes, as Settings does. */
  function gateWith(initial: DeviceSelection) {
    const { calls, engine } = fakeEngine();
    const notices: string[] = [];
    let selection = initial;
    const gate = new DeviceGate(() => engine, () => selection, (m) => notices.push(m), 60_000);
    return { calls, notices, gate, engine, select: (next: DeviceSelection) => { selection = next; } };
  }

  it('during a call: the new processing goes to the engine, the devices stay open', async () => {
    const { calls, gate, select } = gateWith({ kind: 'portaudio', output: 'Headset', processing: on });
    await gate.acquire();
    select({ kind: 'portaudio', output: 'Headset', processing: aecOff });
    await gate.applyProcessing();
    assert.deepEqual(calls, ['open Headset aec on ns low agc on', 'set-processing aec off ns low agc on']);
  });

  it('a device choice alone sends nothing (it waits for the next call); the same processing twice is sent once', async () => {
    const { calls, gate, select } = gateWith({ kind: 'portaudio', output: 'Headset', processing: on });
    await gate.acquire();
    select({ kind: 'portaudio', output: 'Speakers', processing: on });
    await gate.applyProcessing();
    select({ kind: 'portaudio', output: 'Speakers', processing: aecOff });
    await Promise.all([gate.applyProcessing(), gate.applyProcessing()]);
    assert.deepEqual(calls, ['open Headset aec on ns low agc on', 'set-processing aec off ns low agc on']);
  });

  it('with the devices closed nothing is sent; the next call opens them with the new processing', async () => {
    const { calls, gate, select } = gateWith({ kind: 'portaudio', processing: on });
    select({ kind: 'portaudio', processing: aecOff });
    await gate.applyProcessing();
    assert.deepEqual(calls, []);
    await gate.acquire();
    assert.deepEqual(calls, ['open default aec off ns low agc on']);
  });

  it('lingering devices take the change and the next call reuses them (no reopening)', async () => {
    const { calls, gate, select } = gateWith({ kind: 'portaudio', processing: on });
    await gate.acquire();
    gate.release();
    select({ kind: 'portaudio', processing: aecOff });
    await gate.applyProcessing();
    await gate.acquire();
    await settle();
    assert.deepEqual(calls, ['open default aec on ns low agc on', 'set-processing aec off ns low agc on']);
  });

  it('a change while the devices are opening follows the opening', async () => {
    const { calls, gate, select } = gateWith({ kind: 'portaudio', processing: on });
    const opening = gate.acquire();
    await settle(); // the opening has read the selection
    select({ kind: 'portaudio', processing: aecOff });
    const applied = gate.applyProcessing();
    await opening;
    await applied;
    assert.deepEqual(calls, ['open default aec on ns low agc on', 'set-processing aec off ns low agc on']);
  });

  it('no processing on the null device of a failed opening', async () => {
    const { calls, gate, select, engine } = gateWith({ kind: 'portaudio', processing: on });
    engine.openDevices = async (sel) => {
      calls.push(`open ${sel.kind}`);
      if (sel.kind === 'portaudio') throw new Error('no sound card');
    };
    await gate.acquire();
    select({ kind: 'portaudio', processing: aecOff });
    await gate.applyProcessing();
    assert.deepEqual(calls, ['open portaudio', 'open null']);
  });

  it('an engine that refuses: a notice, and the next change still goes through', async () => {
    const { calls, notices, gate, select, engine } = gateWith({ kind: 'portaudio', processing: on });
    await gate.acquire();
    const setProcessing = engine.setProcessing;
    engine.setProcessing = async () => { throw new Error('processing settings: ns must be off, low or high'); };
    select({ kind: 'portaudio', processing: aecOff });
    await gate.applyProcessing();
    assert.deepEqual(notices, ['microphone processing not changed: processing settings: ns must be off, low or high']);
    engine.setProcessing = setProcessing;
    await gate.applyProcessing();
    assert.deepEqual(calls, ['open default aec on ns low agc on', 'set-processing aec off ns low agc on']);
  });
});
