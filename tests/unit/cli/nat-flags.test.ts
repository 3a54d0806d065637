/** --stun, --turn, --turn-username, --turn-password-file, --ice, --ice-policy (issue 13), and the account settings with the same meaning. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseCli, UsageError } from '../../../src-main/cli/options.js';
import { accountNat } from '../../../src-main/core/media-options.js';
import { accountSettingsSchema, accountInputSchema } from '../../../src-main/contract/settings.js';

const dir = mkdtempSync(join(tmpdir(), 'nat-flags-'));
const pwFile = join(dir, 'turn-pw');
writeFileSync(pwFile, 's3cret\nignored\n', { mode: 0o600 });
const turnFlags = ['--turn', 'turn:127.0.0.1:3478?transport=tcp', '--turn-username', 'alice', '--turn-password-file', pwFile];

describe('NAT traversal flags', () => {
  it('no flag: no ICE, no TURN (the plain c=/m= address with latching)', () => {
    assert.equal(parseCli(['listen']).nat, undefined);
  });

  it('--stun and --turn turn ICE on; --ice off with --turn is a fixed relay; --ice-policy relay', () => {
    assert.deepEqual(parseCli(['listen', '--stun', 'stun:127.0.0.1:3478']).nat, { ice: true, relayOnly: false, stun: { host: '127.0.0.1', port: 3478, transport: 'udp' } });
    assert.deepEqual(parseCli(['listen', ...turnFlags, '--ice', 'off']).nat, {
      ice: false, relayOnly: false, turn: { host: '127.0.0.1', port: 3478, transport: 'tcp', username: 'alice', password: 's3cret' },
    });
    assert.equal(parseCli(['listen', ...turnFlags, '--ice-policy', 'relay']).nat?.relayOnly, true);
    assert.deepEqual(parseCli(['listen', '--ice', 'on']).nat, { ice: true, relayOnly: false });
  });

  it('refuses bad values, naming the flag', () => {
    const cases: Array<[string[], string]> = [
      [['--stun', 'turn:127.0.0.1'], '--stun'],
      [['--turn', 'turn:127.0.0.1?transport=sctp', '--turn-username', 'a', '--turn-password-file', pwFile], '--turn'],
      [['--turn', 'turn:127.0.0.1', '--turn-password-file', pwFile], '--turn-username'],
      [['--turn', 'turn:127.0.0.1', '--turn-username', 'a'], '--turn-password-file'],
      [['--turn-username', 'a'], '--turn-username'],
      [['--turn', 'turn:127.0.0.1', '--turn-username', 'a', '--turn-password-file', join(dir, 'missing')], '--turn-password-file'],
      [['--turn', 'turn:127.0.0.1', '--turn-username', 'x'.repeat(257), '--turn-password-file', pwFile], '--turn-username'],
      [['--ice', 'maybe'], '--ice'],
      [['--ice-policy', 'relay', '--stun', 'stun:127.0.0.1'], '--ice-policy'],
      [[...turnFlags, '--ice-policy', 'some'], '--ice-policy'],
    ];
    for (const [args, field] of cases) {
      assert.throws(() => parseCli(['listen', ...args]), (e: unknown) => e instanceof UsageError && e.field === field, args.join(' '));
    }
  });
});

describe('per-account NAT settings', () => {
  const account = (nat: unknown) => accountSettingsSchema.parse({ key: 'k', aor: 'sip:1001@example.com', nat });

  it('have the flags\' meaning; the TURN password comes from the secret store', () => {
    assert.equal(accountNat(account(undefined), undefined), undefined);
    assert.deepEqual(accountNat(account({ stun: 'stun:127.0.0.1' }), undefined), { ice: true, relayOnly: false, stun: { host: '127.0.0.1', port: 3478 } });
    const turn = { turn: 'turns:127.0.0.1:5349', turnUsername: 'alice', icePolicy: 'relay' };
    assert.deepEqual(accountNat(account(turn), 'pw'), {
      ice: true, relayOnly: true, turn: { host: '127.0.0.1', port: 5349, transport: 'tls', username: 'alice', password: 'pw' },
    });
    // No stored TURN password: nothing to authenticate with, TURN is left out (and so is relay-only).
    assert.deepEqual(accountNat(account(turn), undefined), { ice: true, relayOnly: false });
    assert.equal(accountNat(account({ turn: 'turn:127.0.0.1', turnUsername: 'a', ice: 'off' }), 'pw')?.ice, false);
  });

  it('are validated with bounds; the TURN password never reaches stored settings', () => {
    for (const bad of [{ stun: 'http://x' }, { turn: `turn:${'a'.repeat(400)}` }, { ice: 'yes' }, { icePolicy: 'none' }, { other: 1 }, { turnUsername: '' }]) {
      assert.equal(accountInputSchema.safeParse({ aor: 'sip:1001@example.com', nat: bad }).success, false, JSON.stringify(bad));
    }
    assert.equal(accountInputSchema.safeParse({ aor: 'sip:1001@example.com', turnPassword: 'x' }).success, true);
    assert.equal(accountSettingsSchema.safeParse({ key: 'k', aor: 'sip:1001@example.com', turnPassword: 'x' }).success, false);
  });
});
