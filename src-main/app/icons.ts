/**
 * The app's icons drawn in code (no image files to keep in step): the tray icon in three
 * states with a missed-call dot, the Windows taskbar overlay, and the app icon the installers
 * start from (resources/icon.png, made by scripts/make-icons.mjs and checked by a test).
 * RGBA pixels, 4×4 supersampled shapes, encoded as PNG (RFC 2083) with node:zlib.
 */
import { deflateSync } from 'node:zlib';
import type { TrayStatus } from './desktop-policy.js';

type Rgb = readonly [number, number, number];

const colours: Record<TrayStatus | 'missed' | 'brand' | 'white', Rgb> = {
  brand: [0x25, 0x63, 0xeb],
  registered: [0x25, 0x63, 0xeb],
  dnd: [0xdc, 0x26, 0x26],
  offline: [0x6b, 0x72, 0x80],
  missed: [0xf9, 0x73, 0x16],
  white: [0xff, 0xff, 0xff],
};

/** A canvas of RGBA pixels that shapes are painted onto (source-over, coverage as alpha). */
class Canvas {
  readonly pixels: Uint8Array;
  constructor(readonly size: number) {
    this.pixels = new Uint8Array(size * size * 4);
  }

  /** Paints where `inside(x, y)` holds (x, y in 0..1 of the canvas), antialiased by 4×4 samples. */
  paint(colour: Rgb, inside: (x: number, y: number) => boolean): void {
    const n = this.size;
    for (let py = 0; py < n; py++) {
      for (let px = 0; px < n; px++) {
        let hits = 0;
        for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) if (inside((px + (sx + 0.5) / 4) / n, (py + (sy + 0.5) / 4) / n)) hits++;
        if (hits === 0) continue;
        const a = hits / 16;
        const i = (py * n + px) * 4;
        const da = this.pixels[i + 3]! / 255;
        const oa = a + da * (1 - a);
        for (let c = 0; c < 3; c++) this.pixels[i + c] = Math.round((colour[c]! * a + this.pixels[i + c]! * da * (1 - a)) / oa);
        this.pixels[i + 3] = Math.round(oa * 255);
      }
    }
  }
}

const disc = (cx: number, cy: number, r: number) => (x: number, y: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx: number, cy: number, r: number, w: number) => (x: number, y: number) => {
  const d = Math.hypot(x - cx, y - cy);
  return d <= r && d >= r - w;
};
const roundedSquare = (inset: number, radius: number) => (x: number, y: number) => {
  const lo = inset + radius;
  const hi = 1 - inset - radius;
  const dx = Math.max(lo - x, 0, x - hi);
  const dy = Math.max(lo - y, 0, y - hi);
  return x >= inset && x <= 1 - inset && y >= inset && y <= 1 - inset && dx * dx + dy * dy <= radius * radius;
};

/** The mark: a ring and a dot (a cloud's "nimbus" around a call). */
function mark(canvas: Canvas, fill: Rgb, scale: number, cx = 0.5, cy = 0.5): void {
  canvas.paint(fill, disc(cx, cy, 0.46 * scale));
  canvas.paint(colours.white, ring(cx, cy, 0.32 * scale, 0.09 * scale));
  canvas.paint(colours.white, disc(cx, cy, 0.11 * scale));
}

/** The tray icon: the mark in the status colour, an orange dot top-right while calls are missed. */
export function trayIconPixels(size: number, status: TrayStatus, missed: boolean): Uint8Array {
  const canvas = new Canvas(size);
  mark(canvas, colours[status], 1);
  if (missed) {
    canvas.paint(colours.white, disc(0.78, 0.22, 0.24));
    canvas.paint(colours.missed, disc(0.78, 0.22, 0.18));
  }
  return canvas.pixels;
}

/** Windows taskbar overlay for missed calls: an orange dot. */
export function overlayPixels(size: number): Uint8Array {
  const canvas = new Canvas(size);
  canvas.paint(colours.white, disc(0.5, 0.5, 0.5));
  canvas.paint(colours.missed, disc(0.5, 0.5, 0.4));
  return canvas.pixels;
}

/** The app icon: the mark on a brand-blue rounded square (macOS grid: 10 % inset). */
export function appIconPixels(size: number): Uint8Array {
  const canvas = new Canvas(size);
  canvas.paint(colours.brand, roundedSquare(0.1, 0.18));
  mark(canvas, colours.brand, 0.78);
  return canvas.pixels;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** RGBA pixels (row by row) → a PNG file: 8-bit RGBA, filter 0 on every row. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

export const trayIconPng = (size: number, status: TrayStatus, missed: boolean): Buffer => encodePng(size, size, trayIconPixels(size, status, missed));
export const overlayPng = (size: number): Buffer => encodePng(size, size, overlayPixels(size));
export const appIconPng = (size: number): Buffer => encodePng(size, size, appIconPixels(size));
