/**
 * ITU-T G.711 PCM of voice frequencies: µ-law (PCMU, RTP pt 0) and A-law (PCMA, pt 8), RFC 3551 §4.5.14.
 * Quantisation follows the ITU-T G.191 reference (one's complement for negative inputs), so decode ∘
 * encode is the identity on every code except µ-law 0x7F ("negative zero"), which decodes to 0 and
 * re-encodes as the canonical 0xFF. Encode and decode are single table look-ups.
 */
import type { AudioDecoder, AudioEncoder, CodecDescriptor } from './codec.js';
import { G711Concealer } from './plc-g711.js';

const SIGN_BIT = 0x80;
const SEGMENT_SHIFT = 4;
const QUANT_MASK = 0x0f;
/** µ-law bias (33 in 14-bit units, 132 in 16-bit units), G.711 Table 2a. */
const MULAW_BIAS = 33;
const MULAW_CLIP = 0x1fff;
/** A-law toggles the even bits of every code word, G.711 Table 1a note. */
const ALAW_EVEN_BITS = 0x55;

/** µ-law code → 16-bit linear (14-bit value scaled by 4). */
function mulawExpand(code: number): number {
  const sign = code < SIGN_BIT ? -1 : 1;
  const m = ~code;
  const exponent = (m >> SEGMENT_SHIFT) & 0x07;
  const mantissa = m & QUANT_MASK;
  const step = 4 << (exponent + 1);
  return sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * MULAW_BIAS);
}

/** 16-bit linear → µ-law code. */
function mulawCompress(x: number): number {
  let abs = (x < 0 ? ~x >> 2 : x >> 2) + MULAW_BIAS;
  if (abs > MULAW_CLIP) abs = MULAW_CLIP;
  let segment = 1;
  for (let i = abs >> 6; i !== 0; i >>= 1) segment++;
  const code = ((8 - segment) << SEGMENT_SHIFT) | (QUANT_MASK - ((abs >> segment) & QUANT_MASK));
  return x >= 0 ? code | SIGN_BIT : code;
}

/** A-law code → 16-bit linear (13-bit value scaled by 8). */
function alawExpand(code: number): number {
  const ix = (code ^ ALAW_EVEN_BITS) & 0x7f;
  const exponent = ix >> SEGMENT_SHIFT;
  let mantissa = ix & QUANT_MASK;
  if (exponent > 0) mantissa += 16;
  mantissa = (mantissa << 4) + 8;
  if (exponent > 1) mantissa <<= exponent - 1;
  return code & SIGN_BIT ? mantissa : -mantissa;
}

/** 16-bit linear → A-law code. */
function alawCompress(x: number): number {
  let ix = x < 0 ? ~x >> 4 : x >> 4;
  if (ix > 15) {
    let exponent = 1;
    while (ix > 16 + 15) {
      ix >>= 1;
      exponent++;
    }
    ix = ix - 16 + (exponent << SEGMENT_SHIFT);
  }
  if (x >= 0) ix |= SIGN_BIT;
  return ix ^ ALAW_EVEN_BITS;
}

/** 256-entry decode tables. */
export const MULAW_TO_LINEAR = new Int16Array(256);
export const ALAW_TO_LINEAR = new Int16Array(256);
for (let c = 0; c < 256; c++) {
  MULAW_TO_LINEAR[c] = mulawExpand(c);
  ALAW_TO_LINEAR[c] = alawExpand(c);
}

/** Encode tables indexed by the significant bits: µ-law uses x >> 2 (14 bits), A-law x >> 4 (12 bits). */
const MULAW_ENCODE = new Uint8Array(1 << 14);
const ALAW_ENCODE = new Uint8Array(1 << 12);
for (let i = 0; i < 1 << 14; i++) MULAW_ENCODE[i] = mulawCompress((i - (1 << 13)) << 2);
for (let i = 0; i < 1 << 12; i++) ALAW_ENCODE[i] = alawCompress((i - (1 << 11)) << 4);

export function linearToMulaw(x: number): number {
  return MULAW_ENCODE[(x >> 2) + (1 << 13)]!;
}

export function linearToAlaw(x: number): number {
  return ALAW_ENCODE[(x >> 4) + (1 << 11)]!;
}

export type G711Law = 'mu' | 'a';

class G711Encoder implements AudioEncoder {
  private readonly table: Uint8Array;
  private readonly shift: number;
  private readonly offset: number;
  constructor(law: G711Law) {
    this.table = law === 'mu' ? MULAW_ENCODE : ALAW_ENCODE;
    this.shift = law === 'mu' ? 2 : 4;
    this.offset = law === 'mu' ? 1 << 13 : 1 << 11;
  }
  encode(pcm: Int16Array, out: Uint8Array): number {
    const n = Math.min(pcm.length, out.length);
    const { table, shift, offset } = this;
    for (let i = 0; i < n; i++) out[i] = table[(pcm[i]! >> shift) + offset]!;
    return n;
  }
  reset(): void {}
}

class G711Decoder implements AudioDecoder {
  private readonly table: Int16Array;
  private readonly plc = new G711Concealer(8000);
  constructor(law: G711Law) {
    this.table = law === 'mu' ? MULAW_TO_LINEAR : ALAW_TO_LINEAR;
  }
  decode(payload: Uint8Array, out: Int16Array): number {
    const n = Math.min(payload.length, out.length);
    const { table } = this;
    for (let i = 0; i < n; i++) out[i] = table[payload[i]!]!;
    this.plc.receive(out, n);
    return n;
  }
  conceal(out: Int16Array, samples: number): number {
    return this.plc.conceal(out, samples);
  }
  reset(): void {
    this.plc.reset();
  }
}

function g711(name: 'PCMU' | 'PCMA', pt: number, law: G711Law): CodecDescriptor {
  return {
    name,
    sampleRate: 8000,
    rtpClockRate: 8000,
    staticPayloadType: pt,
    ptimes: [10, 20, 30, 40, 60],
    createEncoder: () => new G711Encoder(law),
    createDecoder: () => new G711Decoder(law),
  };
}

/** RFC 3551 Table 4: PCMU pt 0, PCMA pt 8, 8000 Hz. */
export const PCMU: CodecDescriptor = g711('PCMU', 0, 'mu');
export const PCMA: CodecDescriptor = g711('PCMA', 8, 'a');
