/**
 * Registration recovery with a real Kamailio (RFC 5626 §4.4, issue 8 item 11): Kamailio's side of
 * our registered TCP/TLS connection is killed with `ss -K` (the kernel aborts the socket and sends
 * us a RST, as a registrar restart or a load balancer would), and the phone must be registered
 * again — on a new connection, as `kamcmd ul.dump` shows — within 2 s. A stranger's connection to
 * our listener closing must not re-register anything.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startKamailio, type Kamailio } from './harness/kamailio.js';
import { makeTempDir, removeTempDir, stopAll } from './harness/process.js';
import { freeUdpTcpPort } from './harness/ports.js';
import { makeTestPki, type TestPki } from '../support/pki.js';
import { startSoftphone, type Softphone } from './support/softphone-process.js';

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
  let dir: string;
  let pki: TestPki;
  let kamailio: Kamailio;
  const phones: Softphone[] = [];

  before(async () => {
    dir = makeTempDir();
    pki = makeTestPki(join(dir, 'pki'));
    kamailio = await startKamailio({ dir, tls: { certFile: pki.serverCertFile, keyFile: pki.serverKeyFile } });
  });
  after(async () => {
    await Promise.all(phones.map((p) => p.stop()));
    await stopAll();
    removeTempDir(dir);
  });

  for (const transport of ['tcp', 'tls'] as const) {
    it(`${transport}: Kamailio resets our registered connection → registered again on a new one within 2 s`, async () => {
      const user = transport === 'tcp' ? '1006' : '1007';
      const port = transport === 'tls' ? kamailio.tlsPort! : kamailio.tcpPort;
      const phone = startSoftphone([
        'listen', '--id', `sip:${user}@127.0.0.1:${port}`, '--password', `pw${user}`,
        '--registrar', `sip:127.0.0.1:${port};transport=${transport}`, '--transport', transport,
        ...(transport === 'tls' ? ['--tls-ca', pki.caFile] : []),
      ]);
      phones.push(phone);
      const first = await phone.waitEvent((e) => e.event === 'registration' && e.state !== 'registering', 'registration', 30_000);
      assert.equal(first.state, 'registered', JSON.stringify(first));
      const before = await flowPort(kamailio, user);

      const seen = phone.events.length;
      const t0 = performance.now();
      // Kill Kamailio's end of our flow: its socket is aborted and we get a RST (ECONNRESET).
      const { stdout } = await run('ss', ['-K', '-t', 'state', 'established', 'src', `127.0.0.1:${port}`, 'dst', `127.0.0.1:${before}`]);
      assert.match(stdout, new RegExp(`127\\.0\\.0\\.1:${before}`), `ss killed the connection:\n${stdout}`);
      const again = await phone.waitEvent((e) => phone.events.indexOf(e) >= seen && e.event === 'registration' && e.state === 'registered',
        'registered again', 5000);
      const ms = performance.now() - t0;
      assert.equal(again.state, 'registered');
      const after = await flowPort(kamailio, user);
      assert.notEqual(after, before, 'Kamailio sees the binding on a new connection');
      assert.ok(phone.events.slice(seen).some((e) => e.event === 'notice' && /connection to the registrar lost/.test(String(e.message))),
        JSON.stringify(phone.events.slice(seen)));
      console.log(`# ${transport}: registered again ${ms.toFixed(0)} ms after the reset (connection ${before} → ${after})`);
      assert.ok(ms < 2000, `re-registered after ${ms.toFixed(0)} ms`);
      phone.command('quit');
      assert.equal(await phone.exited, 0);
    });
  }

  it('a stranger\'s connection to our TCP listener closing does not re-register', async () => {
    const localPort = await freeUdpTcpPort(1);
    const phone = startSoftphone([
      'listen', '--id', `sip:1008@127.0.0.1:${kamailio.tcpPort}`, '--password', 'pw1008', '--local-port', String(localPort),
      '--registrar', `sip:127.0.0.1:${kamailio.tcpPort};transport=tcp`, '--transport', 'tcp',
    ]);
    phones.push(phone);
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
});
