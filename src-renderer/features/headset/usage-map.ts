/**
 * Where a headset keeps each telephony control, read from its own `collections` (never from a
 * vendor table): the report ID, the bit offset and size of the field, and how the control
 * behaves. The layout covers the telephony application collections (usage page 0x0B) and
 * everything nested in them — some headsets declare their reports in a child collection, and
 * most switch to the LED page inside the telephony collection for their indicators.
 *
 * On/Off Controls come in three forms (HUT §3.4.1.2), told apart by the item's flags:
 * - toggle switch: absolute, no preferred state, 0..1 — the value is the state (Jabra's hook);
 * - toggle button: relative, preferred state, 0..1 — 1 means "pressed: flip it" (most mute buttons);
 * - on/off buttons: relative, no preferred state, −1..1 — +1 on, −1 off.
 * Array fields (a value selects a usage) report momentary presses.
 */
import { inputControlOf, outputControlOf, UsagePage, type InputControl, type OutputControl } from './hid-usages.js';
import type { HIDCollectionInfo, HIDReportInfo, HIDReportItem } from './webhid-types.js';

export type ControlForm = 'switch' | 'toggle' | 'on-off' | 'momentary';

export interface Field {
  reportId: number;
  /** From the first bit after the report ID byte, LSB first (HID 1.11 §5.8). */
  bitOffset: number;
  bitSize: number;
  logicalMinimum: number;
  logicalMaximum: number;
}

export interface InputField extends Field {
  control: InputControl;
  form: ControlForm;
  /** Array fields only: the value that selects this control. */
  arrayValue?: number;
}

export interface OutputField extends Field {
  control: OutputControl;
}

export interface TelephonyLayout {
  inputs: InputField[];
  outputs: OutputField[];
  /** Every output report in the telephony collections with its length in bytes (all its fields). */
  outputReports: { reportId: number; byteLength: number }[];
}

export function isTelephonyCollection(c: HIDCollectionInfo): boolean {
  return c.usagePage === UsagePage.telephony;
}

/** Does this WebHID device expose a telephony collection (what we ask the browser for)? */
export function hasTelephony(collections: readonly HIDCollectionInfo[]): boolean {
  return collections.some(isTelephonyCollection);
}

/** The HUT §3.4.1.2 form of an On/Off Control; variable items only. */
export function formOf(item: HIDReportItem): ControlForm {
  if (item.isAbsolute) return 'switch';
  if (item.logicalMinimum < 0) return 'on-off';
  return 'toggle';
}

/** The usage of field `index` of a variable item (the last usage repeats; ranges count up). */
function usageOfField(item: HIDReportItem, index: number): number | undefined {
  if (item.isRange) {
    const u = item.usageMinimum + index;
    return u <= item.usageMaximum ? u : undefined;
  }
  return item.usages[Math.min(index, item.usages.length - 1)];
}

function walk(collections: readonly HIDCollectionInfo[], visit: (c: HIDCollectionInfo) => void): void {
  for (const c of collections) {
    visit(c);
    walk(c.children, visit);
  }
}

/** Reports by ID across a collection subtree, in declaration order (a report may span collections). */
function mergeReports(collections: readonly HIDCollectionInfo[], pick: (c: HIDCollectionInfo) => HIDReportInfo[]): Map<number, HIDReportItem[]> {
  const reports = new Map<number, HIDReportItem[]>();
  walk(collections, (c) => {
    for (const r of pick(c)) reports.set(r.reportId, [...(reports.get(r.reportId) ?? []), ...r.items]);
  });
  return reports;
}

/** Reads the telephony layout; `undefined` when the device has no telephony collection. */
export function telephonyLayout(collections: readonly HIDCollectionInfo[]): TelephonyLayout | undefined {
  const telephony = collections.filter(isTelephonyCollection);
  if (telephony.length === 0) return undefined;
  const inputs: InputField[] = [];
  const outputs: OutputField[] = [];
  const outputReports: TelephonyLayout['outputReports'] = [];

  for (const [reportId, items] of mergeReports(telephony, (c) => c.inputReports)) {
    let offset = 0;
    for (const item of items) {
      const base = { reportId, bitSize: item.reportSize, logicalMinimum: item.logicalMinimum, logicalMaximum: item.logicalMaximum };
      if (!item.isConstant && item.isArray) {
        // Each field holds a usage index; a control is "pressed" while any field selects it.
        const candidates = item.isRange
          ? Array.from({ length: Math.max(0, item.usageMaximum - item.usageMinimum + 1) }, (_, i) => item.usageMinimum + i)
          : item.usages;
        candidates.forEach((u, i) => {
          const control = inputControlOf(u);
          if (!control) return;
          for (let f = 0; f < item.reportCount; f++) {
            inputs.push({ ...base, control, form: 'momentary', bitOffset: offset + f * item.reportSize, arrayValue: item.logicalMinimum + i });
          }
        });
      } else if (!item.isConstant) {
        for (let f = 0; f < item.reportCount; f++) {
          const u = usageOfField(item, f);
          const control = u === undefined ? undefined : inputControlOf(u);
          if (control && !inputs.some((x) => x.control === control && x.reportId === reportId)) {
            inputs.push({ ...base, control, form: formOf(item), bitOffset: offset + f * item.reportSize });
          }
        }
      }
      offset += item.reportSize * item.reportCount;
    }
  }

  for (const [reportId, items] of mergeReports(telephony, (c) => c.outputReports)) {
    let offset = 0;
    let mapped = false;
    for (const item of items) {
      if (!item.isConstant && !item.isArray) {
        for (let f = 0; f < item.reportCount; f++) {
          const u = usageOfField(item, f);
          const control = u === undefined ? undefined : outputControlOf(u);
          // One field per control: the first report that declares it.
          if (control && !outputs.some((x) => x.control === control)) {
            outputs.push({
              control, reportId, bitOffset: offset + f * item.reportSize, bitSize: item.reportSize,
              logicalMinimum: item.logicalMinimum, logicalMaximum: item.logicalMaximum,
            });
            mapped = true;
          }
        }
      }
      offset += item.reportSize * item.reportCount;
    }
    if (mapped) outputReports.push({ reportId, byteLength: Math.ceil(offset / 8) });
  }
  return { inputs, outputs, outputReports };
}

/** What a layout offers, for the Settings screen and logs: "hook, mute, flash / off-hook, ring, mute". */
export function describeLayout(layout: TelephonyLayout): { inputs: InputControl[]; outputs: OutputControl[] } {
  return {
    inputs: [...new Set(layout.inputs.map((f) => f.control))],
    outputs: layout.outputs.map((f) => f.control),
  };
}

