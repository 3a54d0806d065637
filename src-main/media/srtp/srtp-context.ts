/**
 * SRTP and SRTCP packet protection (RFC 3711) for one master key, i.e. one direction of a call:
 * the sender protects with its context, the receiver unprotects with a context built from the
 * same key. Per SSRC it keeps the rollover counter and highest sequence number (§3.3.1,
 * Appendix A) and a replay window (§3.3.2). Session keys are derived once (§4.3, kdr 0).
 *
 *   SRTP:  header | encrypted payload | auth tag               tag = HMAC-SHA1(k_a, packet || ROC)
 *   SRTCP: header+SSRC | encrypted rest | E||index(31) | auth tag   (§3.4)
 *
 * Unprotect decrypts in place and returns a view of the input (no copy). Keys are kept in private
 * fields; they never appear in errors, logs or `toJSON()`. MKI is not supported (RFC 4568 allows
 * omitting it, and we never offer it).
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { AesCounterMode } from './aes-cm.js';
import { SRTP_SUITES, type SrtpSuite, type SrtpSuiteName } from './crypto-suite.js';
import {
  deriveSessionKey, LABEL_RTCP_AUTH, LABEL_RTCP_ENCRYPTION, LABEL_RTCP_SALT, LABEL_RTP_AUTH,
  LABEL_RTP_ENCRYPTION, LABEL_RTP_SALT,
} from './key-derivation.js';
import { DEFAULT_REPLAY_WINDOW, ReplayWindow } from './replay-window.js';

export type SrtpError = { error: 'auth' | 'replay' | 'malformed' };

const RTP_FIXED_HEADER = 12;
const RTCP_ENCRYPTED_OFFSET = 8;
const SRTCP_INDEX_LENGTH = 4;
const SRTCP_E_BIT = 0x8000_0000;
const SRTCP_INDEX_MASK = 0x7fff_ffff;
const SEQ_MOD = 0x1_0000;
const HALF_SEQ = 0x8000;

interface SessionKeys {
  cipher: AesCounterMode;
  salt: Uint8Array;
  auth: KeyObject;
}

/** Per-SSRC receive state (§3.2.1 crypto context). */
interface SourceState {
  roc: number;
  /** s_l: highest authenticated sequence number. */
  highestSeq: number;
  replay: ReplayWindow;
}

export interface SrtpContextOptions {
  /** Replay window size [packets], ≥ 64 (§3.3.2). */
  replayWindow?: number;
}

const ERR_AUTH: SrtpError = Object.freeze({ error: 'auth' }) as SrtpError;
const ERR_REPLAY: SrtpError = Object.freeze({ error: 'replay' }) as SrtpError;
const ERR_MALFORMED: SrtpError = Object.freeze({ error: 'malformed' }) as SrtpError;

export class SrtpContext {
  readonly suite: SrtpSuite;
  readonly #rtp: SessionKeys;
  readonly #rtcp: SessionKeys;
  readonly #rxRtp = new Map<number, SourceState>();
  readonly #rxRtcp = new Map<number, ReplayWindow>();
  readonly #txRtp = new Map<number, { roc: number; lastSeq: number }>();
  #srtcpIndex = 0;
  readonly #rocBytes = new Uint8Array(4);
  readonly #windowSize: number;
  #counters = { protected: 0, unprotected: 0, authFailures: 0, replays: 0, malformed: 0 };

  /** @param keySalt master key || master salt (30 octets for the AES_CM_128 suites, RFC 4568 §6.1) */
  constructor(suiteName: SrtpSuiteName, keySalt: Uint8Array, options: SrtpContextOptions = {}) {
    const suite = SRTP_SUITES[suiteName];
    if (keySalt.length !== suite.keyLength + suite.saltLength) {
      throw new RangeError(`${suiteName}: master key||salt must be ${suite.keyLength + suite.saltLength} octets`);
    }
    this.suite = suite;
    this.#windowSize = options.replayWindow ?? DEFAULT_REPLAY_WINDOW;
    const key = keySalt.subarray(0, suite.keyLength);
    const salt = keySalt.subarray(suite.keyLength);
    const derive = (enc: number, auth: number, s: number): SessionKeys => ({
      cipher: new AesCounterMode(deriveSessionKey(key, salt, enc, suite.keyLength)),
      auth: createSecretKey(deriveSessionKey(key, salt, auth, suite.authKeyLength)),
      salt: deriveSessionKey(key, salt, s, suite.saltLength),
    });
    this.#rtp = derive(LABEL_RTP_ENCRYPTION, LABEL_RTP_AUTH, LABEL_RTP_SALT);
    this.#rtcp = derive(LABEL_RTCP_ENCRYPTION, LABEL_RTCP_AUTH, LABEL_RTCP_SALT);
  }

