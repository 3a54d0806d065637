/**
 * Issue 13: through the endpoint-independent NAT with STUN (RFC 8489) and ICE (RFC 8445) on our
 * side, our CLI registers its public address, calls baresip and is called by it, with each tone in
 * the other's recording. Once against baresip without ICE (our offer's candidates are ignored; the
 * plain c=/m= address, learnt by STUN, with latching) and once against baresip's `ice` module (ICE
 * on both sides: the answer carries candidates and our stats name the selected pair).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { testScope } from './harness/index.js';
import { callState, type Softphone } from '../support/softphone-process.js';
import { tracedMessages } from './support/call-control.js';
import {
  accountArgs, baresipDumps, checkTone, describeTone, natFlags, ourTone, registered, selectedPairTypes, softphoneAtHome,
  startNatServices, theirTone, type ToneResult,
} from './support/nat-bed.js';

const publicHost = '198\\.51\\.100\\.1';
const sdpOf = (p: Softphone, dir: 'out' | 'in', firstLine: RegExp) =>
  tracedMessages(p.stderr()).find((m) => m.dir === dir && firstLine.test(m.firstLine) && /^CSeq:\s*\d+ INVITE/im.test(m.text))?.text ?? '';
/** The same once it is there: the trace (stderr) can trail the event it led to (stdout) by a little. */
async function tracedSdp(p: Softphone, dir: 'out' | 'in', firstLine: RegExp): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const text = sdpOf(p, dir, firstLine);
    if (text) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  return '';
}
const bothWays = (what: string, weHeard: ToneResult, theyHeard: ToneResult) =>
  assert.ok(weHeard.ok && theyHeard.ok, `${what}: we heard ${describeTone(weHeard)}; baresip heard ${describeTone(theyHeard)}`);

