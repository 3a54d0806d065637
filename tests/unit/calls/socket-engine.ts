/**
 * A stream engine whose RTP socket is a real one on loopback (what it sends goes where the stream
 * config says: the ICE path's hop), so media through a call's ICE/TURN path can be seen; and the
 * helpers the ICE path tests share.
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { CallMedia } from '../../../src-main/calls/call-media.js';
import type { StreamEngine } from '../../../src-main/calls/ports.js';
import type { StreamConfig } from '../../../src-main/media/engine/protocol.js';
import { cryptoBytes, cryptoRandom } from '../../../src-main/util/random.js';

export class SocketEngine implements StreamEngine {
  socket: Socket | undefined;
  config: StreamConfig | undefined;
  readonly heard: Buffer[] = [];
  async allocate(): Promise<number> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    socket.on('message', (m) => this.heard.push(m));
    this.socket = socket;
    return socket.address().port;
  }
  async start(_stream: string, config: StreamConfig): Promise<void> { this.config = config; }
  async update(_stream: string, config: StreamConfig): Promise<void> { this.config = config; }
  async stop(): Promise<undefined> { this.socket?.close(); return undefined; }
  tone(): void {}
  sendDtmf(): void {}
  /** Sends `data` to where the stream config says (the path's loopback hop). */
  send(data: string | Uint8Array): void {
    if (this.config) this.socket?.send(data, this.config.remotePort, this.config.remoteAddress);
  }
}

export const mediaRandom = { int: (max: number) => cryptoRandom.int(max), bytes: cryptoBytes };

/** A call's media with ICE on, its host candidate on `host`. */
export async function iceMedia(host: string): Promise<{ media: CallMedia; engine: SocketEngine }> {
  const engine = new SocketEngine();
  const media = await CallMedia.open(engine, 's', {
    bindAddress: '0.0.0.0', advertisedAddress: host, hostAddress: host, srtp: 'off', codecs: ['PCMU'], nat: { ice: true },
  }, mediaRandom);
  return { media, engine };
}

/** Until `text` sent by `from` every 20 ms arrives at `to` (bounded: 10 s). */
export async function flows(from: SocketEngine, to: SocketEngine, text: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!to.heard.some((b) => b.toString() === text)) {
    assert.ok(Date.now() < deadline, `${text} never arrived`);
    from.send(text);
    await new Promise((r) => setTimeout(r, 20));
  }
}
