/**
 * Frames STUN messages and ChannelData out of a TCP/TLS byte stream (RFC 8656 §12.5, RFC 8489
 * §6.2.2): the first two bits tell them apart (00 STUN: 20 + length bytes; 01 ChannelData:
 * 4 + length rounded up to 4). Anything else is a framing error: the stream cannot resync.
 */

export type FrameResult = { ok: true; frames: Buffer[] } | { ok: false; reason: string };

/** Largest frame: a STUN message at the 16-bit length ceiling. */
const MAX_FRAME = 65_555;

export class StreamFramer {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): FrameResult {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Buffer[] = [];
    for (;;) {
      if (this.buffer.length < 4) break;
      const first = this.buffer[0]!;
      const length = this.buffer.readUInt16BE(2);
      let size: number;
      if (first < 0x40) {
        if (this.buffer.length < 8) break;
        if (this.buffer.readUInt32BE(4) !== 0x2112a442) return { ok: false, reason: 'STUN frame without the magic cookie' };
        size = 20 + length;
      } else if (first <= 0x4f) {
        size = (4 + length + 3) & ~3;
      } else {
        return { ok: false, reason: 'neither STUN nor ChannelData on the stream' };
      }
      if (size > MAX_FRAME) return { ok: false, reason: 'frame too large' };
      if (this.buffer.length < size) break;
      frames.push(Buffer.from(this.buffer.subarray(0, size)));
      this.buffer = this.buffer.subarray(size);
    }
    return { ok: true, frames };
  }
}
