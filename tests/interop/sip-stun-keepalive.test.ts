/**
 * Issue 13, the SIP side of STUN, against Kamailio with its `stun` module (it answers STUN on its
 * SIP UDP port) and `Flow-Timer: 5` in its 2xx (RFC 5626 §5.4, so keep-alives come every 4-5 s):
 * - against plain Kamailio (no stun module) one Binding transaction (the short probe right after the
 *   2xx) goes unanswered, then OPTIONS keep the flow open (RFC 5626 leaves STUN to registrars that
 *   do it); a capture on Kamailio's port shows the order on the wire;
 * - on loopback, our STUN keep-alives (RFC 5626 §4.4.2) are answered on Kamailio's SIP port: the
 *   phone reports the flow's mapping (its own address, no NAT) and sends no OPTIONS;
 * - behind a home router (NAT bed), the router renumbered by its ISP drops its mappings: the next
 *   keep-alive answer shows the new public address, the phone registers again at once and
 *   Kamailio's binding moves to the new address (the Contact follows the Via, RFC 3581);
 * - `--stun` at the bed's coturn reports the SIP port's public mapping at start; behind a symmetric
 *   NAT that differs from the registrar's view, and the Contact follows the registrar's.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readPcapUdp } from '../../bench/support/pcap.js';
import { startCapture } from '../../bench/support/rtp-capture.js';
import { PROBE_SENDS } from '../../src-main/sip/ua/registration/stun-keepalive.js';
import { startKamailio, testScope } from './harness/index.js';
import { startSoftphone, type Softphone, type SoftphoneEvent } from '../support/softphone-process.js';
import { tracedMessages } from './support/call-control.js';
import { accountArgs, natFlags, ourTone, registered, softphoneAtHome, startNatServices } from './support/nat-bed.js';

const mappings = (p: Softphone, source: string) => p.events.filter((e) => e.event === 'sip-mapping' && e.source === source);
const sent = (p: Softphone, method: string) => tracedMessages(p.stderr()).filter((m) => m.dir === 'out' && m.firstLine.startsWith(`${method} `));
const describeEvents = (p: Softphone) => p.events.filter((e) => e.event !== 'calls').map((e) => JSON.stringify(e)).join('\n');

describe('STUN keep-alives on the SIP UDP flow (Kamailio with and without its stun module)', () => {
  it('loopback: keep-alives are answered on Kamailio\'s SIP port, no OPTIONS', async (t) => {
    const scope = testScope(t);
    const kamailio = scope.use(await startKamailio({ dir: scope.dir, tcp: false, stun: true, flowTimer: 5 }));
    const capture = await startCapture(join(scope.dir, 'sip.pcap'), `udp port ${kamailio.udpPort}`);
    const phone = scope.use(startSoftphone(['listen', '--id', `sip:1001@127.0.0.1:${kamailio.udpPort}`, '--password', 'pw1001',
      '--null-audio', '--local-port', '0'], { trace: true }));
    const reg = await registered(phone);
    assert.equal(reg.state, 'registered', JSON.stringify(reg));
    const ready = phone.events.find((e) => e.event === 'ready') as SoftphoneEvent & { port: number };
    // The first answer comes 4-5 s after the 2xx (80-100 % of the Flow-Timer).
    // The phone takes an answer only from where its request went: this one came from Kamailio's SIP port.
    const first = await phone.waitEvent((e) => e.event === 'sip-mapping' && e.source === 'keep-alive', 'a keep-alive answer', 20_000);
    assert.equal(first.address, '127.0.0.1');
    assert.equal(first.port, ready.port, 'Kamailio saw the SIP socket itself: the keep-alive left the SIP port');
    // Two more intervals: still answered (no fallback notice, no failure), mapping unchanged. Kamailio's
    // STUN answers on the wire (the capture trails it by ~0.5 s) say when two more came back.
    const answers = () => readPcapUdp(capture.file).filter((d) => d.srcPort === kamailio.udpPort && d.payload.length >= 20 && d.payload[0]! < 4);
    for (let i = 0; i < 100 && answers().length < 3; i++) await new Promise((r) => setTimeout(r, 200));
    await capture.stop();
    assert.ok(answers().length >= 3, `three keep-alives answered on the wire (${answers().length})`);
    const notices = phone.events.filter((e) => e.event === 'notice').map((e) => String(e.message));
    assert.ok(!notices.some((m) => /STUN/.test(m)), `no STUN trouble: ${notices.join('; ')}`);
    assert.equal(mappings(phone, 'keep-alive').length, 1, 'one mapping, unchanged');
    assert.equal(sent(phone, 'OPTIONS').length, 0, 'no OPTIONS keep-alive: STUN kept the flow');
    assert.equal(sent(phone, 'REGISTER').length, 2, 'REGISTER + the authenticated one, nothing else');
    assert.ok(phone.events.every((e) => !(e.event === 'registration' && e.state === 'failed')), describeEvents(phone));
  });

  it('a registrar without STUN (plain Kamailio): one unanswered Binding transaction, then OPTIONS keep-alives answered', async (t) => {
    const scope = testScope(t);
    const kamailio = scope.use(await startKamailio({ dir: scope.dir, tcp: false }));
    const capture = await startCapture(join(scope.dir, 'sip.pcap'), `udp port ${kamailio.udpPort}`);
    const phone = scope.use(startSoftphone(['listen', '--id', `sip:1001@127.0.0.1:${kamailio.udpPort}`, '--password', 'pw1001',
      '--null-audio', '--local-port', '0'], { trace: true }));
    const reg = await registered(phone);
    assert.equal(reg.state, 'registered', JSON.stringify(reg));
    // No Flow-Timer: the Binding goes out as a probe right after the 2xx (4 sends, given up 11.5 s
    // later, RFC 8489 §6.2.1), then the first OPTIONS at once.
    const fallback = await phone.waitEvent((e) => e.event === 'sip-mapping' && e.source === 'keep-alive' && e.reason !== undefined,
      'the fallback report', 60_000);
    assert.match(String(fallback.reason), /no STUN answer \(timeout\): the registrar does not answer STUN keep-alives, using OPTIONS/);
    assert.ok(!phone.events.some((e) => e.event === 'notice' && /STUN/.test(String(e.message))), 'no notice: most PBXs do not do STUN');
    const answered = () => tracedMessages(phone.stderr()).some((m) => m.dir === 'in' && m.firstLine.startsWith('SIP/2.0 200') && /^CSeq: \d+ OPTIONS/m.test(m.text));
    for (let i = 0; i < 200 && !answered(); i++) await new Promise((r) => setTimeout(r, 200));
    assert.ok(answered(), 'an OPTIONS keep-alive went out and Kamailio answered it');
    // On the wire: one Binding transaction (its retransmissions share the transaction ID, RFC 8489
    // §6.2.1), no STUN back from Kamailio, and every OPTIONS after the last Binding. The capture
    // trails the wire (and may drop what it has not written when stopped): read it once it holds the OPTIONS.
    const isOptions = (d: { dstPort: number; payload: Uint8Array }) => d.dstPort === kamailio.udpPort && Buffer.from(d.payload.subarray(0, 8)).toString() === 'OPTIONS ';
    for (let i = 0; i < 50 && !readPcapUdp(capture.file).some(isOptions); i++) await new Promise((r) => setTimeout(r, 200));
    await capture.stop();
    const wire = readPcapUdp(capture.file);
    const stun = wire.filter((d) => d.payload.length >= 20 && d.payload[0]! < 4);
    const toKamailio = stun.filter((d) => d.dstPort === kamailio.udpPort);
    assert.equal(toKamailio.length, PROBE_SENDS, `the probe's ${PROBE_SENDS} sends (${stun.length} STUN datagrams)`);
    assert.equal(new Set(toKamailio.map((d) => Buffer.from(d.payload.subarray(8, 20)).toString('hex'))).size, 1, 'one transaction');
    assert.equal(stun.length, toKamailio.length, 'Kamailio without its stun module answered none');
    const options = wire.filter(isOptions);
    assert.ok(options.length >= 1, 'OPTIONS on the wire');
    assert.ok(options[0]!.timeMs > toKamailio.at(-1)!.timeMs, 'no OPTIONS while STUN was being tried');
    assert.equal(mappings(phone, 'keep-alive').filter((e) => e.address !== undefined).length, 0, 'no mapping without a STUN answer');
    assert.ok(phone.events.every((e) => !(e.event === 'registration' && e.state === 'failed')), describeEvents(phone));
  });

  it('behind a NAT: the router renumbered, the next keep-alive shows the new mapping and the phone re-registers there', async (t) => {
    const scope = testScope(t);
    const s = await startNatServices(scope, { homes: [{ nat: 'endpoint-independent' }], baresip: false, coturn: {}, kamailioStun: { flowTimer: 5 } });
    const home = s.bed.homes[0]!;
    const phone = softphoneAtHome(scope, s, 0, ['listen', ...accountArgs(s, scope, '1001', ourTone), ...natFlags(s, scope, { stun: true })]);
    const reg = await registered(phone);
    assert.equal(reg.state, 'registered', describeEvents(phone));
    // --stun: the SIP port's mapping as coturn sees it, reported at start.
    const atStart = await phone.waitEvent((e) => e.event === 'sip-mapping' && e.source === 'stun-server', 'the STUN server\'s view', 20_000);
    assert.equal(atStart.address, home.publicAddress, JSON.stringify(atStart));
    assert.equal(atStart.server, `${s.coturn!.address}:${s.coturn!.port}`);
    const first = await phone.waitEvent((e) => e.event === 'sip-mapping' && e.source === 'keep-alive', 'a keep-alive answer', 20_000);
    assert.equal(first.address, home.publicAddress);
    assert.equal(first.port, atStart.port, 'port-preserving NAT: the STUN server and the registrar see one mapping');
    const before = (await s.kamailio.registrations()).filter((r) => r.aor === '1001');
    assert.equal(before.length, 1);
    assert.match(before[0]!.contact, new RegExp(`@${home.publicAddress.replaceAll('.', '\\.')}:`));
    const registersBefore = sent(phone, 'REGISTER').length;

    const renumbered = s.bed.renumberRouter(0);
    const changed = await phone.waitEvent((e) => e.event === 'sip-mapping' && e.source === 'keep-alive' && e.address === renumbered,
      'the new mapping from a keep-alive', 30_000);
    assert.equal(changed.previous, `${first.address}:${first.port}`);
    await phone.waitEvent((e) => e.event === 'notice' && /NAT mapping of the flow to the registrar changed .* \(STUN keep-alive\): registering again/.test(String(e.message)),
      'the re-registration notice', 5_000);
    // The REGISTER after the change, then the Contact rewritten to what Kamailio now sees.
    const escaped = renumbered.replaceAll('.', '\\.');
    for (let i = 0; i < 100; i++) {
      const now = (await s.kamailio.registrations()).filter((r) => r.aor === '1001');
      if (now.length === 1 && new RegExp(`@${escaped}:`).test(now[0]!.contact)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const after = (await s.kamailio.registrations()).filter((r) => r.aor === '1001');
    assert.equal(after.length, 1, `the old binding removed: ${JSON.stringify(after)}`);
    assert.match(after[0]!.contact, new RegExp(`@${escaped}:${changed.port}\\b`), 'Kamailio\'s binding is the new flow');
    const registersAfter = sent(phone, 'REGISTER').slice(registersBefore);
    assert.ok(registersAfter.length >= 1, 'a REGISTER after the change');
    assert.match(registersAfter.at(-1)!.text, new RegExp(`^Contact: <sip:1001@${escaped}:${changed.port}`, 'm'));
    assert.equal(sent(phone, 'OPTIONS').length, 0, 'STUN found the change, not an OPTIONS keep-alive');
    assert.ok(!phone.events.some((e) => e.event === 'notice' && /symmetric/.test(String(e.message))), 'an endpoint-independent NAT is not called symmetric');
    assert.ok(!phone.events.some((e) => e.event === 'notice' && /network changed/.test(String(e.message))),
      'the home kept its address: no network change, only the NAT moved');
    const contacts = registersAfter.map((m) => /^Contact: (.*)$/m.exec(m.text)?.[1]?.trim()).join(' | ');
    console.log(`mapping ${first.address}:${first.port} -> ${changed.address}:${changed.port}; REGISTERs after the change: ${registersAfter.length} (${contacts})`);
  });

  it('behind a symmetric NAT: the STUN server sees another port than the registrar; the Contact follows the registrar', async (t) => {
    const scope = testScope(t);
    const s = await startNatServices(scope, { homes: [{ nat: 'symmetric' }], baresip: false, coturn: {}, kamailioStun: { flowTimer: 5 } });
    const home = s.bed.homes[0]!;
    const phone = softphoneAtHome(scope, s, 0, ['listen', ...accountArgs(s, scope, '1001', ourTone), ...natFlags(s, scope, { stun: true })]);
    const reg = await registered(phone);
    assert.equal(reg.state, 'registered', describeEvents(phone));
    const atStart = await phone.waitEvent((e) => e.event === 'sip-mapping' && e.source === 'stun-server', 'the STUN server\'s view', 20_000);
    const flow = await phone.waitEvent((e) => e.event === 'sip-mapping' && e.source === 'keep-alive', 'the registrar flow\'s view', 20_000);
    assert.equal(atStart.address, home.publicAddress);
    assert.equal(flow.address, home.publicAddress);
    // fully-random ports per destination: the two views differ (1 in ~28,000 that they match by chance).
    assert.notEqual(atStart.port, flow.port, `one mapping per destination: ${JSON.stringify([atStart, flow])}`);
    const bindings = (await s.kamailio.registrations()).filter((r) => r.aor === '1001');
    assert.equal(bindings.length, 1);
    assert.match(bindings[0]!.contact, new RegExp(`@${home.publicAddress.replaceAll('.', '\\.')}:${flow.port}\\b`),
      'the registered Contact is the registrar\'s view of the flow, not the STUN server\'s');
    await phone.waitEvent((e) => e.event === 'notice' && /maps each destination apart \(symmetric\)/.test(String(e.message)), 'the symmetric-NAT hint', 5_000);
    console.log(`symmetric NAT: STUN server saw :${atStart.port}, the registrar flow :${flow.port}; Contact ${bindings[0]!.contact}`);
  });
});
