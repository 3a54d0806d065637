/**
 * Streaming writer of a mono 16-bit PCM WAV (RIFF/WAVE, canonical 44-byte header). Samples are
 * copied into preallocated 1 s chunks on the audio path; full chunks are written asynchronously, and
 * after every write the RIFF and data sizes are patched, so the file is valid even if the process
 * dies. (wavefile builds whole files in memory: an hour-long call would be 345 MB, hence this.)
 */
import { open, type FileHandle } from 'node:fs/promises';

/** Canonical WAV header layout (byte offsets). */
export const RIFF_SIZE_OFFSET = 4;
export const DATA_SIZE_OFFSET = 40;
export const WAV_HEADER_BYTES = 44;
const FMT_CHUNK_BYTES = 16;
const WAVE_FORMAT_PCM = 1;
const BITS = 16;

export function wavHeader(rate: number, dataBytes: number, channels = 1): Buffer {
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  const blockAlign = (channels * BITS) / 8;
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(WAV_HEADER_BYTES - 8 + dataBytes, RIFF_SIZE_OFFSET);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(FMT_CHUNK_BYTES, 16);
  h.writeUInt16LE(WAVE_FORMAT_PCM, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(BITS, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, DATA_SIZE_OFFSET);
  return h;
}

export class WavFileWriter {
  private chunk: Buffer;
  private fill = 0;
  private readonly free: Buffer[] = [];
  private readonly sizes = Buffer.alloc(4);
  private queue: Promise<void> = Promise.resolve();
  private dataBytes = 0;
  private closed = false;
  /** First write error (the writer stops writing after it). */
  error: Error | undefined;

  private constructor(private readonly fh: FileHandle, readonly rate: number, private readonly chunkBytes: number) {
    this.chunk = Buffer.alloc(chunkBytes);
  }

  static async create(path: string, rate: number, chunkMs = 1000): Promise<WavFileWriter> {
    const fh = await open(path, 'w');
    await fh.write(wavHeader(rate, 0), 0, WAV_HEADER_BYTES, 0);
    return new WavFileWriter(fh, rate, Math.max(2, Math.round((rate * chunkMs) / 1000) * 2));
  }

  /** Samples appended so far (written or pending). */
  get samples(): number {
    return (this.dataBytes + this.fill) / 2;
  }

  append(pcm: Int16Array): void {
    if (this.closed) return;
    let i = 0;
    while (i < pcm.length) {
      const room = (this.chunkBytes - this.fill) >> 1;
      const n = Math.min(room, pcm.length - i);
      for (let k = 0; k < n; k++) this.chunk.writeInt16LE(pcm[i + k]!, this.fill + 2 * k);
      this.fill += 2 * n;
      i += n;
      if (this.fill === this.chunkBytes) this.flushChunk();
    }
  }

  /** Writes what is buffered, finalizes the header and closes the file. */
  async close(): Promise<void> {
    if (this.closed) return this.queue;
    this.closed = true;
    if (this.fill > 0) this.flushChunk();
    await this.queue;
    await this.fh.close();
    if (this.error) throw this.error;
  }

  private flushChunk(): void {
    const buf = this.chunk;
    const len = this.fill;
    const at = WAV_HEADER_BYTES + this.dataBytes;
    this.dataBytes += len;
    const total = this.dataBytes;
    this.chunk = this.free.pop() ?? Buffer.alloc(this.chunkBytes);
    this.fill = 0;
    this.queue = this.queue.then(async () => {
      try {
        if (this.error) return;
        await this.fh.write(buf, 0, len, at);
        this.sizes.writeUInt32LE(WAV_HEADER_BYTES - 8 + total, 0);
        await this.fh.write(this.sizes, 0, 4, RIFF_SIZE_OFFSET);
        this.sizes.writeUInt32LE(total, 0);
        await this.fh.write(this.sizes, 0, 4, DATA_SIZE_OFFSET);
      } catch (e) {
        this.error ??= e instanceof Error ? e : new Error(String(e));
      } finally {
        this.free.push(buf);
      }
    });
  }
}
