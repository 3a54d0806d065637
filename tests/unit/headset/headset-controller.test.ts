/**
 * The headset controller driven the way the renderer drives it: input reports from the fixtures
 * (tests/vectors/hid) decoded by the layout read from each device's descriptor, call snapshots
 * as the core sends them, and a fake clock (`at` in ms). What comes out is checked as commands
 * and as the output report bytes the device would receive.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CallSnapshot, Command } from '../../../src-main/contract/calls.js';
import { HeadsetController, type ControllerAction } from '../../../src-renderer/features/headset/headset-controller.js';
import { SignalReader } from '../../../src-renderer/features/headset/input-signals.js';
import { decodeInput, encodeOutputs, type LedState } from '../../../src-renderer/features/headset/report-codec.js';
import { telephonyLayout } from '../../../src-renderer/features/headset/usage-map.js';
import { snapshot } from '../renderer/support.js';
import { bytes, loadFixture } from './fixtures.js';

const ringingCall = (id = 'in1') => snapshot({ id, direction: 'incoming', state: 'incoming', progress: 'ringing', answeredAt: undefined });
const active = (id = 'in1', over: Partial<CallSnapshot> = {}) => snapshot({ id, direction: 'incoming', state: 'active', ...over });
const heldCall = (id: string) => snapshot({ id, state: 'held', onHold: true });
const hex = (data: Uint8Array) => [...data].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** One headset: its layout, the signal reader, the controller, and what went out. */
function rig(file: string) {
  const fixture = loadFixture(file);
  const layout = telephonyLayout(fixture.collections)!;
  const reader = new SignalReader();
  const controller = new HeadsetController();
  const commands: Command[] = [];
  const leds: { at: number; leds: LedState; all: boolean }[] = [];
  const take = (at: number, actions: ControllerAction[]) => {
    for (const a of actions) {
      if (a.type === 'command') commands.push(a.command);
      else leds.push({ at, leds: a.leds, all: a.all });
    }
  };
  return {
    fixture, layout, controller, commands, leds,
    report(at: number, reportId: number, data: string | Uint8Array) {
      const signals = reader.read(decodeInput(layout, reportId, typeof data === 'string' ? bytes(data) : data));
      if (signals.length > 0) take(at, controller.handle({ type: 'signals', signals }, at));
    },
    play(sequence: string, start = 0) {
      for (const r of fixture.sequences[sequence]!) this.report(start + r.t, r.reportId, r.data);
    },
    calls(at: number, calls: CallSnapshot[], muted = false) {
      take(at, controller.handle({ type: 'calls', calls, muted }, at));
    },
    /** Runs the controller's timers up to `at`. */
    until(at: number) {
      for (let d = controller.nextDeadline(); d !== undefined && d <= at; d = controller.nextDeadline()) take(d, controller.handle({ type: 'tick' }, d));
    },
    connected(at: number) {
      take(at, controller.handle({ type: 'connected' }, at));
    },
    get lit(): LedState {
      return leds.at(-1)!.leds;
    },
    /** The output reports the device would get for the last LED state, as hex by report ID. */
    get bytes(): Record<number, string> {
      return Object.fromEntries(encodeOutputs(layout, leds.at(-1)!.leds).map((r) => [r.reportId, hex(r.data)]));
    },
  };
}

