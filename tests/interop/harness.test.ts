/** Smoke tests proving the interop harness: Kamailio, baresip, sipp and the impair relay (as a loss relay) on loopback. */
import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeTestPki } from '../support/pki.js';
import { seededRandom } from '../support/seeded-random.js';
import {
  buildRequest, canBind, freePorts, KAMAILIO_REALM, sendRaw, sipPing, startBaresip,
  startImpairRelay, startKamailio, runSipp, stopAll, testScope, type SipTransport,
} from './harness/index.js';

after(stopAll); // belt and braces: every test also stops its own peers

test('Kamailio listens on UDP, TCP and TLS and challenges an unauthenticated REGISTER', async (t) => {
  const s = testScope(t);
  const pki = makeTestPki(join(s.dir, 'pki'));
  const k = s.use(await startKamailio({
    dir: s.dir, tls: { certFile: pki.serverCertFile, keyFile: pki.serverKeyFile, caFile: pki.caFile },
  }));
  assert.ok(k.tlsPort);
  const targets: Array<[SipTransport, number]> = [['udp', k.udpPort], ['tcp', k.tcpPort], ['tls', k.tlsPort]];
  for (const [transport, port] of targets) {
    const target = { host: k.host, port, transport, timeoutMs: 2000 };
    assert.equal(await sipPing(target), true, `OPTIONS over ${transport}`);
    const res = await sendRaw(target, (lp) => buildRequest('REGISTER', target, lp, '1001'));
    assert.match(res ?? 'no response', /^SIP\/2\.0 401 /, `REGISTER over ${transport}`);
    assert.match(res!, new RegExp(`WWW-Authenticate: Digest realm="${KAMAILIO_REALM.replaceAll('.', '\\.')}"`));
  }
  assert.deepEqual(await k.registrations(), []);
  await k.stop();
  assert.equal(await canBind(k.udpPort), true, 'port released after stop');
});

test('baresip registers with Kamailio over UDP and TLS', async (t) => {
  const s = testScope(t);
  const pki = makeTestPki(join(s.dir, 'pki'));
  const k = s.use(await startKamailio({ dir: s.dir, tls: { certFile: pki.serverCertFile, keyFile: pki.serverKeyFile } }));
  const b1 = s.use(await startBaresip({
    dir: s.dir, user: '1002', password: 'pw1002', registrar: { host: k.host, port: k.udpPort, transport: 'udp' },
  }));
  const b2 = s.use(await startBaresip({
    dir: s.dir, user: '1003', password: 'pw1003', registrar: { host: k.host, port: k.tlsPort!, transport: 'tls' },
    caFile: pki.caFile,
  }));
  const regs = await k.registrations();
  const r1 = regs.find((r) => r.aor === '1002');
  const r2 = regs.find((r) => r.aor === '1003');
  assert.ok(r1 && r2, JSON.stringify(regs));
  assert.match(r1.contact, new RegExp(`^sip:1002.*@127\\.0\\.0\\.1:${b1.sipPort}\\b`));
  assert.equal(r1.socket, `udp:127.0.0.1:${k.udpPort}`);
  assert.match(r2.contact, /;transport=tls$/);
  assert.equal(r2.socket, `tls:127.0.0.1:${k.tlsPort}`);
  assert.equal((await b2.command('reginfo')).ok, true);
});