describe('endpoint-independent NAT with STUN (issue 13)', () => {
  it('baresip without ICE: registers the public address, calls out and in with audio both ways', async (t) => {
    const scope = testScope(t);
    const s = await startNatServices(scope, { homes: [{ nat: 'endpoint-independent' }], coturn: {} });
    const baresip = s.baresip!;
    const flags = natFlags(s, scope, { stun: true, ice: 'on' });
    const account = accountArgs(s, scope, '1001', ourTone);

    const heardOut = join(scope.dir, 'heard-out.wav');
    const caller = softphoneAtHome(scope, s, 0, ['call', `sip:1010@${s.domain}`, ...account, ...flags, '--rec-file', heardOut, '--duration', '5']);
    assert.equal((await registered(caller)).state, 'registered');
    const bindings = (await s.kamailio.registrations()).filter((r) => r.aor === '1001');
    assert.equal(bindings.length, 1, JSON.stringify(bindings));
    assert.match(bindings[0]!.contact, new RegExp(`^sip:1001@${publicHost}:\\d+`), 'the registered Contact is the public mapping');
    await caller.waitEvent(callState('confirmed'), 'outgoing call confirmed', 15_000);
    const offer = sdpOf(caller, 'out', /^INVITE /);
    assert.match(offer, new RegExp(`^c=IN IP4 ${publicHost}\\r?$`, 'm'), 'the offer advertises the STUN-learnt address');
    assert.match(offer, new RegExp(`^a=candidate:\\S+ 1 (?:UDP|udp) \\d+ ${publicHost} \\d+ typ srflx`, 'm'), 'a server-reflexive candidate from STUN');
    await caller.waitEvent(callState('ended'), 'outgoing call ended', 20_000);
    assert.equal(await caller.exited, 0);
    const outDump = baresipDumps(baresip).at(-1)!;
    bothWays('outgoing', checkTone(heardOut, theirTone, 'we heard'), checkTone(outDump, ourTone, 'baresip heard'));

    const heardIn = join(scope.dir, 'heard-in.wav');
    const callee = softphoneAtHome(scope, s, 0, ['listen', ...account, ...flags, '--rec-file', heardIn, '--duration', '5', '--auto-answer']);
    assert.equal((await registered(callee)).state, 'registered');
    const from = baresip.events().length;
    await baresip.dial(`sip:1001@${s.domain}`);
    await callee.waitEvent(callState('confirmed', 'incoming'), 'incoming call confirmed', 15_000);
    await baresip.waitForEvent('CALL_ESTABLISHED', 10_000, { from });
    const answer = sdpOf(callee, 'out', /^SIP\/2\.0 200/);
    assert.match(answer, new RegExp(`^c=IN IP4 ${publicHost}\\r?$`, 'm'), 'the answer advertises the STUN-learnt address');
    assert.doesNotMatch(answer, /^a=candidate:/m, 'no ICE in the answer to an offer without ICE (RFC 8839 §4.2.1)');
    await callee.waitEvent(callState('ended', 'incoming'), 'incoming call ended', 20_000);
    await baresip.waitForEvent('CALL_CLOSED', 10_000, { from });
    callee.command('quit');
    assert.equal(await callee.exited, 0);
    const inDump = baresipDumps(baresip).at(-1)!;
    assert.notEqual(inDump, outDump, 'baresip recorded the incoming call');
    bothWays('incoming', checkTone(heardIn, theirTone, 'we heard'), checkTone(inDump, ourTone, 'baresip heard'));
  });

  // rtcp-mux: baresip 1.0 does it only with `rtcp_mux yes`; without, its ice module wants RTCP-component
  // candidates for the default address (RFC 5761 §5.1.3: an ICE offerer that may not get rtcp-mux
  // includes them unless it offers rtcp-mux-only, RFC 8858).
  for (const rtcpMux of ['yes', 'no'] as const) {
    it(`baresip with its ice module (rtcp_mux ${rtcpMux}): ICE on both sides, audio both ways, the stats name the selected pair`, async (t) => {
      const scope = testScope(t);
      const s = await startNatServices(scope, {
        homes: [{ nat: 'endpoint-independent' }], coturn: {}, baresipCoreModules: ['ice.so'], baresipAccountParams: ';medianat=ice', baresipConfig: [`rtcp_mux\t\t${rtcpMux}`],
      });
      const baresip = s.baresip!;
      const heard = join(scope.dir, 'heard.wav');
      const caller = softphoneAtHome(scope, s, 0, ['call', `sip:1010@${s.domain}`, ...accountArgs(s, scope, '1001', ourTone),
        ...natFlags(s, scope, { stun: true, ice: 'on' }), '--rec-file', heard, '--duration', '5']);
      await caller.waitEvent(callState('confirmed'), 'call confirmed', 20_000);
      const answer = await tracedSdp(caller, 'in', /^SIP\/2\.0 200/);
      assert.match(answer, /^a=candidate:/m, `baresip answered with ICE candidates:\n${answer}`);
      await caller.waitEvent(callState('ended'), 'call ended', 20_000);
      const stats = await caller.waitEvent((e) => e.event === 'stats', 'stats', 5000);
      assert.equal(await caller.exited, 0);
      const pair = selectedPairTypes(stats);
      assert.ok(pair, `the stats name the selected pair: ${JSON.stringify(stats)}`);
      t.diagnostic(`selected pair ${pair}`);
      const offer = sdpOf(caller, 'out', /^INVITE /);
      assert.match(offer, /^a=candidate:\S+ 2 (?:UDP|udp) /m, 'RFC 5761 §5.1.3: the offer carries RTCP (component 2) candidates beside a=rtcp-mux');
      if (rtcpMux === 'no') {
        // RTCP on its own ICE component: candidates both ways, a pair on each side.
        assert.doesNotMatch(answer, /^a=rtcp-mux/m);
        assert.match(answer, /^a=candidate:\S+ 2 (?:UDP|udp) /m, `baresip answered with RTCP candidates:\n${answer}`);
        const rtcp = (stats.ice as { rtcp?: Record<string, unknown> & { packetsSent?: number; packetsReceived?: number } } | undefined)?.rtcp;
        const rtcpPair = rtcp && selectedPairTypes({ ice: rtcp });
        assert.ok(rtcpPair, `our RTCP component selected a pair: ${JSON.stringify(stats.ice)}`);
        assert.match(baresip.log(), /mnat 'ice' connected: raddr \S+:\d+ \S+:\d+/, 'baresip connected both components');
        t.diagnostic(`RTCP component pair ${rtcpPair}; RTCP packets on it: ${rtcp.packetsSent} sent, ${rtcp.packetsReceived} received`);
      } else {
        assert.doesNotMatch(JSON.stringify(stats.ice), /"rtcp":/, 'rtcp-mux taken: no RTCP component left');
      }
      bothWays('ICE both sides', checkTone(heard, theirTone, 'we heard'), checkTone(baresipDumps(baresip).at(-1)!, ourTone, 'baresip heard'));
    });
  }
});
