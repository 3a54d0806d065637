/**
 * Issue 15: the phone at home behind a port-preserving masquerading router (nftables in a network
 * namespace), Kamailio without NAT helpers (no fix_nated_register) and baresip on the internet side.
 * Proves the registered Contact is rewritten to the router's address (RFC 3581 received/rport),
 * RTP binds locally while SDP advertises the public address, symmetric RTP gets through the NAT,
 * and calls both ways carry each side's tone into the other's recording.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createNatTopology, makeToneWav, startBaresip, startKamailio, testScope } from './harness/index.js';
import { readWav } from '../support/wav.js';
import { callState, startSoftphone, type Softphone } from '../support/softphone-process.js';
import { tracedMessages, type TracedMessage } from './support/call-control.js';
import { assertTone, type ToneFigures } from './support/tone-check.js';

const ourTone = 440;
const theirTone = 1000;

const describeFigures = (f: ToneFigures) => `${f.frequencyHz.toFixed(1)} Hz at ${f.levelDbfs.toFixed(1)} dBFS over ${f.seconds.toFixed(2)} s`;
const registered = (p: Softphone) => p.waitEvent((e) => e.event === 'registration' && e.state !== 'registering', 'registration', 15_000);
/** The first traced message we sent or received whose first line matches. */
const traced = (p: Softphone, dir: 'out' | 'in', firstLine: RegExp): TracedMessage | undefined =>
  tracedMessages(p.stderr()).find((m) => m.dir === dir && firstLine.test(m.firstLine));

