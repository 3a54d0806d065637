/**
 * ICE candidates (RFC 8445 §5.1): types, priorities and foundations; component 1 (RTP, or RTP
 * and RTCP with rtcp-mux) and 2 (RTCP without rtcp-mux).
 */
import { isIP } from 'node:net';

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

export interface Candidate {
  foundation: string;
  /** 1 = RTP (with rtcp-mux the only one), 2 = RTCP (RFC 8445 §5.1.1). */
  component: number;
  transport: 'udp';
  priority: number;
  address: string;
  port: number;
  type: CandidateType;
  /** Related address (RFC 8839 §5.1): the base of srflx, the mapped address of relay. */
  relatedAddress?: string;
  relatedPort?: number;
}

/** §5.1.2.2 recommended type preferences. */
export const TYPE_PREFERENCE: Record<CandidateType, number> = { host: 126, prflx: 110, srflx: 100, relay: 0 };

/** §5.1.2.1: 2^24·type preference + 2^8·local preference + (256 − component ID). */
export function candidatePriority(type: CandidateType, localPreference = 65535, component = 1): number {
  return TYPE_PREFERENCE[type] * 2 ** 24 + localPreference * 2 ** 8 + (256 - component);
}

/**
 * §5.1.1.3: same foundation for candidates of the same type, base IP, server and transport.
 * A short stable token (RFC 8839 grammar: 1–32 ice-chars).
 */
export function foundation(type: CandidateType, baseAddress: string, server = ''): string {
  let h = 0x811c9dc5;
  for (const ch of `${type}|${baseAddress}|${server}|udp`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return (h >>> 0).toString(36);
}

/** §6.1.2.3: pair priority = 2^32·MIN(G,D) + 2·MAX(G,D) + (G>D ? 1 : 0). */
export function pairPriority(controlling: number, controlled: number): bigint {
  const g = BigInt(controlling);
  const d = BigInt(controlled);
  const min = g < d ? g : d;
  const max = g < d ? d : g;
  return (min << 32n) + 2n * max + (g > d ? 1n : 0n);
}

export function isValidCandidate(c: Candidate): boolean {
  return (
    /^[A-Za-z0-9+/]{1,32}$/.test(c.foundation) &&
    Number.isInteger(c.component) && c.component >= 1 && c.component <= 256 &&
    Number.isInteger(c.priority) && c.priority >= 1 && c.priority <= 0xffffffff &&
    isIP(c.address) !== 0 && Number.isInteger(c.port) && c.port >= 1 && c.port <= 65535
  );
}
