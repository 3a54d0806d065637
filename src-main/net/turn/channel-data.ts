/**
 * ChannelData messages (RFC 8656 §12.4): 2-byte channel number 0x4000–0x4FFF, 2-byte length,
 * application data; padded to a multiple of 4 over TCP/TLS (§12.5), not over UDP.
 */

export const MIN_CHANNEL = 0x4000;
export const MAX_CHANNEL = 0x4fff;

/** RFC 7983 §7: first byte 64..79 is ChannelData on a shared port. */
export function isChannelData(data: Uint8Array): boolean {
  return data.length >= 4 && data[0]! >= 0x40 && data[0]! <= 0x4f;
}

export function encodeChannelData(channel: number, payload: Uint8Array, padded: boolean): Buffer {
  const size = 4 + payload.length;
  const out = Buffer.alloc(padded ? (size + 3) & ~3 : size);
  out.writeUInt16BE(channel, 0);
  out.writeUInt16BE(payload.length, 2);
  out.set(payload, 4);
  return out;
}

/** Bounded parse: the length field must fit in the data (padding or, over UDP, slack ignored). */
export function parseChannelData(data: Buffer): { channel: number; payload: Buffer } | undefined {
  if (!isChannelData(data)) return undefined;
  const channel = data.readUInt16BE(0);
  if (channel > MAX_CHANNEL) return undefined;
  const length = data.readUInt16BE(2);
  if (4 + length > data.length) return undefined;
  return { channel, payload: data.subarray(4, 4 + length) };
}
