/**
 * Secrets stay secret (issue 8, item 9) on real output: the password comes from a 0600 file or the
 * environment (never the command line), and --sip-trace shows the SIP exchange with Kamailio and
 * baresip but not the digest response, nonces or SRTP keys.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBaresip, startKamailio, testScope } from './harness/index.js';
import { startSoftphone } from '../support/softphone-process.js';

const password = 'pw1001';

describe('secrets', () => {
  it('--password-file registers, and --sip-trace redacts digest values and SRTP keys', async (t) => {
    const scope = testScope(t);
    const kamailio = scope.use(await startKamailio({ dir: scope.dir }));
    const domain = `127.0.0.1:${kamailio.udpPort}`;
    scope.use(await startBaresip({
      dir: scope.dir, user: '1002', password: 'pw1002', autoAnswer: true, accountParams: ';mediaenc=srtp',
      registrar: { host: '127.0.0.1', port: kamailio.udpPort, transport: 'udp' },
    }));
    const file = join(scope.dir, 'password');
    writeFileSync(file, `${password}\n`, { mode: 0o600 });
    const phone = scope.use(startSoftphone(['call', `sip:1002@${domain}`, '--id', `sip:1001@${domain}`, '--password-file', file,
      '--registrar', `sip:${domain}`, '--srtp', 'optional', '--duration', '1'], { trace: true }));
    const reg = await phone.waitEvent((e) => e.event === 'registration', 'registration');
    assert.equal(reg.state, 'registered', JSON.stringify(reg));
    const cmdline = readFileSync(`/proc/${phone.pid}/cmdline`, 'utf8');
    assert.doesNotMatch(cmdline, new RegExp(password));
    await phone.waitEvent((e) => e.event === 'call' && e.state === 'confirmed', 'confirmed', 15_000);
    assert.equal(await phone.exited, 0);
    const trace = phone.stderr();
    assert.match(trace, /Authorization: Digest /, 'the trace shows the authenticated REGISTER');
    assert.match(trace, /response="<redacted>"/);
    assert.match(trace, /\bnonce="<redacted>"/);
    assert.doesNotMatch(trace, /cnonce=(?!"<redacted>")/, 'a cnonce, when sent, is hidden');
    assert.match(trace, /a=crypto:\d+ AES_CM_128_HMAC_SHA1_80 inline:<redacted>/, 'SDES keys are hidden');
    assert.doesNotMatch(trace, /inline:[A-Za-z0-9+/]{20,}/, 'no SRTP key material');
    assert.doesNotMatch(trace, /response="?[0-9a-f]{32}/i, 'no digest response');
    assert.doesNotMatch(trace, new RegExp(password), 'no password');
  });

  it('takes the password from NIMBUS_SIP_PASSWORD, and warns about a config file others can read', async (t) => {
    const scope = testScope(t);
    const kamailio = scope.use(await startKamailio({ dir: scope.dir }));
    const domain = `127.0.0.1:${kamailio.udpPort}`;
    const config = join(scope.dir, 'account.json');
    writeFileSync(config, JSON.stringify({ id: `sip:1001@${domain}`, registrar: `sip:${domain}` }), { mode: 0o644 });
    const phone = scope.use(startSoftphone(['listen', '--config', config], { env: { ...process.env, NIMBUS_SIP_PASSWORD: password } }));
    const warning = await phone.waitEvent((e) => e.event === 'notice' && /can be read by other users/.test(String(e.message)), 'warning');
    assert.match(String(warning.message), /chmod 600/);
    const reg = await phone.waitEvent((e) => e.event === 'registration', 'registration');
    assert.equal(reg.state, 'registered', JSON.stringify(reg));
  });
});
