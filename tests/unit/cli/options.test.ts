/** The CLI's public interface: flags, config file, and errors that name the field. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCli, UsageError } from '../../../src-main/cli/options.js';
import { instanceIdFor } from '../../../src-main/core/instance-id.js';

const dir = mkdtempSync(join(tmpdir(), 'nimbus-cli-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const fails = (argv: string[], field: string | RegExp) =>
  assert.throws(() => parseCli(argv), (e: unknown) => e instanceof UsageError &&
    (typeof field === 'string' ? e.field === field : field.test(e.field)));

describe('softphone options', () => {
  it('parses the pjsua-like flags of call', () => {
    const o = parseCli(['call', 'sip:1002@pbx.example.com', '--id', 'sip:1001@pbx.example.com', '--username', 'u1001',
      '--password', 'secret', '--registrar=sip:pbx.example.com', '--outbound-proxy', 'sip:edge.example.com;transport=tcp',
      '--transport', 'tcp', '--local-port', '5070', '--auto-answer=250', '--duration', '2.5', '--json']);
    assert.equal(o.command, 'call');
    assert.equal(o.target, 'sip:1002@pbx.example.com');
    assert.equal(o.username, 'u1001');
    assert.equal(o.registrar, 'sip:pbx.example.com');
    assert.equal(o.outboundProxy, 'sip:edge.example.com;transport=tcp');
    assert.equal(o.transport, 'tcp');
    assert.equal(o.localPort, 5070);
    assert.equal(o.autoAnswer, 250);
    assert.equal(o.duration, 2.5);
    assert.equal(o.json, true);
  });

  it('treats a bare --auto-answer as answer at once, and leaves it off when absent', () => {
    assert.equal(parseCli(['listen', '--auto-answer']).autoAnswer, 0);
    assert.equal(parseCli(['listen']).autoAnswer, undefined);
  });

  it('call control: --no-auto-hold, --forward always|busy|no-answer[:S]=URI (302, RFC 3261 §21.3.3)', () => {
    assert.equal(parseCli(['listen']).autoHold, true);
    assert.equal(parseCli(['listen', '--no-auto-hold']).autoHold, false);
    assert.equal(parseCli(['listen']).forward, undefined);
    assert.deepEqual(parseCli(['listen', '--forward', 'always=sip:1009@pbx.example.com']).forward,
      { mode: 'always', target: 'sip:1009@pbx.example.com', noAnswerSeconds: 20 });
    assert.deepEqual(parseCli(['listen', '--forward=no-answer:5=sip:vm@pbx.example.com;transport=tcp']).forward,
      { mode: 'no-answer', target: 'sip:vm@pbx.example.com;transport=tcp', noAnswerSeconds: 5 });
    assert.equal(parseCli(['listen', '--forward', 'BUSY=sips:1009@pbx.example.com']).forward?.mode, 'busy');
    fails(['listen', '--forward', 'sometimes=sip:x@y'], '--forward');
    fails(['listen', '--forward', 'busy:5=sip:x@y'], '--forward');
    fails(['listen', '--forward', 'always=1009'], '--forward');
    fails(['listen', '--forward', 'no-answer:0=sip:x@y'], '--forward');
  });

  it('names the flag that is wrong', () => {
    fails(['dial', 'sip:x@y'], 'command');
    fails(['call'], 'uri');
    fails(['call', 'http://x'], 'uri');
    fails(['listen', '--transport', 'sctp'], '--transport');
    fails(['listen', '--local-port', '70000'], '--local-port');
    fails(['listen', '--local-port', '-1'], '--local-port');
    fails(['listen', '--duration', '0'], '--duration');
    fails(['listen', '--auto-answer=soon'], '--auto-answer');
    fails(['listen', '--registrar', 'pbx.example.com', '--id', 'sip:1@pbx.example.com'], '--registrar');
    fails(['listen', '--password', 'x'], '--id');
    fails(['listen', '--frobnicate'], '--frobnicate');
    fails(['listen', '--json=yes'], '--json');
    fails(['listen', '--id'], '--id');
    fails(['listen', '--tls-ca', join(dir, 'missing.pem')], '--tls-ca');
  });

  it('reads a config file, and flags override it', () => {
    const config = file('ok.json', JSON.stringify({ id: 'sip:1001@pbx.example.com', password: 'pw', transport: 'tls', localPort: 5080, expires: 300 }));
    const o = parseCli(['listen', '--config', config, '--local-port', '5090']);
    assert.equal(o.id, 'sip:1001@pbx.example.com');
    assert.equal(o.transport, 'tls');
    assert.equal(o.localPort, 5090);
    assert.equal(o.expires, 300);
  });

  it('names the config field that is wrong', () => {
    fails(['listen', '--config', file('t.json', '{"transport":"quic"}')], /transport$/);
    fails(['listen', '--config', file('p.json', '{"localPort":99999}')], /localPort$/);
    fails(['listen', '--config', file('k.json', '{"bogus":1}')], /bogus$/);
    fails(['listen', '--config', file('j.json', '{not json')], '--config');
    fails(['listen', '--config', join(dir, 'none.json')], '--config');
  });
});

describe('instance id (RFC 5626 §4.1)', () => {
  it('is a stable version-5 style urn:uuid per host and account', () => {
    const a = instanceIdFor('sip:1001@pbx', 'host-a');
    assert.match(a, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(instanceIdFor('sip:1001@pbx', 'host-a'), a);
    assert.notEqual(instanceIdFor('sip:1002@pbx', 'host-a'), a);
    assert.notEqual(instanceIdFor('sip:1001@pbx', 'host-b'), a);
  });
});
