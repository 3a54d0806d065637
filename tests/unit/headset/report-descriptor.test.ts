import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { descriptorFromHex, parseReportDescriptor, ReportDescriptorError } from '../../../src-renderer/features/headset/report-descriptor.js';
import { loadFixture } from './fixtures.js';

describe('report descriptor parser (HID 1.11 §6.2.2)', () => {
  it('turns the recorded Plantronics Blackwire 3220 descriptor into the WebHID collections Chromium builds', () => {
    const { collections, descriptor } = loadFixture('plantronics-blackwire-3220.json');
    assert.equal(descriptor.length, 109, 'the recording is 109 bytes');
    assert.equal(collections.length, 1);
    const [headset] = collections;
    assert.deepEqual([headset!.usagePage, headset!.usage, headset!.type], [0x0b, 0x05, 0x01]);
    assert.deepEqual(headset!.inputReports.map((r) => r.reportId), [8]);
    assert.deepEqual(headset!.outputReports.map((r) => r.reportId), [0x09, 0x17, 0x18, 0x1e, 0x20, 0x2a]);
    const [mute, hookFlash, pad] = headset!.inputReports[0]!.items;
    assert.deepEqual(mute!.usages, [0x0b002f]);
    assert.equal(mute!.isAbsolute, false, 'Phone Mute is relative (0x81 0x06)');
    assert.equal(mute!.hasPreferredState, true);
    assert.deepEqual(hookFlash!.usages, [0x0b0020, 0x0b0021]);
    assert.equal(hookFlash!.isAbsolute, true, 'Hook Switch is absolute (0x81 0x22)');
    assert.equal(hookFlash!.hasPreferredState, false);
    assert.equal(hookFlash!.reportCount, 2);
    assert.equal(pad!.isConstant, true);
    assert.equal(pad!.reportCount, 5);
    // Usage Page (LEDs) is set once, before Report ID 9: it applies to every later Usage.
    assert.deepEqual(headset!.outputReports.map((r) => r.items[0]!.usages[0]), [0x080009, 0x080017, 0x080018, 0x08001e, 0x080020, 0x08002a]);
    // Globals carry over between main items (Logical Min/Max and Report Size are given once).
    for (const r of headset!.outputReports) assert.deepEqual([r.items[0]!.logicalMinimum, r.items[0]!.logicalMaximum, r.items[0]!.reportSize], [0, 1, 1]);
  });

  it('reads usage ranges, arrays with a null state and extended (4-byte) usages', () => {
    const collections = parseReportDescriptor(descriptorFromHex(`
      05 0B 09 05 A1 01 85 01
      19 B0 29 BB 15 00 25 0B 75 04 95 01 81 40   // Key Pad 0..#, array, null state
      0B 20 00 0B 00 15 00 25 01 75 01 95 01 81 22 // Usage (0x000B0020) as a 4-byte usage
      95 03 81 03
      C0`));
    const [keypad, hook] = collections[0]!.inputReports[0]!.items;
    assert.equal(keypad!.isRange, true);
    assert.equal(keypad!.isArray, true);
    assert.equal(keypad!.hasNull, true);
    assert.deepEqual([keypad!.usageMinimum, keypad!.usageMaximum], [0x0b00b0, 0x0b00bb]);
    assert.deepEqual(hook!.usages, [0x0b0020]);
  });

  it('applies Push/Pop to global items and nests child collections', () => {
    const collections = parseReportDescriptor(descriptorFromHex(`
      05 0B 09 05 A1 01 85 02
        A4 05 08 09 17 15 00 25 01 75 01 95 01 91 22 B4   // Push; LED page; Pop
        09 20 75 01 95 01 81 22                            // back on the Telephony page
        09 01 A1 02 09 2F 75 01 95 01 81 06 C0             // a logical child collection
        75 06 95 01 81 03
      C0`));
    const headset = collections[0]!;
    assert.deepEqual(headset.outputReports[0]!.items[0]!.usages, [0x080017]);
    assert.deepEqual(headset.inputReports[0]!.items[0]!.usages, [0x0b0020], 'Pop restored the Telephony page');
    assert.equal(headset.children.length, 1);
    assert.equal(headset.children[0]!.type, 0x02);
    assert.deepEqual(headset.children[0]!.inputReports[0]!.items[0]!.usages, [0x0b002f]);
  });

  it('reads a Logical Maximum that only fits unsigned (0x25 0xFF) as 255', () => {
    const item = parseReportDescriptor(descriptorFromHex('06 00 FF 09 01 A1 01 09 01 15 00 25 FF 75 08 95 01 81 02 C0'))[0]!.inputReports[0]!.items[0]!;
    assert.equal(item.logicalMaximum, 255);
  });

  it('reports no report ID as 0', () => {
    const c = parseReportDescriptor(descriptorFromHex('05 0B 09 05 A1 01 09 20 15 00 25 01 75 01 95 01 81 22 95 07 81 03 C0'));
    assert.equal(c[0]!.inputReports[0]!.reportId, 0);
  });

  for (const [name, hex] of [
    ['a truncated item', '05 0B 09'],
    ['an unclosed collection', '05 0B 09 05 A1 01'],
    ['End Collection without Collection', 'C0'],
    ['Report ID 0', '05 0B 09 05 A1 01 85 00 C0'],
    ['Pop without Push', 'B4'],
  ] as const) {
    it(`refuses ${name}`, () => assert.throws(() => parseReportDescriptor(descriptorFromHex(hex)), ReportDescriptorError));
  }

  it('never throws anything but ReportDescriptorError on random bytes', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 2000; n++) {
      const bytes = Uint8Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256));
      try { parseReportDescriptor(bytes); } catch (e) { assert.ok(e instanceof ReportDescriptorError, String(e)); }
    }
  });
});
