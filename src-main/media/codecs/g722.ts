/**
 * ITU-T G.722 7 kHz SB-ADPCM at 64 kbit/s (mode 1): a 24-tap QMF splits 16 kHz PCM into two 8 kHz
 * sub-bands; the lower band is coded with 6-bit ADPCM (60 levels), the upper with 2-bit ADPCM; both
 * use the G.722 §3.6 adaptive predictor (2 poles, 6 zeros). One octet per sample pair: upper 2 bits
 * IH, lower 6 bits IL (RFC 3551 §4.5.2). RTP clock is 8000 Hz although audio is 16 kHz.
 * Integer arithmetic is the reference's, so the bit stream matches other faithful implementations.
 */
import type { AudioDecoder, AudioEncoder, CodecDescriptor } from './codec.js';
import { G711Concealer } from './plc-g711.js';

/** G.722 Table 11: QMF coefficients h0..h11 (h23..h12 mirror them). */
const QMF = [3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11] as const;
const QMF_TAPS = 24;
/** QMF delay line: QMF_TAPS-2 samples of memory plus room to append before compacting. */
const DELAY_LINE = 1024;

/** G.722 Table 14: ILB, the inverse-log2 table of SCALEL/SCALEH. */
const ILB = [
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834, 2896,
  2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
] as const;
/** G.722 Table 17 (WH): log-scale factor steps of the upper band, by the magnitude bit of IH. */
const WH = [798, -214] as const;
/** G.722 Table 17 (QQ2): upper band inverse quantiser, by IH. */
const QQ2 = [-926, -202, 926, 202] as const;
/** G.722 Table 15 (WL via RIL): lower band log-scale factor steps, by the 4-bit code IL >> 2. */
const WL = [-60, 3042, 1198, 538, 334, 172, 58, -30, 3042, 1198, 538, 334, 172, 58, -30, -60] as const;
/** G.722 Table 16 (QQ4): 4-bit inverse quantiser used for prediction (embedded coding). */
const QQ4 = [0, -2557, -1612, -1121, -786, -530, -323, -150, 2557, 1612, 1121, 786, 530, 323, 150, 0] as const;
/** G.722 Table 16 (QQ6): 6-bit inverse quantiser used for the decoder output at 64 kbit/s. */
const QQ6 = [
  -17, -17, -17, -17, -3101, -2738, -2376, -2088, -1873, -1689, -1535, -1399, -1279, -1170, -1072, -982,
  -899, -822, -750, -682, -618, -558, -501, -447, -396, -347, -300, -254, -211, -170, -130, -91, 3101, 2738,
  2376, 2088, 1873, 1689, 1535, 1399, 1279, 1170, 1072, 982, 899, 822, 750, 682, 618, 558, 501, 447, 396,
  347, 300, 254, 211, 170, 130, 91, 54, 17, -54, -17,
] as const;
/** G.722 Table 12 (Q6): lower band decision levels for the 6-bit quantiser, in units of DETL. */
const Q6 = [
  35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121, 1219,
  1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919,
] as const;
/** Upper band decision level: 564 × DETH / 4096 ≈ 141 × DETH >> 8 (G.722 §3.4.1). */
const Q2 = 141;
const LOW_NBL_MAX = 18432; // LOGSCL limit
const HIGH_NBH_MAX = 22528; // LOGSCH limit
const LOW_SCALE_BIAS = 8 << 11; // SCALEL: NBPL − 8 in the log2 domain
const HIGH_SCALE_BIAS = 10 << 11;
const IH_SHIFT = 6;
const IL_MASK = 0x3f;

const clip = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
const clip16 = (v: number): number => (v < -32768 ? -32768 : v > 32767 ? 32767 : v);

/** State of one sub-band's ADPCM: quantiser scale and the pole-zero predictor (§3.5, §3.6). */
class SubBand {
  sz = 0; // SZ: zero-section prediction
  s = 0; // S: full signal estimate (SZ + pole section)
  plt1 = 0; // sign of PLT(n-1): 1 if negative
  plt2 = 0; // sign of PLT(n-2)
  r1 = 0; // RLT/RH(n-1), reconstructed signal
  a1 = 0; // AL1: pole coefficients
  a2 = 0; // AL2
  readonly d = new Int32Array(6); // DLT(n-1..n-6): quantised differences
  readonly b = new Int32Array(6); // BL1..BL6: zero coefficients
  nb = 0; // NBL/NBH: log-scale factor
  det: number; // DETL/DETH: scale factor