describe('headset controller: a ringing call and the hook button', () => {
  it('Jabra Engage 50: ringing lights Ring and Ringer; hook off-hook answers after the double-press window; the repeat 2 s later changes nothing', () => {
    const h = rig('jabra-engage-50.json');
    h.calls(0, [ringingCall()]);
    assert.equal(h.controller.state, 'ringing');
    assert.deepEqual(h.bytes, { 2: '24 00' }, 'Ring (bit 2) and Ringer (bit 5)');

    h.play('answerWithRepeat', 1000); // [1, 0] at 1000 ms and again at 3000 ms
    assert.equal(h.controller.state, 'answering');
    assert.deepEqual(h.bytes, { 2: '01 00' }, 'Off-Hook acknowledged at once, Ring off');
    assert.deepEqual(h.commands, [], 'not answered yet: a second press would refuse');
    h.until(1400);
    assert.deepEqual(h.commands, [{ type: 'answer', callId: 'in1' }]);
    h.calls(1500, [active()]);
    assert.equal(h.controller.state, 'in-call');
    h.until(5000);
    assert.deepEqual(h.commands, [{ type: 'answer', callId: 'in1' }], 'the 2 s repeat did nothing');

    h.play('hangUp', 6000);
    assert.deepEqual(h.commands.at(-1), { type: 'hangup', callId: 'in1' });
    assert.deepEqual(h.bytes, { 2: '00 00' }, 'Off-Hook dark at once');
    h.calls(6100, []);
    assert.equal(h.controller.state, 'idle');
  });

  it('Plantronics Blackwire 3220: the Ring LED is its own report; hook switch answers, on-hook hangs up', () => {
    const h = rig('plantronics-blackwire-3220.json');
    h.calls(0, [ringingCall()]);
    assert.deepEqual(h.bytes, { 0x09: '00', 0x17: '00', 0x18: '01', 0x20: '00' });
    h.play('answer', 100);
    h.until(1000);
    assert.deepEqual(h.commands, [{ type: 'answer', callId: 'in1' }]);
    assert.deepEqual(h.bytes, { 0x09: '00', 0x17: '01', 0x18: '00', 0x20: '00' });
    h.calls(1100, [active()]);
    h.play('hangUp', 2000);
    assert.deepEqual(h.commands.at(-1), { type: 'hangup', callId: 'in1' });
  });

  it('a toggle-button hook: one press answers, the next hangs up', () => {
    const h = rig('toggle-hook.json');
    h.calls(0, [ringingCall()]);
    h.play('press', 100);
    h.until(1000);
    h.calls(1000, [active()]);
    assert.deepEqual(h.commands, [{ type: 'answer', callId: 'in1' }]);
    h.play('press', 2000);
    assert.deepEqual(h.commands, [{ type: 'answer', callId: 'in1' }, { type: 'hangup', callId: 'in1' }]);
  });

  it('EPOS/Sennheiser SC 660 (toggle hook, LEDs in one report): Ring while ringing, a press answers (Off-Hook), mute echoes, the next press hangs up', () => {
    const h = rig('sennheiser-sc660.json');
    h.calls(0, [ringingCall()]);
    assert.deepEqual(h.bytes, { 2: '02' }, 'Ring');
    h.play('press', 100);
    h.until(1000);
    h.calls(1000, [active()]);
    assert.deepEqual(h.commands, [{ type: 'answer', callId: 'in1' }]);
    assert.equal(h.lit.offHook, true);
    assert.equal(h.lit.ring, false);
    h.play('mutePress', 1500);
    assert.deepEqual(h.commands.at(-1), { type: 'mute' });
    assert.equal(h.lit.mute, true, 'the Mute LED answers the button at once');
    h.play('press', 3000);
    assert.deepEqual(h.commands.at(-1), { type: 'hangup', callId: 'in1' });
  });

  it('a double press of a toggle hook refuses the ringing call (never answers it)', () => {
    const h = rig('toggle-hook.json');
    h.calls(0, [ringingCall()]);
    h.play('doublePress', 100);
    h.until(2000);
    assert.deepEqual(h.commands, [{ type: 'reject', callId: 'in1' }]);
    assert.equal(h.lit.ring, false, 'Ring dark before the core reports the call gone');
  });

  it('a switch hook going off-hook then on-hook within the window refuses too', () => {
    const h = rig('jabra-engage-50.json');
    h.calls(0, [ringingCall()]);
    h.report(100, 2, '01 00');
    h.report(300, 2, '00 00');
    h.until(2000);
    assert.deepEqual(h.commands, [{ type: 'reject', callId: 'in1' }]);
  });

  it('Line Busy Tone (Jabra, Gigaset) and Drop (Yealink) refuse a ringing call', () => {
    for (const [file, sequence] of [['jabra-engage-50.json', 'rejectWithBusy'], ['gigaset-ion.json', 'busyReject'], ['yealink-uh36.json', 'reject']] as const) {
      const h = rig(file);
      h.calls(0, [ringingCall()]);
      h.play(sequence, 100);
      h.until(2000);
      assert.deepEqual(h.commands, [{ type: 'reject', callId: 'in1' }], file);
    }
  });

  it('the caller giving up during the double-press window answers nothing', () => {
    const h = rig('jabra-engage-50.json');
    h.calls(0, [ringingCall()]);
    h.report(100, 2, '01 00');
    h.calls(200, []);
    h.until(2000);
    assert.deepEqual(h.commands, []);
    assert.equal(h.controller.state, 'idle');
    assert.equal(h.lit.offHook, false);
  });

  it('off-hook with no call does nothing but answer with Off-Hook dark (the headset goes back on-hook)', () => {
    const h = rig('jabra-engage-50.json');
    h.report(0, 2, '01 00');
    assert.deepEqual(h.commands, []);
    assert.equal(h.leds.at(-1)!.all, true);
    assert.equal(h.lit.offHook, false);
  });

  it('Redial when idle redials', () => {
    const h = rig('toggle-hook.json');
    h.report(0, 1, '08');
    assert.deepEqual(h.commands, [{ type: 'redial' }]);
  });

  it('an outgoing call lights Off-Hook; on-hook cancels it', () => {
    const h = rig('yealink-uh36.json');
    h.calls(0, [snapshot({ id: 'out1', state: 'calling', progress: 'calling', answeredAt: undefined })]);
    assert.deepEqual(h.bytes, { 4: '01' });
    h.play('hangUp', 1000);
    assert.deepEqual(h.commands, [{ type: 'hangup', callId: 'out1' }]);
  });
});