  /** Octets SRTP adds to an RTP packet. */
  get rtpOverhead(): number {
    return this.suite.rtpTagLength;
  }

  /** Octets SRTCP adds to an RTCP compound. */
  get rtcpOverhead(): number {
    return SRTCP_INDEX_LENGTH + this.suite.rtcpTagLength;
  }

  /** §3.1 + §3.3: encrypts the payload and appends the tag. `out` (≥ length + tag) avoids allocation. */
  protectRtp(packet: Uint8Array, out?: Uint8Array): Uint8Array {
    const headerLength = rtpHeaderLength(packet);
    if (headerLength < 0) throw new RangeError('protectRtp: not an RTP packet');
    const total = packet.length + this.suite.rtpTagLength;
    const dst = out && out.length >= total ? out : new Uint8Array(total);
    if (dst !== packet) dst.set(packet);
    const seq = (packet[2]! << 8) | packet[3]!;
    const ssrc = readU32(packet, 8);
    const roc = this.senderRoc(ssrc, seq);
    this.#rtp.cipher.xorPacket(dst, headerLength, packet.length, this.#rtp.salt, ssrc, roc * SEQ_MOD + seq);
    this.rtpTag(dst, packet.length, roc, dst, packet.length);
    this.#counters.protected++;
    return dst.subarray(0, total);
  }

