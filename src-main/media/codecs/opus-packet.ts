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

/** Samples per channel at 48 kHz of one frame of the given TOC config (RFC 6716 Table 2). */
export function opusFrameSamples48k(toc: number): number {
  const config = toc >> TOC_CONFIG_SHIFT;
  if (config <= LAST_SILK_CONFIG) return [480, 960, 1920, 2880][config & 3]!;
  if (config <= LAST_HYBRID_CONFIG) return [480, 960][config & 1]!;
  return [120, 240, 480, 960][config & 3]!;
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
  const silkFrames = Math.max(1, opusFrameSamples48k(toc) / 960);
  const bits = (packet[at]! << 8) | (packet[at + 1] ?? 0);
  const bit = (i: number): boolean => ((bits >> (15 - i)) & 1) === 1;
  if (bit(silkFrames)) return true;
  return (toc & TOC_STEREO_BIT) !== 0 && bit(2 * silkFrames + 1);
}
