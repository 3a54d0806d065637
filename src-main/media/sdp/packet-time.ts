/**
 * The packet time we send with. RFC 4566 §6: a=ptime is the packet duration the SDP's author
 * wants to receive. We clamp it to 10–120 ms (a=ptime:0 once made the send loop spin for ever)
 * and then take the longest frame the codec can packetize that is not longer (Opus has no 30 ms).
 */
import type { CodecName } from '../codecs/codec.js';
import { codecs } from '../codecs/registry.js';

export const PTIME_MIN_MS = 10;
export const PTIME_MAX_MS = 120;
export const DEFAULT_PTIME_MS = 20;

export function clampPtime(value: unknown): number {
  const ms = typeof value === 'number' ? value : value === undefined || value === '' ? NaN : Number(value);
  if (!Number.isFinite(ms)) return DEFAULT_PTIME_MS;
  return Math.min(PTIME_MAX_MS, Math.max(PTIME_MIN_MS, ms));
}

/** A ptime `codec` can send: the longest of its frame durations ≤ the clamped wish, at least 10 ms. */
export function sendPtime(codec: CodecName, wanted: unknown): number {
  const ms = clampPtime(wanted);
  let best = PTIME_MIN_MS;
  for (const p of codecs[codec].ptimes) if (p >= PTIME_MIN_MS && p <= ms && p > best) best = p;
  return best;
}
