/**
 * Waiting before trying again after a failure, as the registerer does (RFC 5626 §4.5): a base
 * doubling per consecutive failure up to a ceiling, randomised to 50–100% so that many clients
 * that failed together do not come back together.
 */
import type { Random } from '../../../util/random.js';

export interface BackoffPolicy {
  baseS: number;
  maxS: number;
}

export const subscriptionBackoff: BackoffPolicy = { baseS: 30, maxS: 1800 };

/** Milliseconds to wait after `failures` (≥ 1) failures in a row. */
export function backoffMs(failures: number, random: Random, policy: BackoffPolicy = subscriptionBackoff): number {
  const ceiling = Math.min(policy.maxS, policy.baseS * 2 ** Math.min(Math.max(failures, 1) - 1, 16));
  return Math.round(ceiling * (0.5 + random.int(1000) / 2000) * 1000);
}
