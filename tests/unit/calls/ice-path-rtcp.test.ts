/**
 * RTCP through the ICE media path to a peer without ICE that does not take rtcp-mux (RFC 5761
 * §5.1.3, RFC 3605, RFC 3550 §11): real sockets on loopback. Our SDP names component 2's default
 * candidate in a=rtcp; RTCP leaves from there to the peer's a=rtcp port (or RTP + 1), never onto
 * its RTP port, and the peer's RTCP reaching that port goes to the engine through the hop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { CallMedia } from '../../../src-main/calls/call-media.js';
import { buildRtcp } from '../../../src-main/media/rtp/rtcp.js';
import { mediaRandom, SocketEngine } from './socket-engine.js';


interface Peer { socket: Socket; port: number; got: Array<{ data: Buffer; port: number }> }

async function peerSocket(): Promise<Peer> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const p: Peer = { socket, port: socket.address().port, got: [] };
  socket.on('message', (data, rinfo) => p.got.push({ data, port: rinfo.port }));
  return p;
}

const rtcpPacket = buildRtcp([{ type: 'RR', ssrc: 0x600d, reports: [] }]);
const rtpPacket = Uint8Array.from([0x80, 0x00, 0, 1, 0, 0, 0, 160, 0, 0, 0x60, 0x0d, 0xff, 0xff]);
const isRtcpBytes = (d: Buffer) => d[1]! >= 200 && d[1]! <= 204;

const plainSdp = (rtp: number, attrs: string[]) => ['v=0', 'o=- 5 5 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
  `m=audio ${rtp} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', ...attrs.map((a) => `a=${a}`), ''].join('\r\n');

async function until(what: string, ok: () => boolean, poke: () => void): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok()) {
    assert.ok(Date.now() < deadline, what);
    poke();
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function exchange(t: { after(fn: () => Promise<void>): void }, role: 'offerer' | 'answerer') {
  const engine = new SocketEngine();
  const media = await CallMedia.open(engine, 's', {
    bindAddress: '0.0.0.0', advertisedAddress: '127.0.0.1', hostAddress: '127.0.0.1', srtp: 'off', codecs: ['PCMU'], nat: { ice: true },
  }, mediaRandom);
  const rtp = await peerSocket();
  const rtcp = await peerSocket(); // a=rtcp: not RTP + 1
  t.after(async () => { await media.stop(); rtp.socket.close(); rtcp.socket.close(); });
  const peer = plainSdp(rtp.port, [`rtcp:${rtcp.port}`]);
  let ours: string;
  if (role === 'offerer') {
    ours = media.createOffer();
    assert.equal(media.setAnswer(peer), undefined);
  } else {
    ours = media.createAnswer(peer) as string;
    assert.equal(typeof ours, 'string');
    assert.doesNotMatch(ours, /a=rtcp-mux/);
  }
  const ourRtcp = Number(/^a=rtcp:(\d+)/m.exec(ours)?.[1]);
  assert.ok(ourRtcp > 0, `our SDP names our RTCP port (RFC 3605):\n${ours}`);
  await until('RTCP reaches the peer\'s RTCP port', () => rtcp.got.length > 0, () => engine.send(rtcpPacket));
  await until('RTP reaches the peer\'s RTP port', () => rtp.got.length > 0, () => engine.send(rtpPacket));
  assert.deepEqual([...new Set(rtcp.got.map((g) => g.port))], [ourRtcp], 'from our a=rtcp port');
  assert.equal(rtp.got.filter((g) => isRtcpBytes(g.data)).length, 0, 'never muxed onto its RTP port');
  await until('the peer\'s RTCP on our RTCP port reaches the engine', () => engine.heard.some(isRtcpBytes),
    () => rtcp.socket.send(rtcpPacket, ourRtcp, '127.0.0.1'));
  const stats = media.pathStats()?.rtcp;
  assert.ok(stats && stats.packetsSent >= 1 && stats.packetsReceived >= 1, JSON.stringify(stats));
}

test('ICE on, peer without ICE or rtcp-mux answering our offer: RTCP between our a=rtcp and its a=rtcp', async (t) => {
  await exchange(t, 'offerer');
});

test('ICE on, answering a plain offer without rtcp-mux: our answer names our RTCP port, and RTCP goes between the two', async (t) => {
  await exchange(t, 'answerer');
});
