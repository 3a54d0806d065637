/**
 * Joins a call's SIP offer/answer (RFC 3264) to its media stream in the engine: allocates the RTP
 * port, makes SDES keys (RFC 4568), and starts or updates the stream whenever an answer is known.
 * An offer or answer the media side cannot take is refused with its reason (488 + Warning for an
 * offer, the call ends with unacceptable-media for an answer); nothing unvalidated reaches the engine.
 */
import type { CodecName } from '../media/codecs/codec.js';
import type { StreamConfig, StreamDirection, StreamStats } from '../media/engine/protocol.js';
import {
  createAnswer, createOffer, readAnswer, type LocalMedia, type NegotiatedAudio, type SdpProblem, type SrtpPolicy,
} from '../media/sdp/offer-answer.js';
import { isSdpProblem } from '../media/sdp/sdp-problem.js';
import { LocalSrtpKeys } from '../media/srtp/local-keys.js';
import type { SessionMedia } from '../sip/ua/session/invite-session.js';
import { cryptoBytes, cryptoRandom } from '../util/random.js';
import { IceMediaPath, type MediaPathStats, type NatTraversal } from './ice-media-path.js';
import type { MediaRandom, StreamEngine } from './ports.js';

const systemRandom: MediaRandom = { int: (max) => cryptoRandom.int(max), bytes: cryptoBytes };

/** A new call's media settings as a host gives them. */
export interface CallMediaOptions {
  /** A local address (or wildcard) the RTP/RTCP sockets bind to. */
  bindAddress?: string;
  /** What SDP advertises; by default the account's address as learnt by its user agent. */
  advertisedAddress?: string;
  rtpPort?: number;
  codecs?: CodecName[];
  srtp: SrtpPolicy;
  /** STUN/TURN/ICE (issue 13): ICE on, or ICE off with a TURN server as a fixed relay. */
  nat?: NatTraversal;
}

/** Where a call's media lives. Behind a NAT the two differ, and only the first is ever bound. */
export interface MediaAddresses {
  /** A local address (or wildcard) of this machine: the engine binds RTP/RTCP here. */
  bindAddress: string;
  /** What SDP c=/o= carry: the NAT's public address when learnt, else a local one. Never bound. */
  advertisedAddress: string;
  /** A concrete local address (the bind address, or the account's when that is a wildcard): ICE's host candidate. */
  hostAddress?: string;
  /** The host gave advertisedAddress: a network change keeps it. */
  advertisedFixed?: boolean;
}

export type ResolvedMediaOptions = Omit<CallMediaOptions, 'bindAddress' | 'advertisedAddress'> & MediaAddresses;

/** The stream's socket could not be opened (address not ours, port taken, engine gone). */
export class MediaOpenError extends Error {
  override readonly name = 'MediaOpenError';
}

const mirror: Record<StreamDirection, StreamDirection> = { sendrecv: 'sendrecv', sendonly: 'recvonly', recvonly: 'sendonly', inactive: 'inactive' };

export class CallMedia implements SessionMedia {
  negotiated: NegotiatedAudio | undefined;
  /**
   * What we offer (RFC 3264 §8.4): sendrecv normally, sendonly to hold, inactive to hold a peer
   * that already holds us (RFC 6337 §5.3). While we hold, we neither send the microphone nor play.
   */
  localDirection: StreamDirection = 'sendrecv';
  /** Called when the peer's direction changes (their hold / resume). */
  onRemoteDirection: ((direction: StreamDirection) => void) | undefined;
  /** Set when the engine could not start or update the stream: the host hangs up. */
  failure: string | undefined;
  /**
   * The signalling transport of the call ('udp', 'tcp', 'tls'), set by the core: SDES keys
   * (RFC 4568 §8.1) are only as secret as the signalling that carries them.
   */
  signalling: string | undefined;
  /** Things the user should know about this call's media (e.g. SDES keys sent in clear). */
  onNotice: ((message: string) => void) | undefined;
  private sdesNoticeGiven = false;
  private version = 0;
  private started = false;
  private readonly sessionId: number;
  private readonly keys: LocalSrtpKeys | undefined;
  /** Whether we made the first offer (the ICE controlling side, RFC 8445 §6.1.1); set once. */
  private offerer: boolean | undefined;
  /** A network change's renewal (renew()) whose new offer has not gone out yet. */
  private renewal: Promise<void> | undefined;
  /** After a network change: the call's addresses now (advertised ones are read at each offer). */
  private addressesNow: (() => MediaAddresses) | undefined;
  /** What c= carried before the latest renewal (a refused re-offer may fall back to it). */
  private advertisedBeforeRenewal: string | undefined;
  /**
   * A renewal happened since our last offer: an answer now answers an offer from before it (e.g.
   * the 2xx of a call that was ringing), so it must not start the renewed ICE path (RFC 8445 §9:
   * that waits for the answer to the offer carrying the new credentials).
   */
  private renewedSinceOffer = false;

