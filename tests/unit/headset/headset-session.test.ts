/**
 * The session adapter over a fake transport (the device) and a fake clock: reports in, commands
 * and output report bytes out, timers armed from the controller's deadline, LEDs dark at close.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from '../../../src-main/contract/calls.js';
import type { HeadsetTransport } from '../../../src-renderer/features/headset/headset-transport.js';
import { HeadsetSession } from '../../../src-renderer/features/headset/headset-session.js';
import { headsetChoices, headsetKey, nameMatch, pickHeadset } from '../../../src-renderer/features/headset/headset-choice.js';
import { snapshot } from '../renderer/support.js';
import { bytes, loadFixture } from './fixtures.js';

const hex = (data: Uint8Array) => [...data].map((b) => b.toString(16).padStart(2, '0')).join(' ');

function fakeDevice(file: string) {
  const fixture = loadFixture(file);
  let listener: ((id: number, data: Uint8Array) => void) | undefined;
  const sent: string[] = [];
  let opened = false;
  const transport: HeadsetTransport = {
    name: fixture.productName,
    collections: fixture.collections,
    open: async () => { opened = true; },
    close: async () => { opened = false; },
    send: async (id, data) => { sent.push(`${id}:${hex(data)}`); },
    onReport: (fn) => { listener = fn; return () => { listener = undefined; }; },
  };
  return { transport, sent, input: (id: number, data: string) => listener?.(id, bytes(data)), get opened() { return opened; } };
}

function fakeClock() {
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => { const t = { at: now + ms, fn }; timers.push(t); return t; },
    clearTimer: (t: unknown) => { const i = timers.indexOf(t as never); if (i >= 0) timers.splice(i, 1); },
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        now = next.at;
        next.fn();
      }
      now = end;
    },
  };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('headset session (adapter over a transport)', () => {
  it('opens, lights the calls in progress, answers from a hook report after its timer, darkens at close', async () => {
    const device = fakeDevice('jabra-engage-50.json');
    const clock = fakeClock();
    const commands: Command[] = [];
    const ringing = snapshot({ id: 'in1', direction: 'incoming', state: 'incoming', answeredAt: undefined });
    const session = (await HeadsetSession.open(device.transport, { ...clock, command: (c) => commands.push(c) }, [ringing], false))!;
    await settle();
    assert.equal(device.opened, true);
    assert.deepEqual(device.sent, ['2:24 00'], 'Ring + Ringer, once (the connect acknowledgement repeats nothing new)');
    assert.deepEqual(session.controls, { inputs: ['hookSwitch', 'lineBusyTone', 'phoneMute', 'flash', 'redial'], outputs: ['offHook', 'mute', 'ring', 'hold', 'microphone', 'ringer'] });

    device.input(2, '01 00');
    await settle();
    assert.deepEqual(device.sent.at(-1), '2:01 00');
    assert.deepEqual(commands, []);
    clock.advance(399);
    assert.deepEqual(commands, []);
    clock.advance(1);
    assert.deepEqual(commands, [{ type: 'answer', callId: 'in1' }]);

    session.calls([snapshot({ id: 'in1', direction: 'incoming', state: 'active' })], false);
    await session.close();
    assert.deepEqual(device.sent.at(-1), '2:00 00');
    assert.equal(device.opened, false);
    device.input(2, '00 00');
    assert.equal(commands.length, 1, 'nothing after close');
  });

  it('sends only the LED reports that changed (Plantronics: one report per LED)', async () => {
    const device = fakeDevice('plantronics-blackwire-3220.json');
    const clock = fakeClock();
    const session = (await HeadsetSession.open(device.transport, { ...clock, command: () => undefined }, [], false))!;
    await settle();
    device.sent.length = 0;
    session.calls([snapshot({ id: 'in1', direction: 'incoming', state: 'incoming', answeredAt: undefined })], false);
    await settle();
    assert.deepEqual(device.sent, ['24:01'], 'only the Ring report (0x18)');
  });

  it('a device without a telephony collection gives no session', async () => {
    const device = fakeDevice('jabra-engage-50.json');
    const session = await HeadsetSession.open({ ...device.transport, collections: [] }, { ...fakeClock(), command: () => undefined }, [], false);
    assert.equal(session, undefined);
    assert.equal(device.opened, false);
  });
});

describe('which headset', () => {
  const jabra = loadFixture('jabra-engage-50.json');
  const poly = loadFixture('plantronics-blackwire-3220.json');
  const mouse = { vendorId: 0x46d, productId: 0xc077, productName: 'USB Optical Mouse', collections: [{ usagePage: 1, usage: 2, type: 1, children: [], inputReports: [], outputReports: [], featureReports: [] }] };

  it('the one chosen in Settings wins; else the one named like the audio device; else the first telephony device', () => {
    assert.equal(pickHeadset([mouse, jabra, poly], headsetKey(poly), []), poly);
    assert.equal(pickHeadset([mouse, jabra, poly], null, ['Blackwire 3220 Series: USB Audio (hw:2,0)', null]), poly);
    assert.equal(pickHeadset([mouse, jabra, poly], null, ['Built-in Audio Analog Stereo']), jabra);
    assert.equal(pickHeadset([mouse, jabra, poly], 'gone:0000 Unplugged', []), jabra, 'a chosen headset that is not plugged in falls back');
    assert.equal(pickHeadset([mouse], null, []), undefined);
  });

  it('matches HID and audio names despite vendor prefixes and driver decoration', () => {
    assert.ok(nameMatch('Plantronics Blackwire 3220 Series', 'Blackwire 3220 Series: USB Audio (hw:2,0)') > 0);
    assert.ok(nameMatch('Jabra Engage 50', 'Headset Earphone (Jabra Engage 50)') > 0);
    assert.equal(nameMatch('Jabra Engage 50', 'Jabra Evolve2 65'), 0, 'the brand alone is not a match');
    assert.equal(nameMatch('Yealink UH36', 'USB Audio Device'), 0);
  });

  it('lists each telephony headset once (a headset can expose several HID interfaces)', () => {
    assert.deepEqual(headsetChoices([jabra, mouse, jabra, poly]), [
      { key: '0b0e:0000 Jabra Engage 50', name: 'Jabra Engage 50' },
      { key: '047f:c056 Plantronics Blackwire 3220 Series', name: 'Plantronics Blackwire 3220 Series' },
    ]);
  });
});
