/**
 * ICE in SDP (RFC 8839): a=ice-ufrag, a=ice-pwd, a=candidate, a=ice-lite, a=end-of-candidates,
 * a=ice-options. Writing produces the lines for one audio m= section; reading validates what a
 * hostile peer sends, with bounds: at most 32 candidates, IP literals only (no FQDN candidates,
 * §5.1 allows us to ignore them), ufrag 4–256 and pwd 22–256 ice-chars (§5.4).
 */
import type * as sdp from 'sdp-transform';
import { isValidCandidate, type Candidate, type CandidateType } from '../ice/candidate.js';

export interface IceParameters {
  ufrag: string;
  pwd: string;
  /** The peer is ICE-lite (RFC 8445 §2.5). */
  lite: boolean;
  candidates: Candidate[];
  endOfCandidates: boolean;
}

export const MAX_REMOTE_CANDIDATES = 32;
const ICE_CHARS = /^[A-Za-z0-9+/]+$/;

/** RFC 8839 §5.1 candidate-attribute value. */
export function formatCandidate(c: Candidate): string {
  let s = `${c.foundation} ${c.component} UDP ${c.priority} ${c.address} ${c.port} typ ${c.type}`;
  if (c.relatedAddress !== undefined && c.relatedPort !== undefined) s += ` raddr ${c.relatedAddress} rport ${c.relatedPort}`;
  return s;
}

/** Parse one a=candidate value (without "candidate:"); undefined when malformed or not UDP. */
export function parseCandidate(value: string): Candidate | undefined {
  if (value.length > 512) return undefined;
  const t = value.trim().split(/ +/);
  if (t.length < 8 || t[6] !== 'typ' || t[2]!.toLowerCase() !== 'udp') return undefined;
  const type = t[7] as CandidateType;
  if (!['host', 'srflx', 'prflx', 'relay'].includes(type)) return undefined;
  const num = (s: string | undefined) => (s !== undefined && /^[0-9]{1,10}$/.test(s) ? Number(s) : NaN);
  const c: Candidate = {
    foundation: t[0]!, component: num(t[1]), transport: 'udp', priority: num(t[3]),
    address: t[4]!, port: num(t[5]), type,
  };
  // §5.1: extension attribute pairs follow; raddr/rport are the ones we use.
  for (let i = 8; i + 1 < t.length; i += 2) {
    if (t[i] === 'raddr') c.relatedAddress = t[i + 1];
    else if (t[i] === 'rport') c.relatedPort = num(t[i + 1]);
  }
  return isValidCandidate(c) ? c : undefined;
}

/** Lines (without "a=") for our audio m= section. */
export function iceAttributeLines(p: { ufrag: string; pwd: string; candidates: Candidate[]; lite?: boolean }): string[] {
  const lines = [`ice-ufrag:${p.ufrag}`, `ice-pwd:${p.pwd}`];
  for (const c of p.candidates) lines.push(`candidate:${formatCandidate(c)}`);
  lines.push('end-of-candidates');
  return lines;
}

/**
 * ICE parameters of media section `index` (media-level ufrag/pwd win over session-level, §5.4);
 * undefined when the section has no ICE, a string saying what is wrong when it is malformed.
 */
export function readIce(session: sdp.SessionDescription, index: number): IceParameters | string | undefined {
  const m = session.media[index];
  if (!m) return undefined;
  const s = session as sdp.SessionDescription & { iceUfrag?: string; icePwd?: string; icelite?: string };
  const ufrag = m.iceUfrag ?? s.iceUfrag;
  const pwd = m.icePwd ?? s.icePwd;
  const raw = m.candidates ?? [];
  if (ufrag === undefined && pwd === undefined && raw.length === 0) return undefined;
  if (ufrag === undefined || pwd === undefined) return 'ICE candidates without a=ice-ufrag and a=ice-pwd';
  if (ufrag.length < 4 || ufrag.length > 256 || !ICE_CHARS.test(ufrag)) return 'invalid a=ice-ufrag';
  if (pwd.length < 22 || pwd.length > 256 || !ICE_CHARS.test(pwd)) return 'invalid a=ice-pwd';
  const candidates: Candidate[] = [];
  for (const c of raw.slice(0, MAX_REMOTE_CANDIDATES)) {
    const text = `${c.foundation} ${c.component} ${c.transport} ${c.priority} ${c.ip} ${c.port} typ ${c.type}` +
      (c.raddr !== undefined ? ` raddr ${c.raddr} rport ${c.rport}` : '');
    const parsed = parseCandidate(text);
    if (parsed) candidates.push(parsed);
  }
  return {
    ufrag, pwd, candidates,
    lite: s.icelite !== undefined,
    endOfCandidates: (m as { endOfCandidates?: string }).endOfCandidates !== undefined,
  };
}
