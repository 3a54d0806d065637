import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allOff, changedReports, decodeInput, encodeOutputs } from '../../../src-renderer/features/headset/report-codec.js';
import { descriptorFromHex, parseReportDescriptor } from '../../../src-renderer/features/headset/report-descriptor.js';
import { describeLayout, telephonyLayout } from '../../../src-renderer/features/headset/usage-map.js';
import { bytes, fixtureFiles, loadFixture } from './fixtures.js';

const layoutOf = (file: string) => telephonyLayout(loadFixture(file).collections)!;
const hex = (data: Uint8Array) => [...data].map((b) => b.toString(16).padStart(2, '0')).join(' ');

describe('telephony layout read from the descriptor, per device', () => {
  it('every fixture has a telephony collection with at least a hook switch and an off-hook LED', () => {
    assert.ok(fixtureFiles.length >= 5);
    for (const file of fixtureFiles) {
      const layout = layoutOf(file);
      assert.ok(layout.inputs.some((f) => f.control === 'hookSwitch'), `${file}: hook switch`);
      assert.ok(layout.outputs.some((f) => f.control === 'offHook'), `${file}: off-hook LED`);
    }
  });

  it('Plantronics Blackwire 3220: hook and flash in report 8 as switches, mute as a toggle button; each LED its own report', () => {
    const layout = layoutOf('plantronics-blackwire-3220.json');
    assert.deepEqual(layout.inputs.map((f) => [f.control, f.reportId, f.bitOffset, f.form]), [
      ['phoneMute', 8, 0, 'toggle'], ['hookSwitch', 8, 1, 'switch'], ['flash', 8, 2, 'switch'],
    ]);
    assert.deepEqual(layout.outputs.map((f) => [f.control, f.reportId, f.bitOffset]), [
      ['mute', 0x09, 0], ['offHook', 0x17, 0], ['ring', 0x18, 0], ['hold', 0x20, 0],
    ]);
    assert.deepEqual(layout.outputReports, [
      { reportId: 0x09, byteLength: 1 }, { reportId: 0x17, byteLength: 1 }, { reportId: 0x18, byteLength: 1 }, { reportId: 0x20, byteLength: 1 },
    ], 'Speaker (0x1E) and On-Line (0x2A) reports carry nothing we set: not sent');
  });

  it('Jabra Engage 50: the published bit layout comes out of the descriptor (no vendor table)', () => {
    const layout = layoutOf('jabra-engage-50.json');
    assert.deepEqual(layout.inputs.map((f) => [f.control, f.reportId, f.bitOffset, f.form]), [
      ['hookSwitch', 2, 0, 'switch'], ['lineBusyTone', 2, 1, 'switch'], ['phoneMute', 2, 2, 'toggle'], ['flash', 2, 3, 'toggle'], ['redial', 2, 4, 'toggle'],
    ]);
    assert.deepEqual(layout.outputs.map((f) => [f.control, f.reportId, f.bitOffset]), [
      ['offHook', 2, 0], ['mute', 2, 1], ['ring', 2, 2], ['hold', 2, 3], ['microphone', 2, 4], ['ringer', 2, 5],
    ]);
    assert.deepEqual(layout.outputReports, [{ reportId: 2, byteLength: 2 }]);
    // What nondebug/jabra-webhid-demo sends for "ring": Ring LED and Ringer = bits 2 and 5.
    assert.equal(hex(encodeOutputs(layout, { ...allOff, ring: true, ringer: true })[0]!.data), '24 00');
  });

  it('Yealink: inputs and outputs share report 4; Hold (0x23) is not a control we act on', () => {
    const layout = layoutOf('yealink-uh36.json');
    assert.deepEqual(describeLayout(layout), { inputs: ['hookSwitch', 'phoneMute', 'drop'], outputs: ['offHook', 'mute', 'ring', 'hold'] });
    assert.deepEqual(layout.inputs.map((f) => f.bitOffset), [0, 2, 6]);
    assert.equal(hex(encodeOutputs(layout, { ...allOff, offHook: true, mute: true })[0]!.data), '03');
  });

  it('Yealink UH38 style: the same items in a child collection with report ID 2 are found', () => {
    const nested = parseReportDescriptor(descriptorFromHex(`
      05 0B 09 05 A1 01
        09 05 A1 02 85 02 15 00 25 01 75 01
          09 20 95 01 81 22  95 01 81 03  09 2F 95 01 81 06  95 05 81 03
          05 08 09 17 09 09 09 18 95 03 91 22 95 05 91 03
        C0
      C0`));
    const layout = telephonyLayout(nested)!;
    assert.deepEqual(layout.inputs.map((f) => [f.control, f.reportId, f.bitOffset]), [['hookSwitch', 2, 0], ['phoneMute', 2, 2]]);
    assert.deepEqual(layout.outputReports, [{ reportId: 2, byteLength: 1 }]);
  });

  it('Gigaset ION: Button 7 (Button page) is not mistaken for a telephony control; Ringer is on the Telephony page', () => {
    const layout = layoutOf('gigaset-ion.json');
    assert.deepEqual(describeLayout(layout).inputs, ['hookSwitch', 'lineBusyTone', 'phoneMute', 'flash', 'redial']);
    assert.deepEqual(layout.outputs.find((f) => f.control === 'ringer'), { control: 'ringer', reportId: 2, bitOffset: 6, bitSize: 1, logicalMinimum: 0, logicalMaximum: 1 });
    assert.deepEqual(layout.outputReports, [{ reportId: 2, byteLength: 2 }]);
  });

  it('a toggle-button hook is read as a toggle (relative, preferred state)', () => {
    const layout = layoutOf('toggle-hook.json');
    assert.equal(layout.inputs.find((f) => f.control === 'hookSwitch')!.form, 'toggle');
  });

  it('a device without a telephony collection has no layout', () => {
    const mouse = parseReportDescriptor(descriptorFromHex('05 01 09 02 A1 01 05 09 19 01 29 03 15 00 25 01 75 01 95 03 81 02 95 05 81 03 C0'));
    assert.equal(telephonyLayout(mouse), undefined);
  });
});

