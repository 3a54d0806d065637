/**
 * The common WAV case read without copies: RIFF/WAVE (the "WAVE file format", RIFF chunks padded
 * to even sizes), uncompressed PCM, 16-bit, mono. The samples are a view of the file's bytes when
 * aligned; anything else returns undefined and is decoded by the general path (wav-source.ts).
 */
const WAVE_FORMAT_PCM = 1;

function chunkId(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}

/** Mono 16-bit PCM samples and their rate, or undefined when the file is anything else. */
export function readPcm16Mono(bytes: Uint8Array): { samples: Int16Array; rate: number } | undefined {
  if (bytes.length < 12 || chunkId(bytes, 0) !== 'RIFF' || chunkId(bytes, 8) !== 'WAVE') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmtOk = false, rate = 0;
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = chunkId(bytes, at), size = view.getUint32(at + 4, true), body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) return undefined;
      fmtOk = view.getUint16(body, true) === WAVE_FORMAT_PCM && view.getUint16(body + 2, true) === 1 && view.getUint16(body + 14, true) === 16;
      rate = view.getUint32(body + 4, true);
      if (!fmtOk) return undefined;
    } else if (id === 'data') {
      if (!fmtOk || rate === 0) return undefined;
      const count = Math.floor(Math.min(size, bytes.length - body) / 2);
      return { samples: int16At(bytes, body, count), rate };
    }
    at = body + size + (size & 1);
  }
  return undefined;
}

/** `count` little-endian samples from `offset`: a view when aligned on a little-endian host. */
function int16At(bytes: Uint8Array, offset: number, count: number): Int16Array {
  const start = bytes.byteOffset + offset;
  if (start % 2 === 0 && LITTLE_ENDIAN) return new Int16Array(bytes.buffer, start, count);
  const out = new Int16Array(count);
  const view = new DataView(bytes.buffer, start, count * 2);
  for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
