/**
 * Which RTP source we listen to and answer (symmetric RTP, RFC 4961 §4), as a pure state machine.
 * Only packets from the IP address the peer's SDP gave (c=) may latch, from any port (a NAT picks
 * the port); a source latches once it shows SSRC and sequence continuity: `probation` packets in
 * sequence from one address:port with one SSRC (RFC 3550 §8.2, A.1 MIN_SEQUENTIAL). Once latched,
 * only the latched address:port and SSRC are accepted, within A.1's dropout/misorder bounds.
 *
 *   listening ──probation passed (SDP IP)──► latched ──new SSRC from the SDP IP, in sequence──► latched (re-latch)
 *                                              │    └─2 s silence, then any source from the SDP IP──► latched (re-latch)
 *                                              └─ SDP address changes (re-INVITE) ──► listening
 *
 * Packets from any other IP never latch and are dropped before any work (an attacker who sends
 * first no longer gets our microphone). No allocation per packet.
 */

/** RFC 3550 A.1 constants. */
export const MAX_DROPOUT = 3000;
export const MAX_MISORDER = 100;
const SEQ_MOD = 0x1_0000;

export interface SourceLatchOptions {
  /** In-sequence packets a new source must show before it latches (RFC 3550 A.1: 2). */
  probation?: number;
  /** Silence from the latched source after which another one from the SDP IP may latch [ms]. */
  silenceMs?: number;
}

export type LatchVerdict = 'accept' | 'probation' | 'drop';

interface Candidate {
  address: string;
  port: number;
  ssrc: number;
  lastSeq: number;
  count: number;
}

export class RtpSourceLatch {
  private expected: string;
  private readonly probation: number;
  private readonly silenceMs: number;
  /** The latched source: address, port, SSRC, highest sequence number, last arrival [ms]. */
  private latchedAddress: string | undefined;
  private latchedPort = 0;
  private latchedSsrc = 0;
  /** The SSRC latched before the current one: coming back to it is not "a new SSRC" (no ping-pong). */
  private previousSsrc: number | undefined;
  private maxSeq = 0;
  private badSeq = -1;
  private lastArrivalMs = 0;
  private readonly candidate: Candidate = { address: '', port: 0, ssrc: 0, lastSeq: 0, count: 0 };
  private counters = { accepted: 0, dropped: 0, foreignAddress: 0, latches: 0 };

  constructor(expectedAddress: string, options: SourceLatchOptions = {}) {
    this.expected = normalize(expectedAddress);
    this.probation = Math.max(1, options.probation ?? 2);
    this.silenceMs = options.silenceMs ?? 2000;
  }

  /**
   * The SDP's address after an offer/answer. Unchanged (e.g. a hold re-INVITE): the latch stays.
   * Changed: listen again, for the new address only.
   */
  setExpectedAddress(address: string): void {
    const a = normalize(address);
    if (a === this.expected) return;
    this.expected = a;
    this.latchedAddress = undefined;
    this.previousSsrc = undefined;
    this.candidate.count = 0;
  }

  /** Cheap first check on the datagram's source, before decryption: the SDP's IP only. */
  fromExpectedAddress(address: string): boolean {
    if (sameAddress(address, this.expected)) return true;
    this.counters.foreignAddress++;
    return false;
  }

  /** One authenticated, parsed RTP packet from address:port. */
  onPacket(address: string, port: number, ssrc: number, seq: number, nowMs: number): LatchVerdict {
    if (!sameAddress(address, this.expected)) {
      this.counters.foreignAddress++;
      return this.drop();
    }
    if (this.latchedAddress !== undefined && port === this.latchedPort && ssrc === this.latchedSsrc) {
      return this.continuing(seq, nowMs);
    }
    // Another source from the SDP's IP: a new SSRC may take over at once (the peer restarted its
    // stream); the same SSRC from another port only after the latched one fell silent (NAT rebinding).
    const silent = nowMs - this.lastArrivalMs >= this.silenceMs;
    const newSsrc = ssrc !== this.latchedSsrc && ssrc !== this.previousSsrc;
    const mayTakeOver = this.latchedAddress === undefined || newSsrc || silent;
    if (!mayTakeOver) return this.drop();
    if (!this.inProbation(address, port, ssrc, seq)) return this.drop('probation');
    this.latch(address, port, ssrc, seq, nowMs);
    this.counters.accepted++;
    return 'accept';
  }

