/**
 * Offer/answer without an audio engine yet: a real bound RTP port (so peers' RTP lands on a socket
 * of ours and is discarded) and a correct RFC 3264 exchange. The media engine replaces this.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createAnswer, createOffer, readAnswer, type NegotiatedAudio } from '../media/sdp/offer-answer.js';
import type { SessionMedia } from '../sip/ua/invite-session.js';

export class SdpOnlyMedia implements SessionMedia {
  negotiated: NegotiatedAudio | undefined;
  private version = 0;
  private readonly sessionId = Math.floor(Math.random() * 2 ** 31);

  private constructor(private readonly socket: Socket, private readonly address: string) {}

  static async open(address: string): Promise<SdpOnlyMedia> {
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    socket.on('message', () => {});
    socket.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, address, () => resolve());
    });
    return new SdpOnlyMedia(socket, address);
  }

  private local() {
    return { address: this.address, rtpPort: this.socket.address().port, sessionId: this.sessionId, version: this.version++ };
  }

  createOffer(): string {
    return createOffer(this.local());
  }

  createAnswer(offer: string): string | undefined {
    const answer = createAnswer(offer, this.local());
    this.negotiated = answer?.audio;
    return answer?.sdp;
  }

  setAnswer(answer: string): void {
    this.negotiated = readAnswer(answer);
  }

  close(): void {
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}