  constructor(private readonly initialDet: number) {
    this.det = initialDet;
  }

  reset(): void {
    this.sz = this.s = this.plt1 = this.plt2 = this.r1 = this.a1 = this.a2 = this.nb = 0;
    this.d.fill(0);
    this.b.fill(0);
    this.det = this.initialDet;
  }

  /** §3.6: UPPOL2, UPPOL1, UPZERO, DELAYA, FILTEZ, FILTEP, PREDIC for the new difference `dq`. */
  adapt(dq: number): void {
    const plt = this.sz + dq < 0 ? 1 : 0;
    // SG: +1 when the signs of PLT(n) and PLT(n-1) differ (resp. PLT(n), PLT(n-2) agree)
    const sg1 = plt !== this.plt1 ? 1 : -1;
    const sg2 = plt === this.plt2 ? 1 : -1;
    this.plt2 = this.plt1;
    this.plt1 = plt;
    // UPPOL2
    this.a2 = clip(((sg1 * clip(this.a1, -8191, 8191)) >> 5) + (sg2 << 7) + ((this.a2 * 127) >> 7), -12288, 12288);
    // UPPOL1
    const limit = 15360 - this.a2;
    this.a1 = clip(-192 * sg1 + ((this.a1 * 255) >> 8), -limit, limit);
    // UPZERO
    const { b, d } = this;
    for (let i = 0; i < 6; i++) b[i] = ((b[i]! * 255) >> 8) + (dq === 0 ? 0 : (d[i]! ^ dq) < 0 ? -128 : 128);
    // DELAYA
    for (let i = 5; i > 0; i--) d[i] = d[i - 1]!;
    d[0] = clip16(dq << 1);
    // FILTEZ
    let sz = 0;
    for (let i = 5; i >= 0; i--) sz += (b[i]! * d[i]!) >> 15;
    this.sz = sz;
    // RECONS, FILTEP, PREDIC
    const r = clip16((this.s + dq) << 1);
    this.s = clip16(sz + ((this.a1 * r) >> 15) + ((this.a2 * this.r1) >> 15));
    this.r1 = r;
  }

  /** SCALEL/SCALEH: DET from the log-scale factor. */
  scale(bias: number): void {
    const l = this.nb - bias;
    const wd1 = ILB[(l >> 6) & 31]!;
    const shift = l >> 11;
    this.det = shift < 0 ? wd1 >> -shift : wd1 << shift;
  }
}

/** Lower band after code IL: INVQAL (4-bit) + prediction update, LOGSCL, SCALEL. */
function updateLow(band: SubBand, il4: number): void {
  band.adapt((band.det * QQ4[il4]!) >> 10);
  band.nb = clip(((band.nb * 127) >> 7) + WL[il4]!, 0, LOW_NBL_MAX);
  band.scale(LOW_SCALE_BIAS);
}

/** Upper band after code IH: INVQAH + prediction update, LOGSCH, SCALEH. */
function updateHigh(band: SubBand, dh: number, ih: number): void {
  band.adapt(dh);
  band.nb = clip(((band.nb * 127) >> 7) + WH[ih & 1]!, 0, HIGH_NBH_MAX);
  band.scale(HIGH_SCALE_BIAS);
}

/** Shared QMF delay line: x[pos-24..pos) are the 24 most recent inputs, oldest first. */
class QmfDelay {
  readonly x = new Int16Array(DELAY_LINE);
  pos = QMF_TAPS - 2;
  odd = 0; // Σ x[2i+1]·h[11−i]
  even = 0; // Σ x[2i]·h[i]

  push2(a: number, b: number): void {
    if (this.pos >= DELAY_LINE) {
      this.x.copyWithin(0, this.pos - (QMF_TAPS - 2), this.pos);
      this.pos = QMF_TAPS - 2;
    }
    this.x[this.pos++] = a;
    this.x[this.pos++] = b;
    const x = this.x;
    const base = this.pos - QMF_TAPS;
    let odd = 0;
    let even = 0;
    for (let i = 0; i < 12; i++) {
      even += x[base + 2 * i]! * QMF[i]!;
      odd += x[base + 2 * i + 1]! * QMF[11 - i]!;
    }
    this.odd = odd;
    this.even = even;
  }

