/**
 * Issue 13's control: the problem is real on this bed. Without STUN, ICE or TURN (rport, the
 * Contact rewrite and symmetric RTP only), our CLI calls baresip through Kamailio from two homes
 * of one bed. Behind the endpoint-independent router the port-preserving mapping makes the public
 * address we advertise (the SIP flow's, with our RTP port) the right one: audio both ways (as
 * nat-home-router.test.ts found too). Behind the symmetric router our RTP leaves from a random
 * port, and baresip (which does not latch) sends to the advertised one, which the router drops:
 * the audio check fails. So a later pass through the symmetric NAT proves the fix, not the bed.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { testScope } from './harness/index.js';
import { callState } from '../support/softphone-process.js';
import {
  accountArgs, baresipDumps, checkTone, describeTone, ourTone, registered, softphoneAtHome, startNatServices, theirTone,
} from './support/nat-bed.js';

describe('control: no STUN/ICE/TURN behind NATs (issue 13)', () => {
  it('endpoint-independent NAT: audio both ways; symmetric NAT: the audio check fails', async (t) => {
    const scope = testScope(t);
    const s = await startNatServices(scope, { homes: [{ nat: 'endpoint-independent' }, { nat: 'symmetric' }] });
    const baresip = s.baresip!;
    const results: Record<string, { weHeard: ReturnType<typeof checkTone>; theyHeard: ReturnType<typeof checkTone>; packetsReceived: number }> = {};
    for (const [i, user] of [[0, '1001'], [1, '1002']] as const) {
      const nat = s.bed.homes[i]!.nat;
      const heard = join(scope.dir, `heard-${nat}.wav`);
      const dumpsBefore = baresipDumps(baresip).length;
      const cli = softphoneAtHome(scope, s, i, ['call', `sip:1010@${s.domain}`, ...accountArgs(s, scope, user, ourTone), '--rec-file', heard, '--duration', '5']);
      assert.equal((await registered(cli)).state, 'registered', `${nat}: registered through the NAT`);
      await cli.waitEvent(callState('confirmed'), `${nat}: call confirmed (signalling works through the NAT)`, 15_000);
      await cli.waitEvent(callState('ended'), `${nat}: call ended`, 20_000);
      const stats = await cli.waitEvent((e) => e.event === 'stats', `${nat}: stats`, 5000);
      await cli.exited;
      const dumps = baresipDumps(baresip);
      assert.equal(dumps.length, dumpsBefore + 1, `${nat}: baresip recorded the call`);
      results[nat] = {
        weHeard: checkTone(heard, theirTone, `${nat}: what we heard`),
        theyHeard: checkTone(dumps.at(-1)!, ourTone, `${nat}: what baresip heard`),
        packetsReceived: Number(stats.packetsReceived),
      };
      t.diagnostic(`${nat}: we heard ${describeTone(results[nat].weHeard)}; baresip heard ${describeTone(results[nat].theyHeard)}; ` +
        `RTP packets received ${stats.packetsReceived}`);
    }
    const eim = results['endpoint-independent']!;
    const sym = results.symmetric!;
    assert.ok(eim.weHeard.ok && eim.theyHeard.ok, `endpoint-independent NAT without STUN carries audio both ways: ${JSON.stringify(eim)}`);
    assert.ok(!sym.weHeard.ok || !sym.theyHeard.ok, `the symmetric NAT must break audio without STUN/ICE/TURN, or the bed proves nothing: ${JSON.stringify(sym)}`);
    t.diagnostic(`symmetric NAT conntrack:\n${s.bed.homes[1]!.natTable().split('\n').filter((l) => l.includes('udp')).join('\n')}`);
  });
});
