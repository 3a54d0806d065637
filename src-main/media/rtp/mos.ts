/**
 * Call quality estimate with the E-model (ITU-T G.107), simplified as VoIP monitors commonly do:
 *
 *   R = 93.2 − Id − Ie,eff                        (R0 − Is = 93.2 and A = 0 at G.107 defaults)
 *   d = rtt/2 + 2·jitter                          one-way delay [ms]: half the RTT plus a jitter
 *                                                 buffer sized at twice the measured jitter
 *   Id = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3)  Cole & Rosenbluth (2001), a fit of G.107's Id
 *                                                 at default echo/TELR values
 *   Ie,eff = Ie + (95 − Ie)·Ppl / (Ppl + Bpl)     G.107 §7.4 eq. (7-29) with BurstR = 1 (random loss)
 *   MOS-CQ = 1 + 0.035R + R(R − 60)(100 − R)·7·10⁻⁶, 1 below R = 0, 4.5 above R = 100 (G.107 Annex B)
 *
 * Per-codec Ie/Bpl (narrowband scale):
 * - PCMU/PCMA: Ie 0, Bpl 25.1 — ITU-T G.113 Appendix I, G.711 with PLC (G.711 Appendix I), random loss.
 * - G722: Ie 0, Bpl 25.1 — assumption. G.107's scale is narrowband and G.113 rates G.722 only on
 *   the wideband scale (G.107.1); we score it like G.711 with PLC, i.e. without wideband credit.
 * - opus: Ie 0, Bpl 30 — assumption, no ITU-T values exist. At the voice bitrates we send
 *   (≥ 24 kbit/s) Opus is at least as clean as G.711 on the narrowband scale, and its PLC plus
 *   in-band FEC degrade more gently than G.711's PLC, hence a Bpl somewhat above 25.1.
 */
export type MosCodec = 'PCMU' | 'PCMA' | 'G722' | 'opus';

export interface CodecImpairment {
  /** Equipment impairment factor without loss. */
  ie: number;
  /** Packet-loss robustness factor. */
  bpl: number;
}

export const CODEC_IMPAIRMENT: Readonly<Record<MosCodec, CodecImpairment>> = {
  PCMU: { ie: 0, bpl: 25.1 },
  PCMA: { ie: 0, bpl: 25.1 },
  G722: { ie: 0, bpl: 25.1 },
  opus: { ie: 0, bpl: 30 },
};

/** R0 − Is with G.107 default values. */
export const R_DEFAULT = 93.2;

export interface MosInput {
  codec: MosCodec;
  /** Packet loss after the jitter buffer [%], 0..100. */
  lossPercent: number;
  /** Interarrival jitter [ms]. */
  jitterMs: number;
  /** Round-trip time [ms]. */
  rttMs: number;
}

/** One-way mouth-to-ear delay estimate [ms]. */
export function oneWayDelayMs(rttMs: number, jitterMs: number): number {
  return Math.max(0, rttMs) / 2 + 2 * Math.max(0, jitterMs);
}

/** Delay impairment Id (Cole & Rosenbluth fit of G.107). */
export function delayImpairment(delayMs: number): number {
  return 0.024 * delayMs + (delayMs > 177.3 ? 0.11 * (delayMs - 177.3) : 0);
}

/** G.107 eq. (7-29), random loss (BurstR = 1). */
export function effectiveEquipmentImpairment(c: CodecImpairment, lossPercent: number): number {
  const ppl = Math.min(100, Math.max(0, lossPercent));
  return c.ie + ((95 - c.ie) * ppl) / (ppl + c.bpl);
}

/** G.107 Annex B: R → MOS-CQ. The cubic dips below 1 for 0 < R < 6.5; we hold it at 1 there. */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return Math.max(1, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6);
}

export function estimateMos(input: MosInput): { r: number; mos: number } {
  const id = delayImpairment(oneWayDelayMs(input.rttMs, input.jitterMs));
  const ieEff = effectiveEquipmentImpairment(CODEC_IMPAIRMENT[input.codec], input.lossPercent);
  const r = R_DEFAULT - id - ieEff;
  return { r, mos: mosFromR(r) };
}