  /** §3.3: authenticates, checks replay, decrypts in place; returns the RTP packet as a view. */
  unprotectRtp(packet: Uint8Array): Uint8Array | SrtpError {
    const tagLength = this.suite.rtpTagLength;
    const length = packet.length - tagLength;
    const headerLength = length >= RTP_FIXED_HEADER ? rtpHeaderLength(packet.subarray(0, length)) : -1;
    if (headerLength < 0) return this.fail(ERR_MALFORMED);
    const seq = (packet[2]! << 8) | packet[3]!;
    const ssrc = readU32(packet, 8);
    let state = this.#rxRtp.get(ssrc);
    const fresh = state === undefined;
    // Appendix A: a new SSRC starts with ROC 0 and s_l = its first sequence number.
    state ??= { roc: 0, highestSeq: seq, replay: new ReplayWindow(this.#windowSize) };
    const v = guessRoc(state.roc, state.highestSeq, seq);
    if (v < 0) return this.fail(ERR_REPLAY);
    const index = v * SEQ_MOD + seq;
    if (state.replay.check(index) !== 'new') return this.fail(ERR_REPLAY);
    if (!this.rtpTag(packet, length, v, packet, length, true)) return this.fail(ERR_AUTH);
    this.#rtp.cipher.xorPacket(packet, headerLength, length, this.#rtp.salt, ssrc, index);
    // §3.3.1: update ROC and s_l only after authentication.
    if (v > state.roc) {
      state.roc = v;
      state.highestSeq = seq;
    } else if (v === state.roc && seq > state.highestSeq) {
      state.highestSeq = seq;
    }
    state.replay.accept(index);
    if (fresh) this.#rxRtp.set(ssrc, state);
    this.#counters.unprotected++;
    return packet.subarray(0, length);
  }

  /** §3.4: encrypts after the first 8 octets, appends E||SRTCP index and the tag. */
  protectRtcp(packet: Uint8Array, out?: Uint8Array): Uint8Array {
    if (packet.length < RTCP_ENCRYPTED_OFFSET || packet[0]! >> 6 !== 2) throw new RangeError('protectRtcp: not an RTCP packet');
    const total = packet.length + this.rtcpOverhead;
    const dst = out && out.length >= total ? out : new Uint8Array(total);
    if (dst !== packet) dst.set(packet);
    const index = this.#srtcpIndex;
    this.#srtcpIndex = (this.#srtcpIndex + 1) & SRTCP_INDEX_MASK;
    const ssrc = readU32(packet, 4);
    this.#rtcp.cipher.xorPacket(dst, RTCP_ENCRYPTED_OFFSET, packet.length, this.#rtcp.salt, ssrc, index);
    writeU32(dst, packet.length, (SRTCP_E_BIT | index) >>> 0);
    const authenticated = packet.length + SRTCP_INDEX_LENGTH;
    this.hmac(this.#rtcp.auth, dst, authenticated, undefined, dst, authenticated, this.suite.rtcpTagLength);
    this.#counters.protected++;
    return dst.subarray(0, total);
  }

  /** §3.4: authenticates, checks replay, decrypts in place (if E is set); returns the RTCP view. */
  unprotectRtcp(packet: Uint8Array): Uint8Array | SrtpError {
    const tagLength = this.suite.rtcpTagLength;
    const authenticated = packet.length - tagLength;
    const length = authenticated - SRTCP_INDEX_LENGTH;
    if (length < RTCP_ENCRYPTED_OFFSET || packet[0]! >> 6 !== 2) return this.fail(ERR_MALFORMED);
    const word = readU32(packet, length);
    const index = word & SRTCP_INDEX_MASK;
    const ssrc = readU32(packet, 4);
    let replay = this.#rxRtcp.get(ssrc);
    const fresh = replay === undefined;
    replay ??= new ReplayWindow(this.#windowSize);
    if (replay.check(index) !== 'new') return this.fail(ERR_REPLAY);
    if (!this.hmac(this.#rtcp.auth, packet, authenticated, undefined, packet, authenticated, tagLength, true)) {
      return this.fail(ERR_AUTH);
    }
    if (word & SRTCP_E_BIT) this.#rtcp.cipher.xorPacket(packet, RTCP_ENCRYPTED_OFFSET, length, this.#rtcp.salt, ssrc, index);
    replay.accept(index);
    if (fresh) this.#rxRtcp.set(ssrc, replay);
    this.#counters.unprotected++;
    return packet.subarray(0, length);
  }

  /** Sender side of §3.3.1: the ROC steps when our own sequence number wraps. */
  private senderRoc(ssrc: number, seq: number): number {
    let tx = this.#txRtp.get(ssrc);
    if (!tx) {
      tx = { roc: 0, lastSeq: seq };
      this.#txRtp.set(ssrc, tx);
      return 0;
    }
    const v = guessRoc(tx.roc, tx.lastSeq, seq);
    if (v > tx.roc || (v === tx.roc && seq > tx.lastSeq)) {
      tx.roc = v;
      tx.lastSeq = seq;
    }
    return Math.max(0, v);
  }

  /** §4.2: HMAC-SHA1 over the authenticated portion || ROC; writes or (verify) compares the tag. */
  private rtpTag(data: Uint8Array, length: number, roc: number, tagOut: Uint8Array, tagAt: number, verify = false): boolean {
    writeU32(this.#rocBytes, 0, roc);
    return this.hmac(this.#rtp.auth, data, length, this.#rocBytes, tagOut, tagAt, this.suite.rtpTagLength, verify);
  }

  private hmac(
    key: KeyObject, data: Uint8Array, length: number, suffix: Uint8Array | undefined,
    tag: Uint8Array, tagAt: number, tagLength: number, verify = false,
  ): boolean {
    const h = createHmac('sha1', key).update(data.subarray(0, length));
    if (suffix) h.update(suffix);
    const mac = h.digest();
    if (!verify) {
      tag.set(mac.subarray(0, tagLength), tagAt);
      return true;
    }
    let diff = 0;
    for (let i = 0; i < tagLength; i++) diff |= mac[i]! ^ tag[tagAt + i]!;
    return diff === 0;
  }

  private fail(e: SrtpError): SrtpError {
    if (e === ERR_AUTH) this.#counters.authFailures++;
    else if (e === ERR_REPLAY) this.#counters.replays++;
    else this.#counters.malformed++;
    return e;
  }

  /** Statistics only: never key material. */
  toJSON(): { suite: SrtpSuiteName; protected: number; unprotected: number; authFailures: number; replays: number; malformed: number; sources: Array<{ ssrc: number; roc: number }> } {
    return {
      suite: this.suite.name,
      ...this.#counters,
      sources: [...this.#rxRtp].map(([ssrc, s]) => ({ ssrc, roc: s.roc })),
    };
  }
}

/** RFC 3711 Appendix A: the ROC value v that puts `seq` closest to s_l. May be −1 (before the start). */
export function guessRoc(roc: number, highestSeq: number, seq: number): number {
  if (highestSeq < HALF_SEQ) return seq - highestSeq > HALF_SEQ ? roc - 1 : roc;
  return highestSeq - HALF_SEQ > seq ? roc + 1 : roc;
}

/** Fixed header + CSRCs + extension, or −1 if the packet is too short for them (RFC 3550 §5.1). */
function rtpHeaderLength(p: Uint8Array): number {
  if (p.length < RTP_FIXED_HEADER || p[0]! >> 6 !== 2) return -1;
  let n = RTP_FIXED_HEADER + 4 * (p[0]! & 0x0f);
  if (p[0]! & 0x10) {
    if (n + 4 > p.length) return -1;
    n += 4 + 4 * ((p[n + 2]! << 8) | p[n + 3]!);
  }
  return n <= p.length ? n : -1;
}

function readU32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
}

function writeU32(d: Uint8Array, o: number, v: number): void {
  d[o] = (v >>> 24) & 0xff;
  d[o + 1] = (v >>> 16) & 0xff;
  d[o + 2] = (v >>> 8) & 0xff;
  d[o + 3] = v & 0xff;
}
