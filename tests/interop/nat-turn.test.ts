/**
 * Issue 13: TURN (RFC 8656) through real NATs. Symmetric NATs on both sides (two homes, our CLI in
 * each): srflx candidates are useless (a new public port per flow), so ICE selects a pair through
 * coturn; audio both ways, the stats name the relayed pair, and the router counts the media going
 * to the TURN server. A router that blocks all UDP and lets only TCP 443 (and SIP over TCP) out:
 * TURN over TCP (with ICE) and over TLS (ICE off: TURN as a fixed relay) on port 443 carry a call
 * to baresip with audio both ways.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { testScope } from './harness/index.js';
import { callState } from '../support/softphone-process.js';
import {
  accountArgs, baresipDumps, checkTone, describeTone, natFlags, otherTone, ourTone, registered, selectedPairTypes,
  softphoneAtHome, startNatServices, theirTone,
} from './support/nat-bed.js';

/** A 5 s call sends about 250 packets; ICE checks and refreshes are a few dozen: more than this is media. */
const mediaPackets = 100;

describe('TURN through NATs (issue 13)', () => {
  it('symmetric NATs on both sides: the call relays through coturn, audio both ways, stats name the relayed pair', async (t) => {
    const scope = testScope(t);
    const s = await startNatServices(scope, { homes: [{ nat: 'symmetric' }, { nat: 'symmetric' }], coturn: {}, baresip: false });
    const flags = natFlags(s, scope, { stun: true, turn: { transport: 'udp' }, ice: 'on' });
    const toTurn = [0, 1].map((i) => s.bed.countToward(i, 'udp', s.bed.internetAddress, s.coturn!.port));
    const heard = [join(scope.dir, 'heard-0.wav'), join(scope.dir, 'heard-1.wav')];
    const callee = softphoneAtHome(scope, s, 1, ['listen', ...accountArgs(s, scope, '1002', otherTone), ...flags,
      '--rec-file', heard[1]!, '--auto-answer']);
    assert.equal((await registered(callee)).state, 'registered');
    const caller = softphoneAtHome(scope, s, 0, ['call', `sip:1002@${s.domain}`, ...accountArgs(s, scope, '1001', ourTone), ...flags,
      '--rec-file', heard[0]!, '--duration', '5']);
    assert.equal((await registered(caller)).state, 'registered');
    await caller.waitEvent(callState('confirmed'), 'call confirmed', 20_000);
    await caller.waitEvent(callState('ended'), 'call ended', 20_000);
    await callee.waitEvent(callState('ended', 'incoming'), 'callee saw the call end', 10_000);
    const stats = [
      await caller.waitEvent((e) => e.event === 'stats', 'caller stats', 5000),
      await callee.waitEvent((e) => e.event === 'stats', 'callee stats', 5000),
    ];
    callee.command('quit');
    assert.equal(await caller.exited, 0);
    assert.equal(await callee.exited, 0);
    const pairs = stats.map((st) => selectedPairTypes(st));
    const counts = toTurn.map((c) => c.read());
    t.diagnostic(`selected pairs: caller ${pairs[0]}, callee ${pairs[1]}; packets to coturn ${s.coturn!.port}/udp: home0 ${counts[0]}, home1 ${counts[1]}`);
    pairs.forEach((p, i) => assert.ok(p?.includes('relay'), `home ${i}: the selected pair is relayed: ${p} in ${JSON.stringify(stats[i])}`));
    pairs.forEach((p, i) => {
      if (p!.startsWith('relay/')) assert.ok(counts[i]! >= mediaPackets, `home ${i} relays from its allocation: only ${counts[i]} packets went to coturn`);
    });
    const weHeard = checkTone(heard[0]!, otherTone, 'home 0 heard home 1');
    const theyHeard = checkTone(heard[1]!, ourTone, 'home 1 heard home 0');
    t.diagnostic(`home 0 heard ${describeTone(weHeard)}; home 1 heard ${describeTone(theyHeard)}`);
    assert.ok(weHeard.ok && theyHeard.ok, 'audio both ways through the relay');
  });

  for (const transport of ['tcp', 'tls'] as const) {
    const ice = transport === 'tcp' ? 'on' : 'off';
    it(`UDP blocked, only TCP 443 out: TURN over ${transport.toUpperCase()} on 443 (ICE ${ice}) carries a call to baresip, audio both ways`, async (t) => {
      const scope = testScope(t);
      const s = await startNatServices(scope, {
        homes: [{ nat: 'endpoint-independent', blockUdp: true }], kamailioTcp: true,
        coturn: transport === 'tcp' ? { port: 443 } : { port: 3478, tls: true, tlsPort: 443 },
      });
      s.bed.setRouter(0, { nat: 'endpoint-independent', blockUdp: true, allowTcpPorts: [443, s.kamailio.tcpPort] });
      const via443 = s.bed.countToward(0, 'tcp', s.bed.internetAddress, 443);
      const heard = join(scope.dir, 'heard.wav');
      const caller = softphoneAtHome(scope, s, 0, ['call', `sip:1010@${s.domain}`, ...accountArgs(s, scope, '1001', ourTone),
        '--transport', 'tcp', ...natFlags(s, scope, { turn: { transport, port: 443 }, ice }), '--rec-file', heard, '--duration', '5']);
      assert.equal((await registered(caller)).state, 'registered', 'registered over TCP through the locked-down router');
      await caller.waitEvent(callState('confirmed'), 'call confirmed', 20_000);
      await caller.waitEvent(callState('ended'), 'call ended', 20_000);
      const stats = await caller.waitEvent((e) => e.event === 'stats', 'stats', 5000);
      assert.equal(await caller.exited, 0);
      const packets = via443.read();
      t.diagnostic(`packets to ${s.bed.internetAddress}:443/tcp ${packets}; selected pair ${selectedPairTypes(stats)}`);
      assert.ok(packets >= mediaPackets, `the media went through TURN on 443: only ${packets} TCP packets; stats ${JSON.stringify(stats)}`);
      // baresip does no ICE: media takes the default candidate, which must be the relayed one (RFC 8445 §5.1.4).
      const mode = (stats.ice as { mode?: string } | undefined)?.mode;
      assert.equal(mode, 'fixed-relay', `the stats show media on the relay: ${JSON.stringify(stats.ice)}`);
      const weHeard = checkTone(heard, theirTone, 'we heard');
      const theyHeard = checkTone(baresipDumps(s.baresip!).at(-1)!, ourTone, 'baresip heard');
      t.diagnostic(`we heard ${describeTone(weHeard)}; baresip heard ${describeTone(theyHeard)}`);
      assert.ok(weHeard.ok && theyHeard.ok, 'audio both ways through TURN over ' + transport);
    });
  }
});
