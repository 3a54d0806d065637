/**
 * The peer's reports of our loss (RTCP RR "fraction lost", RFC 3550 §6.4.1) drive how many bits
 * Opus spends on in-band FEC (RFC 6716 §2.1.7). A report can be forged or wrong, so what reaches
 * the encoder stays within bounds: at most `maxPercent`, moving at most `maxStepPercent` per
 * change and changing at most once per `minIntervalMs` (RTCP's own minimum interval is 5 s,
 * RFC 3550 §6.2). Pure; time is the caller's monotonic ms.
 */
export interface LossReportFilterOptions {
  maxPercent?: number;
  maxStepPercent?: number;
  minIntervalMs?: number;
}

export class LossReportFilter {
  private current = 0;
  private changedAtMs = -Infinity;
  private readonly maxPercent: number;
  private readonly maxStep: number;
  private readonly minIntervalMs: number;

  constructor(options: LossReportFilterOptions = {}) {
    this.maxPercent = options.maxPercent ?? 30;
    this.maxStep = options.maxStepPercent ?? 10;
    this.minIntervalMs = options.minIntervalMs ?? 2000;
  }

  /** A report of `fractionLost` (0..1); returns the loss [%] to apply now, or undefined for no change. */
  onReport(fractionLost: number, nowMs: number): number | undefined {
    if (!Number.isFinite(fractionLost) || nowMs - this.changedAtMs < this.minIntervalMs) return undefined;
    const wanted = Math.min(this.maxPercent, Math.max(0, fractionLost * 100));
    const next = Math.round(Math.min(this.current + this.maxStep, Math.max(this.current - this.maxStep, wanted)));
    if (next === this.current) return undefined;
    this.current = next;
    this.changedAtMs = nowMs;
    return next;
  }

  get percent(): number {
    return this.current;
  }
}
