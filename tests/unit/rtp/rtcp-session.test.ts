/** RtcpSession (RFC 3550 §6): SR/RR choice, interval (§6.2), RTT and the peer's view over a fake network. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestClock } from '../../support/test-clock.js';
import { sequenceRandom } from '../../../src-main/util/random.js';
import { RtcpSession } from '../../../src-main/media/rtp/rtcp-session.js';
import { buildRtcp, parseRtcp, type RtcpPacket } from '../../../src-main/media/rtp/rtcp.js';
import { compactNtp, ntpFromUnixMs } from '../../../src-main/media/rtp/ntp.js';

const WALL_EPOCH_MS = Date.UTC(2025, 0, 1);

function session(clock: TestClock, ssrc: number, ints: number[] = [500_000], wallOffsetMs = 0) {
  return new RtcpSession({
    ssrc, cname: `user${ssrc}@example.test`, clockRate: 8000, random: sequenceRandom(ints),
    wallClockMs: () => WALL_EPOCH_MS + wallOffsetMs + clock.now(),
  }, clock.now());
}

test('RFC 3550 §6.2: first report after 2.5 s × U[0.5, 1.5], then 5 s × U[0.5, 1.5]', () => {
  const clock = new TestClock();
  const low = session(clock, 1, [0]);
  assert.equal(low.nextReportAtMs, 1250);
  low.buildReport(1250);
  assert.equal(low.nextReportAtMs, 1250 + 2500);
  const high = session(clock, 2, [1_000_000]);
  assert.equal(high.nextReportAtMs, 3750);
  high.buildReport(3750);
  assert.equal(high.nextReportAtMs, 3750 + 7500);
});

test('RFC 3550 §6.4: RR while silent, SR once we send, RR again after two silent intervals', () => {
  const clock = new TestClock();
  const s = session(clock, 7);
  const kinds = (p: RtcpPacket[]) => p.map((x) => x.type).join('+');
  assert.equal(kinds(s.buildReport(1000)), 'RR+SDES');
  s.onRtpSent(1000, 160, 1500);
  s.onRtpSent(1160, 160, 1520);
  clock.advance(1600);
  const sr = s.buildReport(1600);
  assert.equal(kinds(sr), 'SR+SDES');
  const report = sr[0]!;
  assert.ok(report.type === 'SR');
  assert.deepEqual({ ...report.sender, ntpSeconds: 0, ntpFraction: 0 }, {
    ntpSeconds: 0, ntpFraction: 0, rtpTimestamp: 1160 + 80 * 8, packetCount: 2, octetCount: 320,
  });
  const ntp = ntpFromUnixMs(WALL_EPOCH_MS + 1600);
  assert.equal(report.sender.ntpSeconds, ntp.seconds);
  assert.equal(report.sender.ntpFraction, ntp.fraction);
  assert.equal(kinds(s.buildReport(6600)), 'SR+SDES'); // sent within the last two intervals
  assert.equal(kinds(s.buildReport(11600)), 'RR+SDES');
  const sdes = sr[1]!;
  assert.ok(sdes.type === 'SDES');
  assert.equal(sdes.chunks[0]!.items[0]!.value, 'user7@example.test');
  assert.deepEqual(s.buildBye(12000, 'hangup').map((p) => p.type), ['RR', 'SDES', 'BYE']);
});

test('two sessions over a 40 ms / 10 % loss network: RTT, loss and jitter as each side sees them', () => {
  const clock = new TestClock();
  const oneWayMs = 40;
  // Different wall clocks on each side: RTT must not depend on them.
  const alice = session(clock, 0xa11ce, [250_000, 750_000]);
  const bob = session(clock, 0xb0b, [500_000], 123_456);
  const deliver = (to: RtcpSession, bytes: Uint8Array) =>
    clock.setTimeout(() => to.onRtcp(parseRtcp(bytes)!, clock.now()), oneWayMs);

  let seq = 65000; // wraps during the call
  let ts = 0xfffff000;
  let n = 0;
  const sendRtp = () => {
    const [s, t] = [seq, ts];
    alice.onRtpSent(t, 160, clock.now());
    if (n % 10 !== 9) clock.setTimeout(() => bob.onRtpReceived(0xa11ce, s, t, clock.now()), oneWayMs);
    seq = (seq + 1) % 0x10000;
    ts = (ts + 160) >>> 0;
    n++;
    clock.setTimeout(sendRtp, 20);
  };
  const rtcpLoop = (self: RtcpSession, peer: RtcpSession) => {
    const tick = () => {
      deliver(peer, buildRtcp(self.buildReport(clock.now())));
      clock.setTimeout(tick, self.nextReportAtMs - clock.now());
    };
    clock.setTimeout(tick, self.nextReportAtMs - clock.now());
  };
  sendRtp();
  rtcpLoop(alice, bob);
  rtcpLoop(bob, alice);
  clock.advance(30_000);

  // Bob received 90 % of Alice's packets, across the sequence wrap, with no jitter.
  const rx = bob.receiver!.toJSON();
  assert.equal(rx.ssrc, 0xa11ce);
  assert.ok(rx.extendedMax > 0x10000, `extendedMax ${rx.extendedMax}`);
  assert.ok(Math.abs(rx.lost / rx.expected - 0.1) < 0.01, `lost ${rx.lost} of ${rx.expected}`);
  assert.equal(rx.jitter, 0);
  // Alice learns Bob's view of her stream from his RRs, and the RTT from LSR/DLSR.
  const view = alice.peerReport!;
  assert.ok(Math.abs(view.fractionLost - 0.1) < 0.02, `fraction ${view.fractionLost}`);
  assert.equal(view.jitterMs, 0);
  assert.ok(Math.abs(alice.rttMs! - 2 * oneWayMs) < 0.1, `rtt ${alice.rttMs}`);
  // Bob never sent RTP: he sends RR only, so he has no RTT.
  assert.equal(bob.rttMs, undefined);
  assert.equal(bob.peerReport, undefined);
  // Alice's BYE reaches Bob.
  bob.onRtcp(parseRtcp(buildRtcp(alice.buildBye(clock.now())))!, clock.now());
  assert.equal(bob.remoteBye, true);
});

test('RtcpSession: a new remote SSRC starts fresh statistics; SR from the peer feeds our LSR', () => {
  const clock = new TestClock();
  const s = session(clock, 1);
  s.onRtpReceived(50, 1, 0, 0);
  s.onRtpReceived(50, 2, 160, 20);
  assert.equal(s.receiver!.packetsReceived, 1);
  s.onRtpReceived(60, 9, 0, 40);
  assert.equal(s.receiver!.ssrc, 60);
  s.onRtpReceived(60, 10, 160, 60);
  const ntp = { seconds: 0xe0000001, fraction: 0x40000000 };
  s.onRtcp([{ type: 'SR', ssrc: 60, sender: { ntpSeconds: ntp.seconds, ntpFraction: ntp.fraction, rtpTimestamp: 0, packetCount: 2, octetCount: 320 }, reports: [] }], 1000);
  const rr = s.buildReport(1500)[0]!;
  assert.ok(rr.type === 'RR');
  assert.equal(rr.reports[0]!.ssrc, 60);
  assert.equal(rr.reports[0]!.lastSr, compactNtp(ntp));
  assert.equal(rr.reports[0]!.delaySinceLastSr, 0x8000);
  assert.equal(JSON.stringify(s).includes('"remoteBye":false'), true);
});
