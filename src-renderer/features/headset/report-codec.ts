/**
 * Bits in and out of reports, by the layout read from the device (usage-map.ts). Fields are
 * packed LSB first across bytes (HID 1.11 §5.8); the report ID byte is not part of the data
 * (WebHID strips it from input reports and adds it to output reports).
 */
import type { InputControl, OutputControl } from './hid-usages.js';
import type { ControlForm, Field, TelephonyLayout } from './usage-map.js';

export interface InputSample {
  control: InputControl;
  form: ControlForm;
  /** The field's logical value (signed when its logical minimum is negative). */
  value: number;
}

export interface OutputReport {
  reportId: number;
  data: Uint8Array;
}

export type LedState = Record<OutputControl, boolean>;

export const allOff: LedState = { offHook: false, ring: false, mute: false, hold: false, microphone: false, ringer: false };

export function readField(data: Uint8Array, field: Field): number {
  let value = 0;
  for (let i = 0; i < field.bitSize; i++) {
    const bit = field.bitOffset + i;
    const byte = data[bit >> 3];
    if (byte === undefined) return 0;
    if ((byte >> (bit & 7)) & 1) value += 2 ** i;
  }
  if (field.logicalMinimum < 0 && value >= 2 ** (field.bitSize - 1)) value -= 2 ** field.bitSize;
  return value;
}

export function writeField(data: Uint8Array, field: Field, value: number): void {
  const raw = value < 0 ? value + 2 ** field.bitSize : value;
  for (let i = 0; i < field.bitSize; i++) {
    const bit = field.bitOffset + i;
    const index = bit >> 3;
    if (index >= data.length) return;
    const mask = 1 << (bit & 7);
    data[index] = Math.floor(raw / 2 ** i) % 2 ? data[index]! | mask : data[index]! & ~mask;
  }
}

/** The telephony controls one input report carries (other reports: none). */
export function decodeInput(layout: TelephonyLayout, reportId: number, data: Uint8Array): InputSample[] {
  const samples: InputSample[] = [];
  for (const field of layout.inputs) {
    if (field.reportId !== reportId) continue;
    const raw = readField(data, field);
    if (field.form === 'momentary') {
      if (raw === field.arrayValue) samples.push({ control: field.control, form: 'momentary', value: 1 });
    } else {
      samples.push({ control: field.control, form: field.form, value: raw });
    }
  }
  // An array lists a pressed control once, however many of its fields select it.
  return samples.filter((s, i) => s.form !== 'momentary' || samples.findIndex((o) => o.control === s.control && o.form === 'momentary') === i);
}

/**
 * Every output report the layout has, with each known indicator set from `leds` (on = the
 * field's logical maximum, off = its minimum, so 8-bit 0..1 fields work too); other fields 0.
 */
export function encodeOutputs(layout: TelephonyLayout, leds: LedState): OutputReport[] {
  return layout.outputReports.map(({ reportId, byteLength }) => {
    const data = new Uint8Array(byteLength);
    for (const field of layout.outputs) {
      if (field.reportId !== reportId) continue;
      const on = field.logicalMaximum > 0 ? field.logicalMaximum : 1;
      writeField(data, field, leds[field.control] ? on : Math.max(0, field.logicalMinimum));
    }
    return { reportId, data };
  });
}

/** Only the reports whose bytes differ from what was last sent (all of them when `last` is empty). */
export function changedReports(next: OutputReport[], last: ReadonlyMap<number, Uint8Array>): OutputReport[] {
  return next.filter((r) => {
    const before = last.get(r.reportId);
    return !before || before.length !== r.data.length || before.some((b, i) => b !== r.data[i]);
  });
}