  private constructor(
    private readonly engine: StreamEngine,
    readonly stream: string,
    private readonly port: number,
    private readonly options: ResolvedMediaOptions,
    private readonly path: IceMediaPath | undefined,
    random: MediaRandom,
  ) {
    this.sessionId = random.int(2 ** 31);
    this.keys = options.srtp === 'off' ? undefined : new LocalSrtpKeys((n) => random.bytes(n));
    if (path) path.onFailure = (reason) => { this.failure = `media: ${reason}`; };
  }

  /**
   * Binds the stream's RTP socket on the bind address. Symmetric RTP (RFC 4961): the stream sends
   * from the port it receives on, so a NAT maps the advertised port back to it.
   */
  static async open(engine: StreamEngine, stream: string, options: ResolvedMediaOptions, random: MediaRandom = systemRandom): Promise<CallMedia> {
    let port: number;
    try {
      port = await engine.allocate(stream, options.bindAddress, options.rtpPort);
    } catch (e) {
      throw new MediaOpenError(`cannot open media on ${options.bindAddress}: ${(e as Error).message}`, { cause: e });
    }
    const nat = options.nat;
    if (!nat || (!nat.ice && !nat.turn)) return new CallMedia(engine, stream, port, options, undefined, random);
    const wildcard = ['0.0.0.0', '::', ''].includes(options.bindAddress);
    const loopback = options.bindAddress.includes(':') ? '::1' : '127.0.0.1';
    try {
      const path = await IceMediaPath.open(pathHost(options), { address: wildcard ? loopback : options.bindAddress, port }, nat);
      return new CallMedia(engine, stream, port, options, path, random);
    } catch (e) {
      void engine.stop(stream).catch(() => undefined);
      throw new MediaOpenError(`cannot open the ICE/TURN media path: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Where the media binds, what it advertises and ICE's host address (as of the latest network change). */
  get addresses(): MediaAddresses {
    const { bindAddress, advertisedAddress, hostAddress, advertisedFixed } = this.addressesNow?.() ?? this.options;
    return { bindAddress, advertisedAddress, ...(hostAddress !== undefined ? { hostAddress } : {}), ...(advertisedFixed ? { advertisedFixed } : {}) };
  }

  /**
   * The network changed under this call (issue 13): an ICE/TURN path re-opens on the current host
   * address with new credentials (RFC 8445 §9: the old 5-tuples are dead); without one, c= takes
   * the advertised address of the moment of the offer. Until that new offer goes out, renewal()
   * hands this work to the session: its target refresh waits for it and carries the offer
   * (RFC 8839 §4.4.1.1.1, RFC 3264 §8). The engine's stream (socket, SRTP keys, SSRC) is kept.
   */
  renew(addresses: () => MediaAddresses): Promise<void> {
    this.advertisedBeforeRenewal ??= this.addresses.advertisedAddress;
    this.addressesNow = addresses;
    this.renewedSinceOffer = true;
    const path = this.path;
    const work = (this.renewal ?? Promise.resolve()).then(async () => {
      if (!path) return;
      try {
        await path.renew(pathHost(addresses()));
      } catch (e) {
        this.onNotice?.(`media: the ICE/TURN path could not be re-opened after the network change (${(e as Error).message})`);
      }
    });
    this.renewal = work;
    return work;
  }

  /** SessionMedia: a renewal whose offer is still due (the session's target refresh waits for it). */
  pendingRenewal(): Promise<void> | undefined {
    return this.renewal;
  }

  /**
   * SessionMedia: the peer refused the offer that carried the renewal (RFC 3261 §14.1: the session
   * stays as it was). True when the media can stay as it was: the renewal changed nothing the peer
   * sees (no ICE/TURN path, same c= address). Otherwise the old path is gone (closed, or an
   * address this machine lost) and the call cannot go on: a notice says why.
   */
  renewalRefused(status: number, reason: string): boolean {
    const before = this.advertisedBeforeRenewal;
    this.advertisedBeforeRenewal = undefined;
    if (!this.path && before === this.addresses.advertisedAddress) return true;
    this.onNotice?.(`media: the other party refused our new media offer after the network change (${status} ${reason}); `
      + `the old media path ${this.path ? 'is closed' : `(${before ?? 'unknown'}) is gone`}: hanging up`);
    return false;
  }

  /** Candidates, the selected pair and TURN counters (issue 13); undefined without ICE/TURN. */
  pathStats(): MediaPathStats | undefined {
    return this.path?.stats();
  }

  private local(nextVersion = true): LocalMedia {
    const fixed = this.path?.defaultCandidate();
    const ice = this.path?.sdpIce();
    const rtcp = this.path?.defaultRtcp();
    return {
      address: fixed?.address ?? this.addresses.advertisedAddress, rtpPort: fixed?.port ?? this.port, sessionId: this.sessionId,
      ...(ice ? { ice } : {}), ...(rtcp ? { rtcp } : {}),
      version: nextVersion ? this.version++ : this.version,
      srtp: this.options.srtp, crypto: [...this.keys?.offered ?? []], direction: this.localDirection,
      ...(this.options.codecs ? { codecs: this.options.codecs } : {}),
    };
  }

  createOffer(): string {
    this.offerer ??= true;
    this.renewal = undefined; // this offer carries whatever the renewal changed
    this.renewedSinceOffer = false;
    return createOffer(this.local());
  }

  createAnswer(offer: string): string | SdpProblem {
    this.offerer ??= false;
    // RFC 8445 §9: a re-offer with a new ufrag/pwd restarts ICE; our answer carries new ones too.
    if (this.path) {
      const peek = createAnswer(offer, this.local(false));
      if (!isSdpProblem(peek) && this.path.isRestart(peek.audio.ice)) this.path.restartIce();
    }
    const answer = createAnswer(offer, this.local());
    if (isSdpProblem(answer)) return answer;
    // The first answer (an incoming call answered after a network change) carries the renewal itself.
    if (!this.started) {
      this.renewal = undefined;
      this.renewedSinceOffer = false;
      this.advertisedBeforeRenewal = undefined;
    }
    this.apply(answer.audio);
    return answer.sdp;
  }

  /** Whether `offer` could be answered (nothing is applied): a refused INVITE never rings. */
  checkOffer(offer: string): SdpProblem | undefined {
    const answer = createAnswer(offer, this.local(false));
    return isSdpProblem(answer) ? answer : undefined;
  }

  /** The peer's answer; a problem means it is unusable and the session ends (unacceptable-media). */
  setAnswer(answer: string): SdpProblem | undefined {
    const ice = this.path?.sdpIce();
    const audio = readAnswer(answer, { srtp: this.options.srtp, crypto: [...this.keys?.offered ?? []], ...(ice ? { ice } : {}) });
    if (isSdpProblem(audio)) return audio;
    this.apply(audio);
    if (!this.renewedSinceOffer) this.advertisedBeforeRenewal = undefined; // the renewal was taken
    return undefined;
  }

  /** The peer holds us when its side neither sends nor wants to receive our audio as usual. */
  get remoteHold(): boolean {
    const d = this.negotiated?.direction;
    return d === 'sendonly' || d === 'inactive';
  }

  private apply(audio: NegotiatedAudio): void {
    const previous = this.negotiated?.direction;
    this.negotiated = audio;
    // RFC 3711 §9.1: a send key whose context is torn down is never offered again.
    this.keys?.sendingWith(audio.srtp?.localKey);
    if (audio.srtp && this.signalling !== 'tls' && !this.sdesNoticeGiven) {
      this.sdesNoticeGiven = true;
      this.onNotice?.(`SRTP keys (SDES, RFC 4568 §8.1) were exchanged over ${this.signalling ?? 'unencrypted'} signalling: `
        + 'whoever can read the SIP messages can decrypt this call (use --transport tls with --srtp required)');
    }
    if (previous !== undefined && previous !== audio.direction) this.onRemoteDirection?.(audio.direction);
    if (!this.renewedSinceOffer) this.path?.setRemote({
      ice: audio.ice, address: audio.remoteAddress, port: audio.remotePort, rtcpPort: audio.remoteRtcpPort, rtcpMux: audio.rtcpMux,
    }, this.offerer ?? true);
    // Through the ICE/TURN path the engine talks to our loopback hop only, RTCP muxed on it (the
    // path puts RTCP on component 2 when the peer does not take rtcp-mux, ICE or not).
    const hop = this.path?.engineFacing;
    const config: StreamConfig = {
      remoteAddress: hop?.address ?? audio.remoteAddress,
      remotePort: hop?.port ?? audio.remotePort,
      remoteRtcpPort: hop?.port ?? audio.remoteRtcpPort,
      rtcpMux: hop ? true : audio.rtcpMux,
      codec: audio.codec.name,
      payloadType: audio.payloadType,
      telephoneEventPt: audio.telephoneEventPt,
      ptime: audio.ptime,
      // Holding: silence both ways locally, whatever the SDP lets us send (no mic to the held party).
      direction: this.localDirection === 'sendrecv' ? mirror[audio.direction] : 'inactive',
      srtp: audio.srtp,
    };
    const first = !this.started;
    this.started = true;
    void (first ? this.engine.start(this.stream, config) : this.engine.update(this.stream, config)).catch((e: Error) => {
      this.failure = `media: ${e.message}`;
    });
  }

  ringback(on: boolean): void {
    this.engine.tone(this.stream, on ? 'ringback' : 'none');
  }

  /** RFC 4733 when negotiated; the caller falls back to SIP INFO otherwise. */
  get canSendRfc4733(): boolean {
    return this.negotiated?.telephoneEventPt !== undefined;
  }

  sendDtmf(digits: string): void {
    this.engine.sendDtmf(this.stream, digits);
  }

  async stop(): Promise<StreamStats | undefined> {
    const stats = await this.engine.stop(this.stream).catch(() => undefined);
    await this.path?.close();
    return stats;
  }
}

/** ICE's host candidate address: the bind address, or for a wildcard bind the account's local one. */
function pathHost(a: MediaAddresses): string {
  if (!['0.0.0.0', '::', ''].includes(a.bindAddress)) return a.bindAddress;
  return a.hostAddress ?? (a.bindAddress.includes(':') ? '::1' : '127.0.0.1');
}
