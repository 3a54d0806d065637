/**
 * Opus packet inspection (RFC 6716 §3.1 TOC byte and frame packing, §4.2.3 SILK header bits),
 * enough to tell whether a packet carries in-band FEC (LBRR) for the packet before it.
 */

const TOC_CONFIG_SHIFT = 3;
const TOC_STEREO_BIT = 0x04;
const TOC_CODE_MASK = 0x03;
/** Configs 0–11 are SILK-only, 12–15 hybrid, 16–31 CELT-only (RFC 6716 Table 2). */
const LAST_SILK_CONFIG = 11;
const LAST_HYBRID_CONFIG = 15;
const CODE3_VBR_BIT = 0x80;
const CODE3_PADDING_BIT = 0x40;
const CODE3_COUNT_MASK = 0x3f;

/** Frame sizes at 48 kHz by the low bits of the config (RFC 6716 Table 2). */
const SILK_SAMPLES = [480, 960, 1920, 2880] as const;
const HYBRID_SAMPLES = [480, 960] as const;
const CELT_SAMPLES = [120, 240, 480, 960] as const;
/** One SILK frame covers at most 20 ms. */
const SILK_FRAME_48K = 960;

/** Samples per channel at 48 kHz of one frame of the given TOC config (RFC 6716 Table 2). */
export function opusFrameSamples48k(toc: number): number {
  const config = toc >> TOC_CONFIG_SHIFT;
  if (config <= LAST_SILK_CONFIG) return SILK_SAMPLES[config & 3]!;
  if (config <= LAST_HYBRID_CONFIG) return HYBRID_SAMPLES[config & 1]!;
  return CELT_SAMPLES[config & 3]!;
}

/** Offset of the first frame's data, or -1 if the packet is malformed (§3.2). */
function firstFrameOffset(p: Uint8Array): number {
  switch (p[0]! & TOC_CODE_MASK) {
    case 0:
    case 1:
      return 1;
    case 2:
      return p.length < 2 ? -1 : p[1]! < 252 ? 2 : 3;
    default: {
      if (p.length < 2) return -1;
      const fc = p[1]!;
      let at = 2;
      if (fc & CODE3_PADDING_BIT) {
        while (at < p.length && p[at] === 255) at++;
        at++;
      }
      if (fc & CODE3_VBR_BIT) {
        for (let m = 1; m < (fc & CODE3_COUNT_MASK); m++) at += at < p.length && p[at]! >= 252 ? 2 : 1;
      }
      return at;
    }
  }
}

/**
 * True when the first Opus frame carries LBRR (in-band FEC) data: SILK or hybrid mode with the LBRR
 * flag set. The flags are the first range-coded symbols, each with probability 1/2, so they are the
 * leading bits of the frame (§4.2.3): one VAD bit per SILK frame, then the LBRR flag; for stereo a
 * second set follows for the side channel.
 */
export function opusPacketHasFec(packet: Uint8Array): boolean {
  if (packet.length < 2) return false;
  const toc = packet[0]!;
  if (toc >> TOC_CONFIG_SHIFT > LAST_HYBRID_CONFIG) return false;
  const at = firstFrameOffset(packet);
  if (at < 0 || at >= packet.length) return false;
  const silkFrames = Math.max(1, opusFrameSamples48k(toc) / SILK_FRAME_48K);
  // Header bits, MSB first: VAD × silkFrames, LBRR (mid); then VAD × silkFrames, LBRR (side).
  const bits = (packet[at]! << 8) | (packet[at + 1] ?? 0);
  if ((bits >> (15 - silkFrames)) & 1) return true;
  return (toc & TOC_STEREO_BIT) !== 0 && ((bits >> (15 - (2 * silkFrames + 1))) & 1) === 1;
}
