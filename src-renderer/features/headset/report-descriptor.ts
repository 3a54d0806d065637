/**
 * A small HID report-descriptor parser (Device Class Definition for HID 1.11, §6.2.2): raw
 * descriptor bytes → the WebHID `collections` tree Chromium builds from them (each collection
 * holds the reports of the items declared directly inside it, grouped by report ID, in order).
 * Tests turn recorded descriptors into the shape a browser hands us; a node-hid transport (plan
 * B, docs/decisions.md) would do the same with `getReportDescriptor()`.
 *
 * Scope: short items only (long items, §6.2.2.3, are skipped — no HID device class uses them);
 * Push/Pop; Usage Page applied at the Main item to usages given without a page (§6.2.2.8).
 */
import type { HIDCollectionInfo, HIDReportInfo, HIDReportItem } from './webhid-types.js';

/** §6.2.2.4 Main item tags. */
const enum MainTag { Input = 0x8, Output = 0x9, Collection = 0xa, Feature = 0xb, EndCollection = 0xc }
/** §6.2.2.7 Global item tags. */
const enum GlobalTag {
  UsagePage = 0x0, LogicalMinimum = 0x1, LogicalMaximum = 0x2, PhysicalMinimum = 0x3, PhysicalMaximum = 0x4,
  UnitExponent = 0x5, Unit = 0x6, ReportSize = 0x7, ReportId = 0x8, ReportCount = 0x9, Push = 0xa, Pop = 0xb,
}
/** §6.2.2.8 Local item tags. */
const enum LocalTag { Usage = 0x0, UsageMinimum = 0x1, UsageMaximum = 0x2 }
const enum ItemType { Main = 0, Global = 1, Local = 2 }

interface GlobalState {
  usagePage: number;
  logicalMinimum: number;
  logicalMaximum: number;
  /** The raw (unsigned) Logical Maximum, for when it is meant unsigned (0x26 0xFF 0x00 and friends). */
  logicalMaximumUnsigned: number;
  physicalMinimum: number;
  physicalMaximum: number;
  unitExponent: number;
  reportSize: number;
  reportId: number;
  reportCount: number;
}

/** A usage as written: an ID on the current page, or (4-byte data) a full extended usage. */
interface LocalUsage { value: number; extended: boolean }

interface LocalState {
  usages: LocalUsage[];
  minimum: LocalUsage | undefined;
  maximum: LocalUsage | undefined;
}

export class ReportDescriptorError extends Error {}

const unsigned = (bytes: Uint8Array, at: number, size: number): number => {
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + bytes[at + i]!;
  return v;
};
const signed = (raw: number, size: number): number => {
  if (size === 0) return 0;
  const bits = size * 8;
  return raw >= 2 ** (bits - 1) ? raw - 2 ** bits : raw;
};

function newCollection(usagePage: number, usage: number, type: number): HIDCollectionInfo {
  return { usagePage, usage, type, children: [], inputReports: [], outputReports: [], featureReports: [] };
}

function reportIn(list: HIDReportInfo[], reportId: number): HIDReportInfo {
  let report = list.find((r) => r.reportId === reportId);
  if (!report) {
    report = { reportId, items: [] };
    list.push(report);
  }
  return report;
}

