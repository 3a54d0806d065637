import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccountView } from '../../../src-main/contract/settings.js';
import { dialAccount, draftFrom, lockedAccountFields, moveCodec, toAccountInput } from '../../../src-renderer/features/settings/account-form.js';
import { registrationText } from '../../../src-renderer/features/settings/registration.js';
import { resolveLanguage } from '../../../src-renderer/i18n/language.js';

const view = (over: Partial<AccountView> = {}): AccountView => ({
  key: 'a1', aor: 'sip:1001@pbx.example.com', displayName: undefined, username: undefined, registrar: undefined,
  outboundProxy: undefined, transport: 'udp', srtp: 'off', codecs: ['g722', 'pcmu'], defaultCountry: 'FR',
  enabled: true, isDefault: false, hasPassword: true, hasTurnPassword: false,
  registration: { state: 'registered', reason: undefined, status: undefined },
  ...over,
});

describe('renderer: account editor', () => {
  it('starts from the account, with the password empty (write-only) and disabled codecs last', () => {
    const draft = draftFrom(view());
    assert.equal(draft.password, '');
    assert.deepEqual(draft.codecs.map((c) => `${c.name}:${c.enabled}`), ['g722:true', 'pcmu:true', 'opus:false', 'pcma:false']);
    assert.equal(draftFrom(undefined, true).isDefault, true, 'the first account dials');
  });

  it('saves what the contract accepts: sip: added, blanks dropped, an empty password keeps the stored one', () => {
    const draft = { ...draftFrom(view()), aor: '1001@pbx.example.com', registrar: 'pbx.example.com', username: '  ' };
    const result = toAccountInput(draft);
    assert.ok(result.ok);
    assert.equal(result.input.aor, 'sip:1001@pbx.example.com');
    assert.equal(result.input.registrar, 'sip:pbx.example.com');
    assert.equal(result.input.username, undefined);
    assert.equal(result.input.password, undefined);
    assert.deepEqual(result.input.codecs, ['g722', 'pcmu']);
    assert.equal(result.input.key, 'a1');
  });

  it('names the fields the contract refuses', () => {
    const draft = draftFrom(undefined);
    const result = toAccountInput({ ...draft, aor: 'not an address', codecs: draft.codecs.map((c) => ({ ...c, enabled: false })) });
    assert.ok(!result.ok);
    assert.deepEqual(Object.keys(result.errors).sort(), ['aor', 'codecs']);
  });

  it('moves codecs within bounds', () => {
    const draft = draftFrom(view());
    assert.equal(moveCodec(draft, 1, -1).codecs[0]!.name, 'pcmu');
    assert.equal(moveCodec(draft, 0, -1), draft);
    assert.equal(moveCodec(draft, 3, 1), draft);
  });

  it('dials from the default account, else the first enabled one', () => {
    const a = view({ key: 'a' }), b = view({ key: 'b', isDefault: true }), c = view({ key: 'c', enabled: false, isDefault: true });
    assert.equal(dialAccount([a, b])?.key, 'b');
    assert.equal(dialAccount([c, a])?.key, 'a');
    assert.equal(dialAccount([]), undefined);
  });
});

describe('renderer: registration and language', () => {
  it('explains a failed registration', () => {
    const failed = (status: number | undefined) => registrationText({ state: 'failed', reason: 'x', status }).key;
    assert.equal(failed(401), 'wrongPassword');
    assert.equal(failed(407), 'wrongPassword');
    assert.equal(failed(403), 'forbidden');
    assert.equal(failed(undefined), 'unreachable');
    assert.equal(failed(408), 'unreachable');
    assert.equal(failed(500), 'refused');
    assert.equal(registrationText({ state: 'registered', reason: undefined, status: 200 }).tone, 'ok');
  });

  it('follows the OS language unless Settings picks one', () => {
    assert.equal(resolveLanguage('system', ['fr-CA', 'en']), 'fr');
    assert.equal(resolveLanguage('system', ['de-DE', 'en-GB']), 'en');
    assert.equal(resolveLanguage('system', ['de-DE']), 'en');
    assert.equal(resolveLanguage('fr', ['en-US']), 'fr');
    assert.equal(resolveLanguage(undefined, ['FR']), 'fr');
  });
});

describe('renderer: account call policies', () => {
  it('saves a chosen policy and leaves the default to the core', () => {
    const draft = draftFrom(view());
    assert.equal(draft.transferPolicy, '');
    const r = toAccountInput({ ...draft, incomingCallPolicy: 'any', transferPolicy: 'ask' });
    assert.ok(r.ok);
    assert.equal(r.input.incomingCallPolicy, 'any');
    assert.equal(r.input.transferPolicy, 'ask');
    assert.equal('autoAnswerRequests' in r.input, false);
    assert.equal(draftFrom(view({ autoAnswerRequests: 'never' })).autoAnswerRequests, 'never');
  });
});

describe('renderer: fields the administrator set', () => {
  const locks = {
    settings: [], accounts: ['sip:2001@pbx.example.com'], accountFields: ['srtp' as const],
    accountGiven: { 'sip:2001@pbx.example.com': ['aor', 'registrar', 'transport', 'codecs', 'voicemail'] },
  };
  it('an administrator\'s account: every field it gave and the policies; another account: the policies only', () => {
    assert.deepEqual([...lockedAccountFields(locks, 'SIP:2001@pbx.example.com')].sort(), ['aor', 'codecs', 'registrar', 'srtp', 'transport']);
    assert.deepEqual([...lockedAccountFields(locks, 'sip:1001@pbx.example.com')], ['srtp']);
    assert.deepEqual([...lockedAccountFields(locks, undefined)], ['srtp'], 'a new account');
    assert.equal(lockedAccountFields(undefined, 'sip:2001@pbx.example.com').size, 0, 'no administrator configuration');
  });
});