describe('headset controller: mute', () => {
  it('Jabra: the mute button toggles mute, and Mute + Microphone LEDs answer at once', () => {
    const h = rig('jabra-engage-50.json');
    h.calls(0, [active()]);
    h.play('mutePress', 100);
    assert.deepEqual(h.commands, [{ type: 'mute' }]);
    assert.deepEqual(h.bytes, { 2: '13 00' }, 'Off-Hook, Mute, Microphone');
    assert.equal(h.leds.at(-1)!.all, true, 'acknowledged even if unchanged');
    h.calls(150, [active('in1', { muted: true })], true);
    h.play('mutePress', 1000);
    assert.deepEqual(h.commands, [{ type: 'mute' }, { type: 'unmute' }]);
    assert.deepEqual(h.bytes, { 2: '01 00' });
  });

  it('a mute the core does not confirm falls back to the core state', () => {
    const h = rig('yealink-uh36.json');
    h.calls(0, [active()]);
    h.play('mutePress', 100);
    assert.equal(h.lit.mute, true);
    h.until(1700);
    assert.equal(h.lit.mute, false);
  });

  it('Plantronics: the duplicate report ~50 ms later is not a second press', () => {
    const h = rig('plantronics-blackwire-3220.json');
    h.calls(0, [active()]);
    h.play('mutePressWithDuplicate', 1000);
    assert.deepEqual(h.commands, [{ type: 'mute' }]);
    assert.equal(h.controller.stats.duplicates, 1);
    assert.deepEqual(h.bytes, { 0x09: '01', 0x17: '01', 0x18: '00', 0x20: '00' });
  });

  it('mute with no call only answers with the LEDs as they are (the headset reverts)', () => {
    const h = rig('gigaset-ion.json');
    h.report(0, 2, '08 00');
    assert.deepEqual(h.commands, []);
    assert.equal(h.lit.mute, false);
    assert.equal(h.leds.at(-1)!.all, true);
  });
});

