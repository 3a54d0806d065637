/**
 * Registration recovery with a real Kamailio (RFC 5626 §4.4, issue 8 item 11): Kamailio's side of
 * our registered TCP/TLS connection is killed with `ss -K` (the kernel aborts the socket and sends
 * us a RST, as a registrar restart or a load balancer would), and the phone must be registered
 * again — on a new connection, as `kamcmd ul.dump` shows — within 2 s. A stranger's connection to
 * our listener closing must not re-register anything. A call in progress through Kamailio with
 * baresip gets our target refresh on the new flow and goes on until baresip hangs up.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import type { Kamailio } from './harness/kamailio.js';
import { startBaresip } from './harness/baresip.js';
import { freeUdpTcpPort } from './harness/ports.js';
import { sharedKamailio } from './harness/shared-kamailio.js';
import { callState, startSoftphone } from '../support/softphone-process.js';

const run = promisify(execFile);

/** The source port of our connection as Kamailio stored it (fix_nated_register: `Received`). */
async function flowPort(kamailio: Kamailio, user: string): Promise<number> {
  const mine = (await kamailio.registrations()).filter((b) => b.aor.startsWith(user));
  assert.equal(mine.length, 1, JSON.stringify(mine));
  const port = Number(/:(\d+)(;|$)/.exec(mine[0]!.received ?? '')?.[1]);
  assert.ok(port > 0, `a received address with a port: ${JSON.stringify(mine[0])}`);
  return port;
}