describe('behind a home router (masquerade NAT), PBX without NAT helpers', () => {
  it('registers its public address; calls out and in carry audio both ways', async (t) => {
    const scope = testScope(t);
    // Stopped last (scope cleanup is last-in first-out): peers first, then the namespaces, even on failure.
    const net = scope.use(await createNatTopology());
    const kamailio = scope.use(await startKamailio({
      dir: scope.dir, netns: net.internet, address: net.internetAddress, tcp: false, fixNatedRegister: false,
    }));
    const baresip = scope.use(await startBaresip({
      dir: scope.dir, user: '1010', password: 'pw1010', autoAnswer: true, netns: net.internet, address: net.internetAddress,
      registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' },
      audioFile: makeToneWav(join(scope.dir, 'theirs.wav'), { freqHz: theirTone, seconds: 60 }),
    }));
    const domain = `${net.internetAddress}:${kamailio.udpPort}`;
    const ours = makeToneWav(join(scope.dir, 'ours.wav'), { freqHz: ourTone, seconds: 60 });
    const account = ['--id', `sip:1001@${domain}`, '--password', 'pw1001', '--play-file', ours];
    const publicHost = net.publicAddress.replaceAll('.', '\\.');
    const dumps = () => new Set(readdirSync(baresip.recDir).filter((f) => f.endsWith('-dec.wav')));

    // Outgoing: we call baresip.
    const heardOut = join(scope.dir, 'heard-out.wav');
    const caller = scope.use(startSoftphone(['call', `sip:1010@${domain}`, ...account, '--rec-file', heardOut, '--duration', '5'],
      { netns: net.home, trace: true }));
    const reg = await registered(caller);
    assert.equal(reg.state, 'registered', JSON.stringify(reg));
    assert.ok(caller.events.some((e) => e.event === 'notice' && new RegExp(`registrar sees us at ${publicHost}:\\d+, not 192\\.0\\.2\\.2:`).test(String(e.message))),
      'the contact rewrite is reported');
    const bindings = (await kamailio.registrations()).filter((r) => r.aor === '1001');
    assert.equal(bindings.length, 1, `one binding, the stale private one removed: ${JSON.stringify(bindings)}`);
    assert.match(bindings[0]!.contact, new RegExp(`^sip:1001@${publicHost}:\\d+`));
    const confirmed = await caller.waitEvent(callState('confirmed'), 'outgoing call confirmed', 15_000);
    assert.equal(confirmed.codec, 'PCMU');
    const invite = traced(caller, 'out', /^INVITE /)!;
    assert.match(invite.text, new RegExp(`^Contact: <sip:1001@${publicHost}:\\d+`, 'm'), 'INVITE Contact is the public one');
    assert.match(invite.text, new RegExp(`^c=IN IP4 ${publicHost}\\r?$`, 'm'), 'SDP advertises the public address');
    assert.match(invite.text, new RegExp(`^o=\\S+ \\d+ \\d+ IN IP4 ${publicHost}\\r?$`, 'm'));
    const out = await caller.waitEvent(callState('ended'), 'outgoing call ended', 15_000);
    assert.equal(out.cause, 'local-hangup');
    assert.equal(await caller.exited, 0, 'no crash: the call ended normally');
    const outStats = await caller.waitEvent((e) => e.event === 'stats', 'stats');
    assert.ok(Number(outStats.packetsReceived) > 100, `RTP came back through the NAT: ${JSON.stringify(outStats)}`);
    const firstDumps = dumps();
    assert.equal(firstDumps.size, 1, `baresip recorded the call: ${[...firstDumps].join(', ')}`);
    const weHeard = assertTone(readWav(heardOut), theirTone, 'outgoing call: what we heard');
    const theyHeard = assertTone(readWav(join(baresip.recDir, [...firstDumps][0]!)), ourTone, 'outgoing call: what baresip heard');
    t.diagnostic(`outgoing: we heard ${describeFigures(weHeard)}; baresip heard ${describeFigures(theyHeard)}`);

    // Incoming: baresip calls us; it rings, we answer.
    const heardIn = join(scope.dir, 'heard-in.wav');
    const callee = scope.use(startSoftphone(['listen', ...account, '--rec-file', heardIn, '--duration', '5'], { netns: net.home, trace: true }));
    assert.equal((await registered(callee)).state, 'registered');
    const from = baresip.events().length;
    assert.equal((await baresip.command('dial', `sip:1001@${domain}`)).ok, true);
    const ringing = await callee.waitEvent(callState('ringing', 'incoming'), 'incoming call rings', 10_000);
    assert.match(String(ringing.remote), /^sip:1010@/);
    await baresip.waitForEvent('CALL_RINGING', 5000, { from });
    callee.command('answer');
    await callee.waitEvent(callState('confirmed', 'incoming'), 'incoming call confirmed', 10_000);
    await baresip.waitForEvent('CALL_ESTABLISHED', 5000, { from });
    const ok = tracedMessages(callee.stderr()).find((m) => m.dir === 'out' && /^SIP\/2\.0 200/.test(m.firstLine) && /^CSeq:\s*\d+ INVITE/im.test(m.text))!;
    assert.match(ok.text, new RegExp(`^Contact: <sip:1001@${publicHost}:\\d+`, 'm'), '2xx Contact is the public one');
    assert.match(ok.text, new RegExp(`^c=IN IP4 ${publicHost}\\r?$`, 'm'), 'SDP answer advertises the public address');
    const inEnded = await callee.waitEvent(callState('ended', 'incoming'), 'incoming call ended', 15_000);
    assert.equal(inEnded.cause, 'local-hangup');
    await baresip.waitForEvent('CALL_CLOSED', 5000, { from });
    callee.command('quit');
    assert.equal(await callee.exited, 0);
    const newDump = [...dumps()].find((f) => !firstDumps.has(f));
    assert.ok(newDump, 'baresip recorded the incoming call');
    const weHeardIn = assertTone(readWav(heardIn), theirTone, 'incoming call: what we heard');
    const theyHeardIn = assertTone(readWav(join(baresip.recDir, newDump)), ourTone, 'incoming call: what baresip heard');
    t.diagnostic(`incoming: we heard ${describeFigures(weHeardIn)}; baresip heard ${describeFigures(theyHeardIn)}`);
    t.diagnostic(`NAT table:\n${net.natTable().split('\n').filter((l) => l.includes('udp')).join('\n')}`);
  });
});