test('two baresips call through Kamailio: dial, answer, hang up, 486 reject, 404 unknown', async (t) => {
  const s = testScope(t);
  const k = s.use(await startKamailio({ dir: s.dir }));
  const registrar = { host: k.host, port: k.udpPort, transport: 'udp' as const };
  const a = s.use(await startBaresip({ dir: s.dir, user: '1001', password: 'pw1001', registrar }));
  const b = s.use(await startBaresip({ dir: s.dir, user: '1002', password: 'pw1002', registrar }));
  const target = `sip:1002@127.0.0.1:${k.udpPort}`;

  // Answered call, hung up by the callee.
  assert.equal((await a.command('dial', target)).ok, true);
  const incoming = await b.waitForEvent('CALL_INCOMING', 5000);
  assert.match(incoming.peeruri ?? '', /^sip:1001@/);
  await a.waitForEvent('CALL_RINGING', 5000);
  await b.accept();
  await a.waitForEvent('CALL_ESTABLISHED', 5000);
  await b.waitForEvent('CALL_ESTABLISHED', 5000);
  await b.hangup();
  await b.waitForEvent('CALL_CLOSED', 5000);
  await a.waitForEvent('CALL_CLOSED', 5000);

  // Busy reject: `hangup` on a ringing incoming call answers 486.
  let fromA = a.events().length;
  const fromB = b.events().length;
  await a.dial(target);
  await b.waitForEvent('CALL_INCOMING', 5000, { from: fromB });
  await b.hangup();
  const rejected = await a.waitForEvent('CALL_CLOSED', 5000, { from: fromA });
  assert.equal(rejected.param, '486 Rejected');

  // Unknown user: Kamailio answers 404.
  fromA = a.events().length;
  await a.command('dial', `sip:1009@127.0.0.1:${k.udpPort}`);
  const unknown = await a.waitForEvent('CALL_CLOSED', 5000, { from: fromA });
  assert.equal(unknown.param, '404 Not Found');
});

test('sipp UAC calls sipp UAS', async (t) => {
  const s = testScope(t);
  const [uasPort, uacPort] = await freePorts(2) as [number, number];
  const uas = s.use(runSipp({ scenario: 'uas', dir: s.dir, localPort: uasPort, timeoutSec: 15 }));
  // The UAS needs a moment to bind; the UAC retransmits INVITE over UDP anyway.
  const uac = s.use(runSipp({ scenario: 'uac', dir: s.dir, localPort: uacPort, remote: `127.0.0.1:${uasPort}`, timeoutSec: 15 }));
  const [rc, rs] = await Promise.all([uac.done, uas.done]);
  assert.equal(rc.code, 0, `UAC failed:\n${rc.log.slice(-2000)}`);
  assert.equal(rs.code, 0, `UAS failed:\n${rs.log.slice(-2000)}`);
  assert.match(rc.log, /Successful call\s+\|\s+0\s+\|\s+1/);
});

test('impair relay (loss only) in front of Kamailio drops about the requested share', async (t) => {
  const s = testScope(t);
  const k = s.use(await startKamailio({ dir: s.dir, tcp: false }));
  const relay = s.use(await startImpairRelay({
    target: { host: k.host, port: k.udpPort }, lossPercent: 20, jitterMs: 0, random: seededRandom(7),
  }));
  const sock = createSocket('udp4');
  s.use({ stop: () => new Promise<void>((r) => sock.close(() => r())) });
  let answers = 0;
  sock.on('message', (m) => { if (m.toString().startsWith('SIP/2.0 200')) answers++; });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  // The Request-URI names Kamailio itself (else it would forward the OPTIONS back into the relay).
  const target = { host: k.host, port: k.udpPort, transport: 'udp' as const };
  const sent = 300;
  for (let i = 0; i < sent; i++) {
    sock.send(buildRequest('OPTIONS', target, sock.address().port), relay.port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 2));
  }
  await new Promise((r) => setTimeout(r, 300));
  const st = relay.stats();
  assert.equal(st.toTarget.forwarded + st.toTarget.lost, sent);
  assert.equal(st.toClient.forwarded, answers, 'every forwarded reply arrived');
  const share = (st.toTarget.lost + st.toClient.lost) / (st.toTarget.received + st.toClient.received);
  assert.ok(share > 0.14 && share < 0.26, `dropped share ${share.toFixed(3)} (${JSON.stringify(st)})`);
  assert.ok(answers > sent * 0.5 && answers < sent * 0.8, `answers ${answers} of ${sent}`);
});