/** Parses a report descriptor; throws ReportDescriptorError on truncated or unbalanced input. */
export function parseReportDescriptor(bytes: Uint8Array): HIDCollectionInfo[] {
  const top: HIDCollectionInfo[] = [];
  const open: HIDCollectionInfo[] = [];
  const stack: GlobalState[] = [];
  let global: GlobalState = {
    usagePage: 0, logicalMinimum: 0, logicalMaximum: 0, logicalMaximumUnsigned: 0, physicalMinimum: 0,
    physicalMaximum: 0, unitExponent: 0, reportSize: 0, reportId: 0, reportCount: 0,
  };
  let local: LocalState = { usages: [], minimum: undefined, maximum: undefined };
  const extendedOf = (u: LocalUsage): number => (u.extended ? u.value >>> 0 : ((global.usagePage << 16) | u.value) >>> 0);

  let at = 0;
  while (at < bytes.length) {
    const prefix = bytes[at]!;
    if (prefix === 0xfe) {
      // Long item (§6.2.2.3): bDataSize, bLongItemTag, data.
      if (at + 2 >= bytes.length) throw new ReportDescriptorError(`truncated long item at ${at}`);
      at += 3 + bytes[at + 1]!;
      continue;
    }
    const size = [0, 1, 2, 4][prefix & 0x03]!;
    const type = (prefix >> 2) & 0x03;
    const tag = prefix >> 4;
    if (at + 1 + size > bytes.length) throw new ReportDescriptorError(`truncated item 0x${prefix.toString(16)} at ${at}`);
    const raw = unsigned(bytes, at + 1, size);
    at += 1 + size;

    if (type === ItemType.Global) {
      switch (tag) {
        case GlobalTag.UsagePage: global.usagePage = raw & 0xffff; break;
        case GlobalTag.LogicalMinimum: global.logicalMinimum = signed(raw, size); break;
        case GlobalTag.LogicalMaximum: global.logicalMaximum = signed(raw, size); global.logicalMaximumUnsigned = raw; break;
        case GlobalTag.PhysicalMinimum: global.physicalMinimum = signed(raw, size); break;
        case GlobalTag.PhysicalMaximum: global.physicalMaximum = signed(raw, size); break;
        case GlobalTag.UnitExponent: global.unitExponent = signed(raw, size); break;
        case GlobalTag.Unit: break;
        case GlobalTag.ReportSize: global.reportSize = raw; break;
        case GlobalTag.ReportId:
          if (raw === 0 || raw > 255) throw new ReportDescriptorError(`report ID ${raw} out of range at ${at}`);
          global.reportId = raw;
          break;
        case GlobalTag.ReportCount: global.reportCount = raw; break;
        case GlobalTag.Push: stack.push({ ...global }); break;
        case GlobalTag.Pop: {
          const popped = stack.pop();
          if (!popped) throw new ReportDescriptorError(`Pop without Push at ${at}`);
          global = popped;
          break;
        }
        default: break;
      }
      continue;
    }

    if (type === ItemType.Local) {
      const u: LocalUsage = { value: raw, extended: size === 4 };
      if (tag === LocalTag.Usage) local.usages.push(u);
      else if (tag === LocalTag.UsageMinimum) local.minimum = u;
      else if (tag === LocalTag.UsageMaximum) local.maximum = u;
      continue;
    }

    if (type === ItemType.Main) {
      switch (tag) {
        case MainTag.Collection: {
          const first = local.usages[0];
          const usage = first ? extendedOf(first) : (global.usagePage << 16) >>> 0;
          const collection = newCollection(usage >>> 16, usage & 0xffff, raw);
          (open.at(-1)?.children ?? top).push(collection);
          open.push(collection);
          break;
        }
        case MainTag.EndCollection:
          if (!open.pop()) throw new ReportDescriptorError(`End Collection without Collection at ${at}`);
          break;
        case MainTag.Input:
        case MainTag.Output:
        case MainTag.Feature: {
          const collection = open.at(-1);
          // Items outside any collection have nowhere to live in WebHID's tree; Chromium drops them too.
          if (collection) {
            const list = tag === MainTag.Input ? collection.inputReports
              : tag === MainTag.Output ? collection.outputReports : collection.featureReports;
            reportIn(list, global.reportId).items.push(mainItem(raw, global, local, extendedOf));
          }
          break;
        }
        default: break;
      }
      local = { usages: [], minimum: undefined, maximum: undefined };
      continue;
    }
    // Reserved item type (3): skip.
  }
  if (open.length > 0) throw new ReportDescriptorError(`${open.length} collection(s) not closed`);
  return top;
}

/** §6.2.2.5 Input, Output and Feature item data bits. */
function mainItem(data: number, g: GlobalState, l: LocalState, extendedOf: (u: LocalUsage) => number): HIDReportItem {
  const isRange = l.minimum !== undefined && l.maximum !== undefined && l.usages.length === 0;
  // A Logical Maximum below the minimum was meant unsigned (e.g. 0x25 0xFF with minimum 0).
  const logicalMaximum = g.logicalMaximum < g.logicalMinimum ? g.logicalMaximumUnsigned : g.logicalMaximum;
  return {
    isConstant: (data & 0x001) !== 0,
    isArray: (data & 0x002) === 0,
    isAbsolute: (data & 0x004) === 0,
    wrap: (data & 0x008) !== 0,
    isLinear: (data & 0x010) === 0,
    hasPreferredState: (data & 0x020) === 0,
    hasNull: (data & 0x040) !== 0,
    isVolatile: (data & 0x080) !== 0,
    isBufferedBytes: (data & 0x100) !== 0,
    isRange,
    usages: isRange ? [] : l.usages.map(extendedOf),
    usageMinimum: isRange ? extendedOf(l.minimum!) : 0,
    usageMaximum: isRange ? extendedOf(l.maximum!) : 0,
    reportSize: g.reportSize,
    reportCount: g.reportCount,
    logicalMinimum: g.logicalMinimum,
    logicalMaximum,
    physicalMinimum: g.physicalMinimum,
    physicalMaximum: g.physicalMaximum,
    unitExponent: g.unitExponent,
  };
}

/** "05 0B 09 05 …" or "0x05, 0x0B, …" → bytes (comments after // or # are ignored). */
export function descriptorFromHex(text: string): Uint8Array {
  const cleaned = text.split('\n').map((line) => line.replace(/(\/\/|#).*$/, '')).join(' ');
  const tokens = cleaned.match(/(?:0x)?[0-9a-f]{2}\b/gi) ?? [];
  return Uint8Array.from(tokens.map((t) => parseInt(t.replace(/^0x/i, ''), 16)));
}
