/**
 * Settings › Accounts › Network (NAT traversal), issue 13: the contract's STUN/TURN URI syntax
 * (RFC 7064 §3.1, RFC 7065 §3.1), the editor's draft to `accounts.save`, its errors and locks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountInputSchema, type AccountView } from '../../../src-main/contract/settings.js';
import { isIpv6Literal, natUriProblem } from '../../../src-main/contract/nat-uri.js';
import { parseServerUri } from '../../../src-main/net/stun/uri.js';
import { draftFrom, lockedAccountFields, toAccountInput, type AccountDraft } from '../../../src-renderer/features/settings/account-form.js';

const view = (over: Partial<AccountView> = {}): AccountView => ({
  key: 'a1', aor: 'sip:1001@pbx.example.com', displayName: undefined, username: undefined, registrar: undefined,
  outboundProxy: undefined, transport: 'udp', srtp: 'off', codecs: ['pcmu'], defaultCountry: undefined,
  enabled: true, isDefault: false, hasPassword: true, hasTurnPassword: false,
  registration: { state: 'registered', reason: undefined, status: undefined },
  ...over,
});

describe('contract: STUN and TURN server URIs', () => {
  const good: [string, 'stun' | 'turn'][] = [
    ['stun:stun.example.com', 'stun'], ['stun:192.0.2.1:3478', 'stun'], ['STUN:[2001:db8::1]:3478', 'stun'],
    ['turn:turn.example.com', 'turn'], ['turn:turn.example.com:3478?transport=udp', 'turn'], ['turn:198.51.100.7?transport=tcp', 'turn'],
    ['turn:turn.example.com:443?transport=tls', 'turn'], ['turns:turn.example.com', 'turn'], ['turns:turn.example.com:443?transport=tcp', 'turn'],
    ['turn:[::ffff:192.0.2.1]:3478', 'turn'],
  ];
  const bad: [string, 'stun' | 'turn'][] = [
    ['stun:', 'stun'], ['stun:stun.example.com?transport=udp', 'stun'], ['stuns:stun.example.com', 'stun'], ['turn:h.example.com', 'stun'],
    ['stun:h.example.com', 'turn'], ['turn:h.example.com:0', 'turn'], ['turn:h.example.com:70000', 'turn'], ['turn:999.1.1.1', 'turn'],
    ['turn:h.example.com?transport=sctp', 'turn'], ['turns:h.example.com?transport=udp', 'turn'], ['turn:[2001:db8::g]', 'turn'],
    ['turn:user@h.example.com', 'turn'], ['turn:h.example.com/x', 'turn'], ['http://h.example.com', 'turn'], ['turn:h .example.com', 'turn'],
    ['turn:-h.example.com', 'turn'], [`turn:${'a'.repeat(64)}.example.com`, 'turn'], [`turn:${'a.'.repeat(160)}com`, 'turn'],
  ];

  it('accepts what RFC 7064/7065 allow, as the core parser does', () => {
    for (const [uri, kind] of good) {
      assert.equal(natUriProblem(uri, kind), undefined, uri);
      assert.equal(typeof parseServerUri(uri, kind), 'object', `the core can use ${uri}`);
    }
  });

  it('refuses malformed or wrong-kind URIs with a reason', () => {
    for (const [uri, kind] of bad) assert.equal(typeof natUriProblem(uri, kind), 'string', `${kind}: ${uri}`);
  });

  it('reads IPv6 literals per RFC 4291 §2.2', () => {
    for (const a of ['::', '::1', '2001:db8::1', '1:2:3:4:5:6:7:8', '::ffff:192.0.2.1', '1:2:3:4:5:6:192.0.2.1']) assert.ok(isIpv6Literal(a), a);
    for (const a of ['1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', ':1', '1:2:3:4:5:6:7:192.0.2.1', 'g::1']) assert.ok(!isIpv6Literal(a), a);
  });

  it('bounds every NAT field in the channel map', () => {
    const base = { aor: 'sip:1001@pbx.example.com' };
    const ok = (extra: object) => accountInputSchema.safeParse({ ...base, ...extra }).success;
    assert.ok(ok({ nat: { stun: 'stun:stun.example.com', turn: 'turn:t.example.com?transport=tls', turnUsername: 'u', ice: 'on', icePolicy: 'relay' }, turnPassword: 'p' }));
    assert.ok(!ok({ nat: { turn: `turn:${'a'.repeat(300)}.com` } }), 'a URI over 300 characters');
    assert.ok(!ok({ nat: { turnUsername: 'u'.repeat(257) } }), 'a user name over 256 characters');
    assert.ok(!ok({ turnPassword: 'p'.repeat(257) }), 'a password over 256 characters');
    assert.ok(!ok({ nat: { ice: 'maybe' } }), 'ice is on or off');
    assert.ok(!ok({ nat: { icePolicy: 'host' } }), 'the policy is all or relay');
    assert.ok(!ok({ nat: { stun: 'stun:s.example.com', extra: 1 } }), 'no unknown keys');
  });
});

describe('renderer: the account editor\'s Network group', () => {
  const stored = view({
    nat: { stun: 'stun:stun.example.com', turn: 'turn:turn.example.com?transport=tcp', turnUsername: 'alice', ice: 'on', icePolicy: 'relay' },
    hasTurnPassword: true,
  });

  it('starts from the stored settings, with the TURN password empty (write-only)', () => {
    const d = draftFrom(stored);
    assert.deepEqual([d.natIce, d.natStun, d.natTurn, d.natTurnUsername, d.turnPassword, d.natRelayOnly],
      [true, 'stun:stun.example.com', 'turn:turn.example.com?transport=tcp', 'alice', '', true]);
    const fresh = draftFrom(undefined);
    assert.deepEqual([fresh.natIce, fresh.natStun, fresh.natTurn, fresh.natRelayOnly], [true, '', '', false], 'a new account: ICE on, no servers');
  });

  it('saves the group as `nat`, the password apart; an empty password keeps the stored one', () => {
    const kept = toAccountInput(draftFrom(stored), stored);
    assert.ok(kept.ok);
    assert.deepEqual(kept.input.nat, stored.nat);
    assert.equal(kept.input.turnPassword, undefined, 'nothing sent: the stored password stays');
    const typed = toAccountInput({ ...draftFrom(stored), turnPassword: 's3cret' }, stored);
    assert.ok(typed.ok);
    assert.equal(typed.input.turnPassword, 's3cret');
  });

  it('stores ICE off, and ICE on only with a server (alone it would change nothing)', () => {
    const none = toAccountInput(draftFrom(view()), view());
    assert.ok(none.ok);
    assert.deepEqual(none.input.nat, {});
    const off = toAccountInput({ ...draftFrom(view()), natIce: false }, view());
    assert.ok(off.ok);
    assert.deepEqual(off.input.nat, { ice: 'off' });
    const stun = toAccountInput({ ...draftFrom(view()), natStun: ' stun:192.0.2.1 ' }, view());
    assert.ok(stun.ok);
    assert.deepEqual(stun.input.nat, { stun: 'stun:192.0.2.1', ice: 'on' });
  });

  it('names the NAT fields that are wrong or missing', () => {
    const errors = (d: Partial<AccountDraft>, s = view()) => {
      const r = toAccountInput({ ...draftFrom(s), ...d }, s);
      return r.ok ? [] : Object.keys(r.errors).sort();
    };
    assert.deepEqual(errors({ natStun: 'stun.example.com', natTurn: 'turn:h.example.com?transport=sctp', natTurnUsername: 'u', turnPassword: 'p' }), ['natStun', 'natTurn']);
    assert.deepEqual(errors({ natTurn: 'turn:h.example.com' }), ['natTurnUsername', 'turnPassword'], 'a TURN server needs credentials');
    assert.deepEqual(errors({ natTurn: 'turn:h.example.com', natTurnUsername: 'u' }, view({ hasTurnPassword: true })), [], 'a stored password will do');
    assert.deepEqual(errors({ natRelayOnly: true }), ['natRelayOnly'], 'relay only needs a TURN server');
    assert.deepEqual(errors({ natTurn: 'turn:h.example.com', natTurnUsername: 'u'.repeat(257), turnPassword: 'p'.repeat(257) }), ['natTurnUsername', 'turnPassword']);
  });

  it('locks the whole group when the administrator gave `nat`, and leaves it out of the save', () => {
    const locks = { settings: [], accounts: ['sip:1001@pbx.example.com'], accountFields: [], accountGiven: { 'sip:1001@pbx.example.com': ['aor', 'nat'] } };
    const locked = lockedAccountFields(locks, 'sip:1001@pbx.example.com');
    for (const f of ['natIce', 'natStun', 'natTurn', 'natTurnUsername', 'natRelayOnly'] as const) assert.ok(locked.has(f), f);
    assert.ok(!locked.has('turnPassword'), 'the password is the user\'s');
    const r = toAccountInput({ ...draftFrom(stored), natStun: 'changed' }, stored, true);
    assert.ok(r.ok && !('nat' in r.input), 'nat left out: the core keeps the administrator\'s');
  });
});
