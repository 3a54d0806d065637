/**
 * RTCP without rtcp-mux on a live AudioStream (real loopback sockets, a scripted peer): our RTCP
 * port is RTP + 1 (RFC 3550 §11), reports go from it to the peer's a=rtcp port (RFC 3605) or to
 * where the peer's RTCP reaches it from, and never onto the peer's RTP port (RFC 5761 §5.1.3).
 * The clock is moved by hand so that a report is due at once.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { AudioStream } from '../../../src-main/media/engine/audio-stream.js';
import type { StreamConfig } from '../../../src-main/media/engine/protocol.js';
import { buildRtcp } from '../../../src-main/media/rtp/rtcp.js';
import { writeRtp } from '../../../src-main/media/rtp/rtp-packet.js';
import { systemClock, type Clock } from '../../../src-main/util/clock.js';
import { cryptoRandom } from '../../../src-main/util/random.js';

const PEER_IP = '127.0.0.1';

interface Endpoint { socket: Socket; port: number; received: Array<{ data: Buffer; port: number }> }

async function endpoint(): Promise<Endpoint> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, PEER_IP, resolve));
  const e: Endpoint = { socket, port: socket.address().port, received: [] };
  socket.on('message', (data, rinfo) => e.received.push({ data, port: rinfo.port }));
  return e;
}

const settle = (ms = 50) => new Promise((r) => setTimeout(r, ms));
/** RFC 5761 §4: RTCP packet types 200-204 in the second byte. */
const rtcpIn = (e: Endpoint) => e.received.filter((d) => d.data[1]! >= 200 && d.data[1]! <= 204);

/** A real clock that can be moved forward: a report falls due without waiting seconds. */
function movableClock(): Clock & { advance(ms: number): void } {
  const real = systemClock();
  let offset = 0;
  return { ...real, now: () => real.now() + offset, advance: (ms) => { offset += ms; } };
}

async function openStream(clock: Clock, port?: number) {
  return AudioStream.open('s1', PEER_IP, port, {
    clock, random: cryptoRandom, deviceRate: 48000, cname: 'test@nimbus', events: { dtmf: () => {}, noRtp: () => {}, failed: () => {} },
  });
}

function config(rtp: number, rtcp: number, rtcpMux = false): StreamConfig {
  return {
    remoteAddress: PEER_IP, remotePort: rtp, remoteRtcpPort: rtcp, rtcpMux, codec: 'PCMU', payloadType: 0,
    telephoneEventPt: undefined, ptime: 20, direction: 'sendrecv', srtp: undefined,
  };
}

function rtp(seq: number): Uint8Array {
  const out = new Uint8Array(12 + 160);
  writeRtp(out, { marker: false, payloadType: 0, sequence: seq, timestamp: seq * 160, ssrc: 0x600d }, new Uint8Array(160).fill(0xff));
  return out;
}

const report = buildRtcp([{ type: 'RR', ssrc: 0x600d, reports: [] }]);
const frame = new Int16Array(960).fill(1000);

/** Makes a report due and sends one frame: RTP plus, with it, our RTCP compound. */
async function reportNow(stream: AudioStream, clock: ReturnType<typeof movableClock>): Promise<void> {
  clock.advance(10_000);
  stream.sendFrame(frame);
  await settle();
}

/** The peer's RTP reaches our RTP port from its SDP port, long enough to latch (RFC 3550 A.1 probation). */
async function latch(from: Endpoint, stream: AudioStream): Promise<void> {
  for (let i = 0; i < 4; i++) from.socket.send(rtp(i), stream.localPort, PEER_IP);
  await settle();
}

function canBind(port: number): Promise<boolean> {
  const s = createSocket('udp4');
  return new Promise((resolve) => {
    s.once('error', () => { s.close(); resolve(false); });
    s.bind(port, PEER_IP, () => s.close(() => resolve(true)));
  });
}

describe('RTCP without rtcp-mux on a live stream (RFC 3550 §11, RFC 5761 §5.1.3, RFC 3605)', () => {
  it('the RTCP port, RTP + 1, is bound with an even RTP port; rtcp-mux releases it and a re-offer without it binds it again', async () => {
    const clock = movableClock();
    const peerRtp = await endpoint();
    const peerRtcp = await endpoint();
    const stream = await openStream(clock);
    try {
      assert.equal(stream.localPort % 2, 0, 'RTP on an even port');
      assert.equal(await canBind(stream.localPort + 1), false, 'RTP + 1 is ours before any answer');
      stream.start(config(peerRtp.port, peerRtp.port, true));
      assert.equal(await canBind(stream.localPort + 1), true, 'muxed: RTP + 1 released');
      stream.start(config(peerRtp.port, peerRtcp.port, false));
      await settle();
      await reportNow(stream, clock);
      assert.deepEqual(rtcpIn(peerRtcp).map((d) => d.port), [stream.localPort + 1], 'RTCP again from RTP + 1');
    } finally {
      stream.close();
      peerRtp.socket.close();
      peerRtcp.socket.close();
    }
  });

  it('reports go from RTP + 1 to the peer\'s a=rtcp port, also once its RTP latched from the SDP port', async () => {
    const clock = movableClock();
    const peerRtp = await endpoint();
    const peerRtcp = await endpoint(); // a=rtcp:<its port>, not RTP + 1
    const stream = await openStream(clock);
    try {
      stream.start(config(peerRtp.port, peerRtcp.port));
      await latch(peerRtp, stream);
      await reportNow(stream, clock);
      assert.equal(rtcpIn(peerRtp).length, 0, 'no RTCP on the peer\'s RTP port');
      assert.deepEqual(rtcpIn(peerRtcp).map((d) => d.port), [stream.localPort + 1], 'to a=rtcp, from our RTCP port');
      assert.ok(peerRtp.received.length >= 1, 'RTP still goes to its RTP port');
    } finally {
      stream.close();
      peerRtp.socket.close();
      peerRtcp.socket.close();
    }
  });

  it('RTCP the peer muxes onto our RTP port is not answered there; RTCP reaching our RTCP port is, from wherever it came', async () => {
    const clock = movableClock();
    const peerRtp = await endpoint();
    const peerRtcp = await endpoint();
    const natRtcp = await endpoint(); // the peer's RTCP as a NAT maps it
    const stream = await openStream(clock);
    try {
      stream.start(config(peerRtp.port, peerRtcp.port));
      await latch(peerRtp, stream);
      peerRtp.socket.send(report, stream.localPort, PEER_IP);
      await settle();
      await reportNow(stream, clock);
      assert.equal(rtcpIn(peerRtp).length, 0, 'never muxed onto its RTP port');
      assert.equal(rtcpIn(peerRtcp).length, 1);
      natRtcp.socket.send(report, stream.localPort + 1, PEER_IP);
      await settle();
      await reportNow(stream, clock);
      assert.deepEqual(rtcpIn(natRtcp).map((d) => d.port), [stream.localPort + 1], 'symmetric RTCP (RFC 4961): back where it came from');
      assert.equal(rtcpIn(peerRtcp).length, 1, 'and no longer to the SDP\'s port');
      assert.equal(rtcpIn(peerRtp).length, 0);
    } finally {
      stream.close();
      for (const e of [peerRtp, peerRtcp, natRtcp]) e.socket.close();
    }
  });
});