describe('headset controller: flash, hold, waiting calls', () => {
  it('Flash holds the only call; the Hold LED lights and Off-Hook stays lit; Flash again resumes', () => {
    const h = rig('plantronics-blackwire-3220.json');
    h.calls(0, [active('a')]);
    h.play('flash', 1000); // Flash is a switch on this headset: the rising edge is the press
    assert.deepEqual(h.commands, [{ type: 'hold', callId: 'a' }]);
    h.calls(1100, [heldCall('a')]);
    assert.equal(h.controller.state, 'on-hold');
    assert.deepEqual(h.bytes, { 0x09: '00', 0x17: '01', 0x18: '00', 0x20: '01' });
    h.play('flash', 2000);
    assert.deepEqual(h.commands.at(-1), { type: 'resume', callId: 'a' });
  });

  it('Flash swaps between the active and the held call', () => {
    const h = rig('toggle-hook.json');
    h.calls(0, [heldCall('a'), active('b')]);
    assert.equal(h.lit.hold, true);
    h.report(100, 1, '04');
    assert.deepEqual(h.commands, [{ type: 'swap', callId: 'a' }]);
  });

  it('a waiting call lights Ring over Off-Hook; Flash answers it; Line Busy Tone refuses it', () => {
    const h = rig('gigaset-ion.json');
    h.calls(0, [active('a'), ringingCall('w')]);
    assert.deepEqual([h.lit.offHook, h.lit.ring, h.lit.ringer], [true, true, false]);
    h.report(100, 2, '11 00'); // hook still off-hook, Flash
    assert.deepEqual(h.commands, [{ type: 'answer', callId: 'w' }]);
    const g = rig('gigaset-ion.json');
    g.calls(0, [active('a'), ringingCall('w')]);
    g.play('busyReject', 100);
    assert.deepEqual(g.commands, [{ type: 'reject', callId: 'w' }]);
  });

  it('hanging up the active call leaves the held one on hold with Off-Hook lit', () => {
    const h = rig('jabra-engage-50.json');
    h.calls(0, [heldCall('a'), active('b')]);
    h.report(1000, 2, '00 00');
    assert.deepEqual(h.commands, [{ type: 'hangup', callId: 'b' }]);
    assert.equal(h.controller.state, 'on-hold');
    assert.deepEqual([h.lit.offHook, h.lit.hold], [true, true]);
  });
});

describe('headset controller: echoes and late devices', () => {
  it('a hook report right after the host lit Off-Hook is the echo and is ignored; later it counts', () => {
    const h = rig('jabra-engage-50.json');
    h.calls(0, [ringingCall()]);
    h.calls(1000, [active()]); // answered in the window, not from the headset
    h.report(1200, 2, '00 00'); // the device's stale/echoed on-hook state
    assert.deepEqual(h.commands, []);
    assert.equal(h.controller.stats.echoes, 1);
    h.report(1600, 2, '00 00');
    assert.deepEqual(h.commands, [{ type: 'hangup', callId: 'in1' }]);
  });

  it('a headset plugged in mid-call gets every LED report and its first on-hook report is ignored', () => {
    const h = rig('plantronics-blackwire-3220.json');
    h.calls(0, [active('a', { muted: true })], true);
    h.connected(5000);
    assert.equal(h.leds.at(-1)!.all, true);
    assert.deepEqual(h.bytes, { 0x09: '01', 0x17: '01', 0x18: '00', 0x20: '00' });
    h.report(5050, 8, '00');
    assert.deepEqual(h.commands, []);
  });

  it('the call ending from the far end darkens everything', () => {
    const h = rig('jabra-engage-50.json');
    h.calls(0, [active()]);
    h.calls(1000, [{ ...active(), state: 'ended' }]);
    assert.equal(h.controller.state, 'idle');
    assert.deepEqual(h.bytes, { 2: '00 00' });
  });
});
