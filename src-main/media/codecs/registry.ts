/** Every codec the engine offers, by its SDP encoding name (RFC 3551 Table 4, RFC 7587). */
import type { CodecDescriptor, CodecName } from './codec.js';
import { PCMA, PCMU } from './g711.js';
import { G722 } from './g722.js';
import { OPUS } from './opus.js';

export const codecs: Record<CodecName, CodecDescriptor> = { opus: OPUS, G722, PCMU, PCMA };

/** Looks up a codec by SDP encoding name, case-insensitively ("OPUS", "pcmu"). */
export function codecByName(name: string): CodecDescriptor | undefined {
  const lower = name.toLowerCase();
  for (const c of Object.values(codecs)) if (c.name.toLowerCase() === lower) return c;
  return undefined;
}
