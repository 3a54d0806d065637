/**
 * Which headset gets call control when several are plugged in: the one chosen in Settings; else
 * the one whose name matches the audio device the phone uses; else the first. Pure.
 */
import { hasTelephony } from './usage-map.js';
import type { HIDCollectionInfo } from './webhid-types.js';

export interface HeadsetCandidate {
  vendorId: number;
  productId: number;
  productName: string;
  collections: readonly HIDCollectionInfo[];
}

/** What Settings stores for a headset: vendor and product IDs (4 hex digits each), then its name. */
export function headsetKey(d: Pick<HeadsetCandidate, 'vendorId' | 'productId' | 'productName'>): string {
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  return `${hex(d.vendorId)}:${hex(d.productId)} ${d.productName}`.slice(0, 256);
}

/** Words that say nothing about which headset it is. */
const generic = new Set(['usb', 'audio', 'headset', 'headphones', 'hw', 'analog', 'digital', 'stereo', 'mono', 'device',
  'hands', 'free', 'handsfree', 'series', 'microphone', 'speakers', 'speaker', 'output', 'input', 'default', 'alsa', 'pulse']);

function words(name: string): string[] {
  return name.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0 && !generic.has(w) && !/^\d$/.test(w));
}

/**
 * How well a HID product name matches an audio device name, 0 = not at all. Names differ by
 * vendor prefix and driver decoration ("Plantronics Blackwire 3220 Series" against
 * "Blackwire 3220 Series: USB Audio (hw:2,0)"): shared distinctive words count, a model number
 * counts double.
 */
export function nameMatch(productName: string, audioName: string): number {
  const audio = new Set(words(audioName));
  let score = 0;
  for (const w of new Set(words(productName))) if (audio.has(w)) score += /\d/.test(w) ? 2 : 1;
  return score >= 2 ? score : 0;
}

export function pickHeadset<T extends HeadsetCandidate>(
  devices: readonly T[], chosen: string | null, audioNames: readonly (string | null)[],
): T | undefined {
  const telephony = devices.filter((d) => hasTelephony(d.collections));
  if (chosen !== null) {
    const exact = telephony.find((d) => headsetKey(d) === chosen);
    if (exact) return exact;
  }
  let best: { device: T; score: number } | undefined;
  for (const device of telephony) {
    const score = Math.max(0, ...audioNames.filter((n): n is string => n !== null).map((n) => nameMatch(device.productName, n)));
    if (score > 0 && (!best || score > best.score)) best = { device, score };
  }
  return best?.device ?? telephony[0];
}

/** Telephony devices once each (a headset may expose several HID interfaces), for the Settings list. */
export function headsetChoices(devices: readonly HeadsetCandidate[]): { key: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const d of devices) if (hasTelephony(d.collections)) seen.set(headsetKey(d), d.productName);
  return [...seen].map(([key, name]) => ({ key, name }));
}