describe('registration recovery with Kamailio (RFC 5626 §4.4)', () => {
  const bed = sharedKamailio();

  for (const transport of ['tcp', 'tls'] as const) {
    it(`${transport}: Kamailio resets our registered connection → registered again on a new one at once, not at the next refresh`, async () => {
      const user = transport === 'tcp' ? '1006' : '1007';
      const port = transport === 'tls' ? bed.kamailio.tlsPort! : bed.kamailio.tcpPort;
      const phone = startSoftphone([
        'listen', '--id', `sip:${user}@127.0.0.1:${port}`, '--password', `pw${user}`,
        '--registrar', `sip:127.0.0.1:${port};transport=${transport}`, '--transport', transport,
        ...(transport === 'tls' ? ['--tls-ca', bed.pki.caFile] : []),
      ]);
      bed.scope.use(phone);
      const first = await phone.waitEvent((e) => e.event === 'registration' && e.state !== 'registering', 'registration', 30_000);
      assert.equal(first.state, 'registered', JSON.stringify(first));
      const before = await flowPort(bed.kamailio, user);

      const seen = phone.events.length;
      const t0 = performance.now();
      // Kill Kamailio's end of our flow: its socket is aborted and we get a RST (ECONNRESET).
      const { stdout } = await run('ss', ['-K', '-t', 'state', 'established', 'src', `127.0.0.1:${port}`, 'dst', `127.0.0.1:${before}`]);
      assert.match(stdout, new RegExp(`127\\.0\\.0\\.1:${before}`), `ss killed the connection:\n${stdout}`);
      const again = await phone.waitEvent((e) => phone.events.indexOf(e) >= seen && e.event === 'registration' && e.state === 'registered',
        'registered again', 10_000); // the refresh would come after minutes: this is the reset's doing
      const ms = performance.now() - t0;
      assert.equal(again.state, 'registered');
      const after = await flowPort(bed.kamailio, user);
      assert.notEqual(after, before, 'Kamailio sees the binding on a new connection');
      assert.ok(phone.events.slice(seen).some((e) => e.event === 'notice' && /connection to the registrar lost/.test(String(e.message))),
        JSON.stringify(phone.events.slice(seen)));
      console.log(`# ${transport}: registered again ${ms.toFixed(0)} ms after the reset (connection ${before} → ${after})`);
      phone.command('quit');
      assert.equal(await phone.exited, 0);
    });
  }

  it('a stranger\'s connection to our TCP listener closing does not re-register', async () => {
    const localPort = await freeUdpTcpPort(1);
    const phone = startSoftphone([
      'listen', '--id', `sip:1008@127.0.0.1:${bed.kamailio.tcpPort}`, '--password', 'pw1008', '--local-port', String(localPort),
      '--registrar', `sip:127.0.0.1:${bed.kamailio.tcpPort};transport=tcp`, '--transport', 'tcp',
    ]);
    bed.scope.use(phone);
    await phone.waitEvent((e) => e.event === 'registration' && e.state === 'registered', 'registration', 30_000);
    const seen = phone.events.length;
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        const s = connect(localPort, '127.0.0.1', () => s.end('OPTIONS sip:x@127.0.0.1 SIP/2.0\r\n\r\n'));
        s.on('error', reject);
        s.on('close', () => resolve());
      });
    }
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(phone.events.slice(seen).filter((e) => e.event === 'registration'), [], 'no REGISTER for a stranger');
    phone.command('quit');
    assert.equal(await phone.exited, 0);
  });

  it('tcp: a call in progress survives the reset — target refresh on the new flow, then baresip\'s BYE reaches us', async () => {
    const baresip = await startBaresip({
      dir: bed.scope.dir, user: '1010', password: 'pw1010', autoAnswer: true,
      registrar: { host: bed.kamailio.host, port: bed.kamailio.udpPort, transport: 'udp' },
    });
    const port = bed.kamailio.tcpPort;
    const phone = startSoftphone([
      'listen', '--id', `sip:1009@127.0.0.1:${port}`, '--password', 'pw1009', '--auto-answer',
      '--registrar', `sip:127.0.0.1:${port};transport=tcp`, '--transport', 'tcp',
    ], { trace: true });
    bed.scope.use(phone);
    await phone.waitEvent((e) => e.event === 'registration' && e.state === 'registered', 'registration', 30_000);
    const from = baresip.events().length;
    await baresip.command('dial', `sip:1009@127.0.0.1:${bed.kamailio.udpPort}`);
    await phone.waitEvent(callState('confirmed', 'incoming'), 'incoming call confirmed', 15_000);
    await baresip.waitForEvent('CALL_ESTABLISHED', 5000, { from });

    const flow = await flowPort(bed.kamailio, '1009');
    const traced = phone.stderr().length;
    const seen = phone.events.length;
    const t0 = performance.now();
    await run('ss', ['-K', '-t', 'state', 'established', 'src', `127.0.0.1:${port}`, 'dst', `127.0.0.1:${flow}`]);
    await phone.waitEvent((e) => phone.events.indexOf(e) >= seen && e.event === 'registration' && e.state === 'registered', 'registered again', 5000);
    // RFC 3261 §12.2.1.1: a target refresh carries our Contact (bodiless UPDATE if allowed, else a re-INVITE; baresip gets the latter).
    const refreshed = () => /^>>> to tcp [^\n]+\n(UPDATE|INVITE) sip:[^\n]+\n(?:[^\n]+\n)*?CSeq: \d+ (UPDATE|INVITE)/m.test(phone.stderr().slice(traced));
    const answered = () => /^<<< from tcp [^\n]+\nSIP\/2\.0 200 [^\n]*\n(?:[^\n]+\n)*?CSeq: \d+ (UPDATE|INVITE)/m.test(phone.stderr().slice(traced));
    for (const deadline = Date.now() + 5000; !(refreshed() && answered()) && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
    const ms = performance.now() - t0;
    assert.ok(refreshed() && answered(), `target refresh sent and answered:\n${phone.stderr().slice(traced, traced + 4000)}`);
    const method = /^>>> to tcp [^\n]+\n(UPDATE|INVITE) /m.exec(phone.stderr().slice(traced))![1];
    console.log(`# call: registered again and target refresh (${method}) answered ${ms.toFixed(0)} ms after the reset`);
    assert.equal(phone.events.slice(seen).some((e) => e.event === 'call' && e.state === 'ended'), false, 'the call is still up');

    await baresip.command('hangup');
    const ended = await phone.waitEvent(callState('ended', 'incoming'), 'ended by baresip', 10_000);
    assert.equal(ended.cause, 'remote-hangup');
    phone.command('quit');
    assert.equal(await phone.exited, 0);
    await baresip.stop();
  });
});
