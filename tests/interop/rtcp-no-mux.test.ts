/**
 * RTCP without rtcp-mux, peer without ICE (RFC 5761 §5.1.3, RFC 3550 §11, RFC 3605), against
 * baresip with `rtcp_mux no`: its answer (and its offer) carry no a=rtcp-mux, so RTCP must go
 * between the two RTCP ports (RTP + 1, or what a=rtcp says), never onto an RTP port. Our side
 * plain (the engine's RTCP socket, RTP + 1), with ICE on (`--ice on`: the ICE media path's
 * component 2, named by our a=rtcp), or with ICE off through a fixed TURN relay (coturn on
 * loopback: component 2 is a second allocation, named by our a=rtcp). tshark on lo sees what crossed the wire (baresip's RTP port
 * range); our stats' RTT proves that baresip's receiver reports answered our sender reports
 * (RFC 3550 §6.4.1 LSR/DLSR). The call lasts until the capture shows such a report (a report
 * block on our SSRC with LSR set, from baresip's RTCP port to ours), then we hang up.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPcapUdp } from '../../bench/support/pcap.js';
import { startCapture } from '../../bench/support/rtp-capture.js';
import { freePortRange, makeToneWav, startBaresip, startCoturn, startKamailio, testScope } from './harness/index.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { callState, startSoftphone } from '../support/softphone-process.js';
import { tracedMessages } from './support/call-control.js';

/** RFC 5761 §4: RTCP packet types 200-204 (SR, RR, SDES, BYE, APP) in the second byte. */
const isRtcpPayload = (p: Uint8Array) => p.length >= 8 && p[0]! >> 6 === 2 && p[1]! >= 200 && p[1]! <= 204;

/** The m=audio port, a=rtcp port (RFC 3605) and a=rtcp-mux of the SDP in a SIP message. */
function audioPorts(text: string): { rtp: number; rtcp: number | undefined; mux: boolean } {
  const m = /^m=audio (\d+) /m.exec(text);
  assert.ok(m, `no m=audio in\n${text}`);
  const rtcp = /^a=rtcp:(\d+)/m.exec(text);
  return { rtp: Number(m[1]), rtcp: rtcp ? Number(rtcp[1]) : undefined, mux: /^a=rtcp-mux\r?$/m.test(text) };
}

/**
 * RFC 3550 §6.4: some report from `theirs` to `ours` carries a report block on the SSRC of an SR
 * from `ours` with LSR set (baresip got that SR): our side can compute an RTT from it.
 */
function reportOnOurSr(file: string, ours: number, theirs: number): boolean {
  const rtcp = readPcapUdp(file).filter((d) => isRtcpPayload(d.payload));
  const view = (p: Uint8Array) => new DataView(p.buffer, p.byteOffset, p.byteLength);
  const ourSsrcs = new Set(rtcp.filter((d) => d.srcPort === ours && d.dstPort === theirs && d.payload[1] === 200).map((d) => view(d.payload).getUint32(4)));
  return rtcp.some((d) => {
    if (d.srcPort !== theirs || d.dstPort !== ours || (d.payload[1] !== 200 && d.payload[1] !== 201)) return false;
    const blocks = d.payload[1] === 200 ? 28 : 8;
    const count = d.payload[0]! & 0x1f;
    const v = view(d.payload);
    for (let i = 0, at = blocks; i < count && at + 24 <= d.payload.length; i++, at += 24) {
      if (ourSsrcs.has(v.getUint32(at)) && v.getUint32(at + 16) !== 0) return true;
    }
    return false;
  });
}

const cases = [
  { direction: 'outgoing', ice: false, turn: false },
  { direction: 'incoming', ice: false, turn: false },
  { direction: 'outgoing', ice: true, turn: false },
  { direction: 'incoming', ice: true, turn: false },
  { direction: 'outgoing', ice: false, turn: true },
] as const;

