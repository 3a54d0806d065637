/** Reconnect delay after `attempt` failures: exponential from 250 ms to 5 s, ±25% jitter. */
export function reconnectDelay(attempt: number, random: number): number {
  const base = Math.min(5000, 250 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.75 + 0.5 * random));
}