describe('report codec', () => {
  it('decodes each recorded Plantronics input report into its controls', () => {
    const layout = layoutOf('plantronics-blackwire-3220.json');
    assert.deepEqual(decodeInput(layout, 8, bytes('03')), [
      { control: 'phoneMute', form: 'toggle', value: 1 }, { control: 'hookSwitch', form: 'switch', value: 1 }, { control: 'flash', form: 'switch', value: 0 },
    ]);
    assert.deepEqual(decodeInput(layout, 7, bytes('03')), [], 'another report ID carries none of ours');
  });

  it('decodes array fields (a value selects a usage) as momentary presses', () => {
    const layout = telephonyLayout(parseReportDescriptor(descriptorFromHex(`
      05 0B 09 05 A1 01 85 05 15 01 25 03 75 08 95 02 09 20 09 2F 09 26 81 00 C0`)))!;
    assert.deepEqual(decodeInput(layout, 5, bytes('03 03')), [{ control: 'drop', form: 'momentary', value: 1 }]);
    assert.deepEqual(decodeInput(layout, 5, bytes('00 00')), []);
  });

  it('decodes signed on/off buttons (−1..1)', () => {
    const layout = telephonyLayout(parseReportDescriptor(descriptorFromHex(`
      05 0B 09 05 A1 01 09 2F 15 FF 25 01 75 02 95 01 81 46 75 06 81 03 C0`)))!;
    assert.equal(layout.inputs[0]!.form, 'on-off');
    assert.deepEqual(decodeInput(layout, 0, bytes('03')), [{ control: 'phoneMute', form: 'on-off', value: -1 }]);
    assert.deepEqual(decodeInput(layout, 0, bytes('01')), [{ control: 'phoneMute', form: 'on-off', value: 1 }]);
  });

  it('encodes one report per LED for Plantronics and only re-sends what changed', () => {
    const layout = layoutOf('plantronics-blackwire-3220.json');
    const ringing = encodeOutputs(layout, { ...allOff, ring: true });
    assert.deepEqual(ringing.map((r) => [r.reportId, hex(r.data)]), [[0x09, '00'], [0x17, '00'], [0x18, '01'], [0x20, '00']]);
    const sent = new Map(ringing.map((r) => [r.reportId, r.data]));
    const answered = encodeOutputs(layout, { ...allOff, offHook: true });
    assert.deepEqual(changedReports(answered, sent).map((r) => [r.reportId, hex(r.data)]), [[0x17, '01'], [0x18, '00']]);
  });
});