describe('RTCP without rtcp-mux, peer without ICE (baresip rtcp_mux no)', () => {
  for (const { direction, ice, turn } of cases) {
    const ours = ice ? ', our ICE on' : turn ? ', ICE off through a TURN relay' : '';
    it(`${direction}${ours}: reports go between the RTCP ports both ways, none on the RTP ports`, async (t) => {
      const scope = testScope(t);
      const kamailio = scope.use(await startKamailio({ dir: scope.dir }));
      const baresip = scope.use(await startBaresip({
        dir: scope.dir, user: '1010', password: 'pw1010', autoAnswer: true,
        registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' },
        audioFile: makeToneWav(join(scope.dir, 'theirs.wav'), { freqHz: 1000, seconds: 40 }),
        extraConfig: ['rtcp_mux\t\tno'],
      }));
      const domain = `127.0.0.1:${kamailio.udpPort}`;
      // Our RTP port is chosen (even, RFC 3550 §11); the capture holds baresip's media ports.
      const base = await freePortRange(4);
      const rtpPort = base % 2 === 0 ? base : base + 1;
      const range = /^rtp_ports\s+(\d+)-(\d+)/m.exec(readFileSync(join(baresip.dir, 'config'), 'utf8'));
      assert.ok(range, 'baresip\'s rtp_ports');
      const capture = await startCapture(join(scope.dir, 'media.pcap'), `udp portrange ${range[1]}-${range[2]}`);
      const ours = makeToneWav(join(scope.dir, 'ours.wav'), { freqHz: 440, seconds: 40 });
      const common = ['--id', `sip:1001@${domain}`, '--password', 'pw1001', '--registrar', `sip:${domain}`, '--codecs', 'pcmu',
        '--play-file', ours, '--rec-file', join(scope.dir, 'heard.wav'), '--rtp-port', String(rtpPort), '--duration', '35', ...(ice ? ['--ice', 'on'] : [])];
      if (turn) {
        const coturn = scope.use(await startCoturn({ dir: scope.dir }));
        const passwordFile = join(scope.dir, 'turn-password');
        writeFileSync(passwordFile, `${coturn.password}\n`, { mode: 0o600 });
        common.push('--turn', `turn:127.0.0.1:${coturn.port}?transport=udp`, '--turn-username', coturn.username, '--turn-password-file', passwordFile, '--ice', 'off');
      }
      const phone = scope.use(startSoftphone(direction === 'outgoing'
        ? ['call', `sip:1010@${domain}`, ...common]
        : ['listen', '--auto-answer', ...common], { trace: true }));
      if (direction === 'incoming') {
        await phone.waitEvent((e) => e.event === 'registration' && e.state === 'registered', 'registered');
        await baresip.dial(`sip:1001@${domain}`);
      }
      await phone.waitEvent(callState('confirmed'), 'confirmed', 15_000);
      const sdps = () => tracedMessages(phone.stderr()).filter((m) => /\r?\n\r?\nv=0/.test(m.text) && /^CSeq:\s*\d+ INVITE/im.test(m.text));
      for (let i = 0; i < 50 && !(sdps().some((m) => m.dir === 'out') && sdps().some((m) => m.dir === 'in')); i++) await sleep(100);
      {
        // Hang up once baresip has reported on our SR (the capture trails the wire by ~0.5 s);
        // --duration 35 only bounds a call where that never happens (the assertions below say why).
        const [ourOffer, theirAnswer] = [sdps().find((m) => m.dir === 'out'), sdps().find((m) => m.dir === 'in')];
        assert.ok(ourOffer && theirAnswer, 'an SDP each way');
        const [u, th] = [audioPorts(ourOffer.text), audioPorts(theirAnswer.text)];
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline && !reportOnOurSr(capture.file, u.rtcp ?? u.rtp + 1, th.rtcp ?? th.rtp + 1)) await sleep(250);
        await sleep(1000); // margin for a media worker slowed by load to take that report in
        phone.command('hangup');
      }
      await phone.waitEvent(callState('ended'), 'ended', 30_000);
      const stats = await phone.waitEvent((e) => e.event === 'stats', 'stats');
      await capture.stop();

      const msgs = tracedMessages(phone.stderr()).filter((m) => /\r?\n\r?\nv=0/.test(m.text) && /^CSeq:\s*\d+ INVITE/im.test(m.text));
      const ourSdp = msgs.find((m) => m.dir === 'out');
      const theirSdp = msgs.find((m) => m.dir === 'in');
      assert.ok(ourSdp && theirSdp, 'an SDP each way');
      const us = audioPorts(ourSdp.text);
      const them = audioPorts(theirSdp.text);
      if (!ice && !turn) assert.equal(us.rtp, rtpPort);
      else assert.ok(us.rtcp !== undefined, `our a=rtcp names component 2 (RFC 3605):\n${ourSdp.text}`);
      assert.equal(them.mux, false, `baresip (rtcp_mux no) took no rtcp-mux:\n${theirSdp.text}`);
      if (direction === 'incoming') assert.equal(us.mux, false, 'RFC 5761 §5.1.1: no rtcp-mux in an answer to an offer without it');
      const ourRtcp = us.rtcp ?? us.rtp + 1;
      const theirRtcp = them.rtcp ?? them.rtp + 1;

      const rtcp = readPcapUdp(capture.file).filter((d) => isRtcpPayload(d.payload));
      const count = (src: number, dst: number) => rtcp.filter((d) => d.srcPort === src && d.dstPort === dst).length;
      const sent = count(ourRtcp, theirRtcp);
      const received = count(theirRtcp, ourRtcp);
      const flows = [...new Set(rtcp.map((d) => `${d.srcPort}->${d.dstPort}`))].join(', ');
      t.diagnostic(`our RTP ${us.rtp} RTCP ${ourRtcp}, theirs ${them.rtp}/${theirRtcp}; RTCP ${sent} sent, ${received} received; flows ${flows}; RTT ${String(stats.rttMs)} ms`);
      assert.ok(sent >= 1, `our RTCP left from our RTCP port ${ourRtcp} to theirs ${theirRtcp} (flows: ${flows})`);
      assert.ok(received >= 1, `baresip's RTCP came from ${theirRtcp} to our RTCP port ${ourRtcp} (flows: ${flows})`);
      assert.equal(rtcp.length, sent + received, `no RTCP on an RTP port (flows: ${flows})`);
      // RFC 3550 §6.4.1: an RTT needs baresip's report block on our SR, taken on our RTCP port.
      assert.equal(typeof stats.rttMs, 'number', `an RTT from baresip's reports: ${JSON.stringify(stats)}`);
      if (direction === 'outgoing') assert.equal(await phone.exited, 0);
    });
  }
});