  reset(): void {
    this.x.fill(0);
    this.pos = QMF_TAPS - 2;
  }
}

export class G722Encoder implements AudioEncoder {
  private readonly low = new SubBand(8);
  private readonly high = new SubBand(2);
  private readonly qmf = new QmfDelay();

  /** pcm: 16 kHz samples (even count); out: pcm.length / 2 octets. */
  encode(pcm: Int16Array, out: Uint8Array): number {
    const pairs = Math.min(pcm.length >> 1, out.length);
    const { low, high, qmf } = this;
    for (let j = 0; j < pairs; j++) {
      // Transmit QMF (§3.1): XL, XH
      qmf.push2(pcm[2 * j]!, pcm[2 * j + 1]!);
      const xl = (qmf.odd + qmf.even) >> 14;
      const xh = (qmf.odd - qmf.even) >> 14;
      // QUANTH (§3.4.1)
      const eh = clip16(xh - high.s);
      const mh = (eh ^ (eh >> 31)) < ((Q2 * high.det) >> 8) ? 1 : 0;
      const ih = mh + (eh >= 0 ? 2 : 0);
      // QUANTL (§3.3.1): 6-bit code from the magnitude of EL against the scaled decision levels
      const el = clip16(xl - low.s);
      const wd = ((el ^ (el >> 31)) + 1) << 10;
      let i = wd > Q6[8]! * low.det ? 9 : 0;
      while (i < 29 && wd > Q6[i]! * low.det) i++;
      const il = (el < 0 ? (i < 2 ? 63 : 33) : 61) - i;
      updateHigh(high, (high.det * QQ2[ih]!) >> 10, ih);
      updateLow(low, il >> 2);
      out[j] = (ih << IH_SHIFT) | il;
    }
    return pairs;
  }

  reset(): void {
    this.low.reset();
    this.high.reset();
    this.qmf.reset();
  }
}

/** Decoder core without concealment: 2 samples per octet. */
export class G722Synthesis {
  private readonly low = new SubBand(8);
  private readonly high = new SubBand(2);
  private readonly qmf = new QmfDelay();

  decode(payload: Uint8Array, out: Int16Array): number {
    const n = Math.min(payload.length, out.length >> 1);
    const { low, high, qmf } = this;
    for (let j = 0; j < n; j++) {
      const code = payload[j]!;
      const ih = code >> IH_SHIFT;
      const il = code & IL_MASK;
      // INVQBL (6-bit) + RECONS: RL
      const rl = clip(((low.det * QQ6[il]!) >> 10) + low.s, -16384, 16383);
      updateLow(low, il >> 2);
      // INVQAH + RECONS: RH
      const dh = (high.det * QQ2[ih]!) >> 10;
      const rh = clip(dh + high.s, -16384, 16383);
      updateHigh(high, dh, ih);
      // Receive QMF (§4.4)
      qmf.push2(rl + rh, rl - rh);
      out[2 * j] = clip16(qmf.odd >> 11);
      out[2 * j + 1] = clip16(qmf.even >> 11);
    }
    return 2 * n;
  }

  reset(): void {
    this.low.reset();
    this.high.reset();
    this.qmf.reset();
  }
}

class G722Decoder implements AudioDecoder {
  private readonly core = new G722Synthesis();
  private readonly plc = new G711Concealer(16000);

  decode(payload: Uint8Array, out: Int16Array): number {
    const n = this.core.decode(payload, out);
    this.plc.receive(out, n);
    return n;
  }

  /** Appendix-I style concealment at 16 kHz. The ADPCM state is left as it was before the gap. */
  conceal(out: Int16Array, samples: number): number {
    return this.plc.conceal(out, samples);
  }

  reset(): void {
    this.core.reset();
    this.plc.reset();
  }
}

/** RFC 3551 Table 4: G722 pt 9, RTP clock 8000 (§4.5.2), audio 16 kHz. */
export const G722: CodecDescriptor = {
  name: 'G722',
  sampleRate: 16000,
  rtpClockRate: 8000,
  staticPayloadType: 9,
  ptimes: [10, 20, 30, 40, 60],
  createEncoder: () => new G722Encoder(),
  createDecoder: () => new G722Decoder(),
};
