/** The HID fixtures of tests/vectors/hid as WebHID-shaped devices (descriptor parsed by our parser). */
import { readdirSync, readFileSync } from 'node:fs';
import { descriptorFromHex, parseReportDescriptor } from '../../../src-renderer/features/headset/report-descriptor.js';
import type { HIDCollectionInfo } from '../../../src-renderer/features/headset/webhid-types.js';

const dir = new URL('../../vectors/hid/', import.meta.url);

export interface HidFixture {
  file: string;
  name: string;
  vendorId: number;
  productId: number;
  productName: string;
  synthesised: boolean;
  descriptor: Uint8Array;
  collections: HIDCollectionInfo[];
  sequences: Record<string, { t: number; reportId: number; data: Uint8Array }[]>;
}

export const bytes = (hex: string): Uint8Array => Uint8Array.from(hex.trim().split(/\s+/).filter(Boolean).map((h) => parseInt(h, 16)));

export function loadFixture(file: string): HidFixture {
  const raw = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as {
    name: string; vendorId: number; productId: number; productName: string; synthesised: boolean;
    descriptor: string[]; sequences: Record<string, { t: number; reportId: number; data: string }[]>;
  };
  const descriptor = descriptorFromHex(raw.descriptor.join('\n'));
  return {
    file, name: raw.name, vendorId: raw.vendorId, productId: raw.productId, productName: raw.productName,
    synthesised: raw.synthesised, descriptor, collections: parseReportDescriptor(descriptor),
    sequences: Object.fromEntries(Object.entries(raw.sequences).map(([k, v]) => [k, v.map((r) => ({ ...r, data: bytes(r.data) }))])),
  };
}

export const fixtureFiles = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
