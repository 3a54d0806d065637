/** Registration against a real Kamailio with digest auth, over UDP, TCP and TLS (RFC 3261 §10). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sharedKamailio } from './harness/shared-kamailio.js';
import { startSoftphone } from '../support/softphone-process.js';

describe('registration with Kamailio (digest auth)', () => {
  const bed = sharedKamailio();

  const account = (user: string, password: string, transport: 'udp' | 'tcp' | 'tls') => {
    const port = transport === 'tls' ? bed.kamailio.tlsPort! : bed.kamailio.udpPort;
    return [
      '--id', `sip:${user}@127.0.0.1:${port}`, '--password', password,
      '--registrar', `sip:127.0.0.1:${port};transport=${transport}`, '--transport', transport,
    ];
  };

  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    it(`registers over ${transport}, is visible in the location table, and unregisters on quit`, async () => {
      const user = { udp: '1001', tcp: '1002', tls: '1003' }[transport];
      const extra = transport === 'tls' ? ['--tls-ca', bed.pki.caFile] : [];
      const phone = startSoftphone(['listen', ...account(user, `pw${user}`, transport), ...extra]);
      bed.scope.use(phone);
      const reg = await phone.waitEvent((e) => e.event === 'registration' && e.state !== 'registering', `${transport} registration`);
      assert.equal(reg.state, 'registered', JSON.stringify(reg));
      assert.ok(Number(reg.expires) > 0);
      const bindings = await bed.kamailio.registrations();
      const mine = bindings.filter((b) => b.aor.startsWith(user));
      assert.equal(mine.length, 1, JSON.stringify(bindings));
      if (transport !== 'udp') assert.match(mine[0]!.contact, new RegExp(`transport=${transport}`, 'i'));
      phone.command('quit');
      assert.equal(await phone.exited, 0);
      const left = (await bed.kamailio.registrations()).filter((b) => b.aor.startsWith(user));
      assert.equal(left.length, 0, `binding left after unregister: ${JSON.stringify(left)}`);
    });
  }

  it('reports a wrong password as a failed registration with a clear reason', async () => {
    const phone = startSoftphone(['listen', ...account('1004', 'not-the-password', 'udp')]);
    bed.scope.use(phone);
    const reg = await phone.waitEvent((e) => e.event === 'registration' && e.state !== 'registering', 'registration outcome');
    assert.equal(reg.state, 'failed');
    assert.match(String(reg.reason), /authentication failed/);
    assert.ok(!phone.stderr().includes('not-the-password') && !JSON.stringify(phone.events).includes('not-the-password'),
      'the password must never be printed');
  });

  it('rejects a TLS registrar whose certificate is not trusted', async () => {
    const phone = startSoftphone(['listen', ...account('1005', 'pw1005', 'tls')]);
    bed.scope.use(phone);
    const reg = await phone.waitEvent((e) => e.event === 'registration' && e.state !== 'registering', 'registration outcome');
    assert.equal(reg.state, 'failed');
    assert.match(String(reg.reason), /certificate|self.signed|verify|UNABLE/i);
  });
});