  /** RFC 3550 A.1 update_seq for the latched source: in-window packets pass, a jump needs a second packet. */
  private continuing(seq: number, nowMs: number): LatchVerdict {
    const delta = (seq - this.maxSeq + SEQ_MOD) % SEQ_MOD;
    if (delta < MAX_DROPOUT) {
      this.maxSeq = seq;
    } else if (delta <= SEQ_MOD - MAX_MISORDER) {
      // A large jump: accept only if the next packet follows it (the sender restarted its numbering).
      if (seq !== this.badSeq) {
        this.badSeq = (seq + 1) % SEQ_MOD;
        return this.drop();
      }
      this.maxSeq = seq;
      this.badSeq = -1;
    }
    // else: duplicate or reordered within MAX_MISORDER: passes, maxSeq unchanged.
    this.lastArrivalMs = nowMs;
    this.counters.accepted++;
    return 'accept';
  }

  private inProbation(address: string, port: number, ssrc: number, seq: number): boolean {
    const c = this.candidate;
    if (c.count > 0 && c.address === address && c.port === port && c.ssrc === ssrc && seq === (c.lastSeq + 1) % SEQ_MOD) {
      c.count++;
    } else {
      c.address = address;
      c.port = port;
      c.ssrc = ssrc;
      c.count = 1;
    }
    c.lastSeq = seq;
    return c.count >= this.probation;
  }

  private latch(address: string, port: number, ssrc: number, seq: number, nowMs: number): void {
    this.previousSsrc = this.latchedAddress !== undefined && ssrc !== this.latchedSsrc ? this.latchedSsrc : this.previousSsrc;
    this.latchedAddress = address;
    this.latchedPort = port;
    this.latchedSsrc = ssrc;
    this.maxSeq = seq;
    this.badSeq = -1;
    this.lastArrivalMs = nowMs;
    this.candidate.count = 0;
    this.counters.latches++;
  }

  private drop(verdict: LatchVerdict = 'drop'): LatchVerdict {
    this.counters.dropped++;
    return verdict;
  }

  /**
   * RTCP is taken only from the latched peer: its IP (any port: a NAT maps RTCP on its own) and
   * the latched SSRC as the sender (RFC 3550 §6.4.1 SR/RR "SSRC of sender").
   */
  isLatchedPeer(address: string, senderSsrc: number): boolean {
    return this.latchedAddress !== undefined && senderSsrc === this.latchedSsrc && sameAddress(address, this.latchedAddress);
  }

  get isLatched(): boolean {
    return this.latchedAddress !== undefined;
  }

  /** Where to send RTP: the latched source (symmetric RTP), or undefined before latching. */
  get address(): string | undefined {
    return this.latchedAddress;
  }

  get port(): number {
    return this.latchedPort;
  }

  /** The latched source's SSRC (what the peer's RTCP must carry). */
  get ssrc(): number | undefined {
    return this.latchedAddress === undefined ? undefined : this.latchedSsrc;
  }

  toJSON(): object {
    return {
      expected: this.expected,
      latched: this.latchedAddress === undefined ? undefined : { address: this.latchedAddress, port: this.latchedPort, ssrc: this.latchedSsrc },
      ...this.counters,
    };
  }
}

/** IPv4-mapped IPv6 (::ffff:a.b.c.d), as a dual-stack socket reports IPv4 sources, is the IPv4 address. */
function normalize(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith(MAPPED) && lower.includes('.') ? lower.slice(MAPPED.length) : lower;
}

const MAPPED = '::ffff:';

/** No allocation: sources come from the socket in canonical form. */
function sameAddress(a: string, expectedNormalized: string): boolean {
  if (a === expectedNormalized) return true;
  return a.length === expectedNormalized.length + MAPPED.length && a.startsWith(MAPPED) && a.endsWith(expectedNormalized);
}
