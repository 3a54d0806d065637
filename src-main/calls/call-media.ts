/**
 * Joins a call's SIP offer/answer (RFC 3264) to its media stream in the engine: allocates the RTP
 * port, makes SDES keys (RFC 4568), and starts or updates the stream whenever an answer is known.
 */
import { randomBytes } from 'node:crypto';
import type { CodecName } from '../media/codecs/codec.js';
import type { MediaEngine } from '../media/engine/media-engine.js';
import type { StreamConfig, StreamDirection, StreamStats } from '../media/engine/protocol.js';
import {
  createAnswer, createOffer, readAnswer, type LocalMedia, type NegotiatedAudio, type SdesCrypto, type SrtpPolicy,
} from '../media/sdp/offer-answer.js';
import { generateCryptoAttribute } from '../media/srtp/sdes.js';
import type { SessionMedia } from '../sip/ua/invite-session.js';

/** A new call's media settings as a host gives them. */
export interface CallMediaOptions {
  /** A local address (or wildcard) the RTP/RTCP sockets bind to. */
  bindAddress?: string;
  /** @deprecated The bind address under its former name; hosts move to `bindAddress`. */
  address?: string;
  /** What SDP advertises; by default the account's address as learnt by its user agent. */
  advertisedAddress?: string;
  rtpPort?: number;
  codecs?: CodecName[];
  srtp: SrtpPolicy;
}

/** Where a call's media lives. Behind a NAT the two differ, and only the first is ever bound. */
export interface MediaAddresses {
  /** A local address (or wildcard) of this machine: the engine binds RTP/RTCP here. */
  bindAddress: string;
  /** What SDP c=/o= carry: the NAT's public address when learnt, else a local one. Never bound. */
  advertisedAddress: string;
}

export type ResolvedMediaOptions = Omit<CallMediaOptions, 'bindAddress' | 'address' | 'advertisedAddress'> & MediaAddresses;

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
  /** Set when an answer was unusable (e.g. SRTP required but refused): the host hangs up. */
  failure: string | undefined;
  private version = 0;
  private started = false;
  private readonly sessionId = Math.floor(Math.random() * 2 ** 31);
  private readonly crypto: SdesCrypto[];

  private constructor(
    private readonly engine: MediaEngine,
    readonly stream: string,
    private readonly port: number,
    private readonly options: ResolvedMediaOptions,
  ) {
    this.crypto = options.srtp === 'off' ? [] : (['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'] as const).map((suite, i) => {
      const attr = generateCryptoAttribute(i + 1, suite, randomBytes);
      return { tag: attr.tag, suite, key: Buffer.from(attr.keys[0]!.keySalt).toString('base64') };
    });
  }

  /**
   * Binds the stream's RTP socket on the bind address. Symmetric RTP (RFC 4961): the stream sends
   * from the port it receives on, so a NAT maps the advertised port back to it.
   */
  static async open(engine: MediaEngine, stream: string, options: ResolvedMediaOptions): Promise<CallMedia> {
    try {
      const port = await engine.allocate(stream, options.bindAddress, options.rtpPort);
      return new CallMedia(engine, stream, port, options);
    } catch (e) {
      throw new MediaOpenError(`cannot open media on ${options.bindAddress}: ${(e as Error).message}`, { cause: e });
    }
  }

  private local(): LocalMedia {
    return {
      address: this.options.advertisedAddress, rtpPort: this.port, sessionId: this.sessionId, version: this.version++,
      srtp: this.options.srtp, crypto: this.crypto, direction: this.localDirection,
      ...(this.options.codecs ? { codecs: this.options.codecs } : {}),
    };
  }

  createOffer(): string {
    return createOffer(this.local());
  }

  createAnswer(offer: string): string | undefined {
    const answer = createAnswer(offer, this.local());
    if (answer) this.apply(answer.audio);
    return answer?.sdp;
  }

  setAnswer(answer: string): void {
    const audio = readAnswer(answer, { srtp: this.options.srtp, crypto: this.crypto });
    if (!audio) {
      this.failure = this.options.srtp === 'required' ? 'the peer refused SRTP, which this account requires' : 'no usable audio in the answer';
      return;
    }
    this.apply(audio);
  }

  /** The peer holds us when its side neither sends nor wants to receive our audio as usual. */
  get remoteHold(): boolean {
    const d = this.negotiated?.direction;
    return d === 'sendonly' || d === 'inactive';
  }

  private apply(audio: NegotiatedAudio): void {
    const previous = this.negotiated?.direction;
    this.negotiated = audio;
    if (previous !== undefined && previous !== audio.direction) this.onRemoteDirection?.(audio.direction);
    const config: StreamConfig = {
      remoteAddress: audio.remoteAddress,
      remotePort: audio.remotePort,
      remoteRtcpPort: audio.remoteRtcpPort,
      rtcpMux: audio.rtcpMux,
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

  stop(): Promise<StreamStats | undefined> {
    return this.engine.stop(this.stream).catch(() => undefined);
  }
}
