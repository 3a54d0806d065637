/** The administrator's machine-wide configuration: parse with bounds, merge order, refusals, and a phone started with one. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultAppSettings } from '../../../src-main/contract/settings.js';
import {
  adminConfigPath, maxAdminConfigBytes, mergeSettings, parseAdminConfig, readAdminConfig, refusedAccountChange, refusedSettingsChange,
} from '../../../src-main/core/admin-config.js';
import { createPhone, type Phone } from '../../../src-main/core/phone.js';

const config = {
  version: 1,
  accounts: [{ aor: 'sip:1001@pbx.example.com', registrar: 'sip:pbx.example.com', transport: 'tls' }],
  accountPolicy: { transferPolicy: 'domain' },
  locked: { autoAnswer: { mode: 'off', afterMs: 0 }, updates: { channel: 'stable', feedUrl: 'https://updates.example.com/nimbus/' } },
  defaults: { closeToTray: false, callWaiting: false },
};
const parsed = (value: unknown) => {
  const r = parseAdminConfig(JSON.stringify(value));
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
};

describe('admin config: paths', () => {
  it('is in each OS\'s machine-wide place, and the environment variable overrides it', () => {
    assert.equal(adminConfigPath('win32', { ProgramData: 'C:\\ProgramData' }), join('C:\\ProgramData', 'Nimbus Phone', 'config.json'));
    assert.equal(adminConfigPath('darwin', {}), '/Library/Application Support/Nimbus Phone/config.json');
    assert.equal(adminConfigPath('linux', {}), '/etc/nimbus-phone/config.json');
    assert.equal(adminConfigPath('linux', { NIMBUS_ADMIN_CONFIG: '/tmp/x.json' }), '/tmp/x.json');
  });
});

describe('admin config: parse (hostile input bounded)', () => {
  it('accepts the documented example, with defaults filled in', () => {
    const c = parsed(config);
    assert.equal(c.accounts[0]!.transport, 'tls');
    assert.deepEqual(c.accounts[0]!.codecs, ['opus', 'g722', 'pcmu', 'pcma']);
    assert.equal(c.accountPolicy.transferPolicy, 'domain');
  });
  const refused: Array<[string, unknown, RegExp]> = [
    ['an account with a password', { version: 1, accounts: [{ aor: 'sip:1@a.example', password: 'x' }] }, /password|Unrecognized/i],
    ['an unknown key (a misspelt policy)', { version: 1, lockd: {} }, /lockd|Unrecognized/i],
    ['another version', { version: 2 }, /^version/],
    ['a locked value out of bounds', { version: 1, locked: { autoAnswer: { mode: 'after', afterMs: 61_000 } } }, /^locked\.autoAnswer\.afterMs/],
    ['a feed that is not http(s)', { version: 1, locked: { updates: { channel: 'stable', feedUrl: 'file:///etc/passwd' } } }, /^locked\.updates\.feedUrl/],
    ['too many accounts', { version: 1, accounts: Array.from({ length: 33 }, (_, i) => ({ aor: `sip:${i}@a.example` })) }, /^accounts/],
    ['the same account twice', { version: 1, accounts: [{ aor: 'sip:1@a.example' }, { aor: 'SIP:1@A.example' }] }, /twice/],
  ];
  for (const [what, value, error] of refused) {
    it(`refuses ${what}`, () => {
      const r = parseAdminConfig(JSON.stringify(value));
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.error, error);
    });
  }
  it('refuses what is not JSON, and a file over the size bound without parsing it', () => {
    const bad = parseAdminConfig('{"version":1,');
    assert.match(bad.ok ? '' : bad.error, /^not JSON/);
    const big = parseAdminConfig(' '.repeat(maxAdminConfigBytes + 1));
    assert.match(big.ok ? '' : big.error, /larger than/);
  });
});

describe('admin config: the documented example', () => {
  it('docs/packaging.md\'s example is a valid file', () => {
    const doc = readFileSync(new URL('../../../docs/packaging.md', import.meta.url), 'utf8');
    const example = /## Machine-wide configuration[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(example, 'the example is in the document');
    const r = parseAdminConfig(example);
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.value.accountPolicy.transferPolicy, 'domain');
  });
});

describe('admin config: merge and refusals', () => {
  const c = parsed(config);
  it('built-in < admin defaults < the user\'s stored choices < admin locked', () => {
    const s = mergeSettings(defaultAppSettings, { callWaiting: true, autoAnswer: { mode: 'after', afterMs: 500 }, dnd: true }, c);
    assert.equal(s.closeToTray, false, 'admin default over the built-in one');
    assert.equal(s.callWaiting, true, 'the user\'s choice over the admin default');
    assert.deepEqual(s.autoAnswer, { mode: 'off', afterMs: 0 }, 'locked over the user\'s choice');
    assert.equal(s.updates.feedUrl, 'https://updates.example.com/nimbus/');
    assert.equal(s.dnd, true);
    assert.deepEqual(mergeSettings(defaultAppSettings, {}, undefined), defaultAppSettings);
  });
  it('refuses a changed locked value, accepts the same value and unlocked keys', () => {
    assert.match(refusedSettingsChange({ autoAnswer: { mode: 'pbx', afterMs: 0 } }, c) ?? '', /^autoAnswer: set by your administrator/);
    assert.equal(refusedSettingsChange({ autoAnswer: { mode: 'off', afterMs: 0 }, dnd: true }, c), undefined);
    assert.match(refusedSettingsChange({ updates: { channel: 'beta', feedUrl: 'https://updates.example.com/nimbus/' } }, c) ?? '', /^updates/);
    assert.equal(refusedSettingsChange({ autoAnswer: { mode: 'pbx', afterMs: 0 } }, undefined), undefined);
  });
  it('account policies bind every account; an admin account keeps all but password, enabled and default', () => {
    assert.match(refusedAccountChange({ aor: 'sip:2@b.example', transferPolicy: 'any' }, undefined, c) ?? '', /^transferPolicy/);
    assert.equal(refusedAccountChange({ aor: 'sip:2@b.example', transferPolicy: 'domain' }, undefined, c), undefined);
    assert.match(refusedAccountChange({ key: 'k', transport: 'udp' }, 'sip:1001@pbx.example.com', c) ?? '', /^transport/);
    assert.equal(refusedAccountChange({ key: 'k', password: 'secret', enabled: false, isDefault: true, transport: 'tls' }, 'sip:1001@pbx.example.com', c), undefined);
    assert.match(refusedAccountChange({ aor: 'sip:1001@PBX.example.com' }, undefined, c) ?? '', /provided by your administrator/);
  });
});

describe('admin config: a phone started with one', () => {
  let dir: string;
  let phone: Phone;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nimbus-admin-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    phone = await createPhone({
      host: 'web', devices: { kind: 'null' }, sip: { bindAddress: '127.0.0.1' }, dataDir: join(dir, 'data'), adminConfigPath: join(dir, 'config.json'),
    });
  });
  after(async () => {
    await phone.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the locks, applies the locked settings and refuses to change them', async () => {
    const info = await phone.handlers['app.info']({});
    assert.ok(info.ok);
    const { accountGiven, ...locked } = info.value.locked!;
    assert.deepEqual(locked, { settings: ['autoAnswer', 'updates'], accounts: ['sip:1001@pbx.example.com'], accountFields: ['transferPolicy'] });
    // What the administrator wrote (and the schema's defaults, which the core also holds to); never the user's own fields.
    const given = accountGiven['sip:1001@pbx.example.com']!;
    for (const field of ['aor', 'registrar', 'transport']) assert.ok(given.includes(field), field);
    for (const field of ['password', 'enabled', 'isDefault', 'displayName']) assert.ok(!given.includes(field), field);
    const s = await phone.handlers['settings.get']({});
    assert.ok(s.ok);
    assert.deepEqual(s.value.autoAnswer, { mode: 'off', afterMs: 0 });
    assert.equal(s.value.closeToTray, false);
    const refused = await phone.handlers['settings.set']({ autoAnswer: { mode: 'after', afterMs: 0 } });
    assert.deepEqual(refused, { ok: false, error: 'autoAnswer: set by your administrator' });
    const allowed = await phone.handlers['settings.set']({ closeToTray: true });
    assert.ok(allowed.ok && allowed.value.closeToTray && allowed.value.autoAnswer.mode === 'off');
  });

  it('provides the administrator\'s account (no password), which cannot be removed or re-pointed', async () => {
    const list = await phone.handlers['accounts.list']({});
    assert.ok(list.ok);
    const account = list.value.find((a) => a.aor === 'sip:1001@pbx.example.com');
    assert.ok(account);
    assert.equal(account.transport, 'tls');
    assert.equal(account.transferPolicy, 'domain');
    assert.equal(account.hasPassword, false);
    const removed = await phone.handlers['accounts.remove']({ key: account.key });
    assert.equal(removed.ok, false);
    // As the Accounts screen sends it (validated by the contract: every field present).
    const form = { key: account.key, aor: account.aor, registrar: account.registrar, transport: account.transport, srtp: account.srtp,
      codecs: account.codecs, enabled: account.enabled, isDefault: account.isDefault, transferPolicy: account.transferPolicy };
    const moved = await phone.handlers['accounts.save']({ ...form, registrar: 'sip:elsewhere.example.com' });
    assert.deepEqual(moved, { ok: false, error: 'registrar: set by your administrator' });
    const password = await phone.handlers['accounts.save']({ ...form, password: 'pw', enabled: false });
    assert.ok(password.ok && password.value.hasPassword && !password.value.enabled);
  });
});

describe('admin config: reading the file', () => {
  it('no file is no configuration and no problem; a broken file is a problem naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nimbus-admin-'));
    try {
      assert.deepEqual(await readAdminConfig(join(dir, 'absent.json')), {});
      writeFileSync(join(dir, 'bad.json'), '{"version":1,"locked":{"dnd":"yes"}}');
      const bad = await readAdminConfig(join(dir, 'bad.json'));
      assert.equal(bad.config, undefined);
      assert.match(bad.problem ?? '', /bad\.json: locked\.dnd/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
