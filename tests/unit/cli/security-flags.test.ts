/** The CLI's security policies: --incoming-policy, --transfer-policy, the accept/reject-transfer stdin words. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCli, UsageError } from '../../../src-main/cli/options.js';
import { phoneOptionsFrom } from '../../../src-main/cli/phone-options.js';
import { parseStdinCommand } from '../../../src-main/cli/stdin-commands.js';

describe('security policy flags', () => {
  it('defaults: incoming calls only from the registrar/proxy, transfers only within the domain', () => {
    const o = parseCli(['listen', '--id', 'sip:1001@pbx.example.com', '--password', 'x']);
    assert.equal(o.incomingCallPolicy, 'trusted');
    assert.equal(o.transferPolicy, undefined);
    const phone = phoneOptionsFrom(o, 'cli', 'thread');
    assert.equal(phone.accountExtra?.incomingCallPolicy, 'trusted');
    assert.equal(phone.account?.transferPolicy, undefined, 'the account default (domain) applies');
  });

  it('--incoming-policy trusted|trusted-or-addressed|any and --transfer-policy domain|ask|any', () => {
    for (const p of ['trusted', 'trusted-or-addressed', 'any'] as const) assert.equal(parseCli(['listen', '--incoming-policy', p]).incomingCallPolicy, p);
    for (const p of ['domain', 'ask', 'any'] as const) {
      const o = parseCli(['listen', '--id', 'sip:1001@pbx.example.com', `--transfer-policy=${p}`]);
      assert.equal(o.transferPolicy, p);
      assert.equal(phoneOptionsFrom(o, 'cli', 'thread').account?.transferPolicy, p);
    }
    assert.throws(() => parseCli(['listen', '--transfer-policy', 'all']), (e: unknown) => e instanceof UsageError && e.field === '--transfer-policy');
    assert.throws(() => parseCli(['listen', '--incoming-policy', 'addressed']), (e: unknown) => e instanceof UsageError && e.field === '--incoming-policy');
  });

  it('stdin: accept-transfer [ID] and reject-transfer [ID] map onto the contract commands', () => {
    assert.deepEqual(parseStdinCommand('accept-transfer'), { kind: 'manager', command: { type: 'accept-transfer' } });
    assert.deepEqual(parseStdinCommand('reject-transfer abc'), { kind: 'manager', command: { type: 'reject-transfer', callId: 'abc' } });
  });
});
