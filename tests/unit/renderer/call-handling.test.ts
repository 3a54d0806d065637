import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultAppSettings } from '../../../src-main/contract/settings.js';
import { callHandlingDraft, checkCallHandling, deviceOptions } from '../../../src-renderer/features/settings/call-handling-form.js';

const account = { aor: 'sip:1001@pbx.example.com' };
const draft = (over: Partial<ReturnType<typeof callHandlingDraft>> = {}) => ({ ...callHandlingDraft(defaultAppSettings), ...over });

describe('renderer: call handling settings', () => {
  it('forwards to a number on the account domain or to a SIP address', () => {
    const a = checkCallHandling(draft({ forwardMode: 'always', forwardTarget: '1009' }), account);
    assert.ok(a.ok);
    assert.deepEqual(a.patch.forward, { mode: 'always', target: 'sip:1009@pbx.example.com', noAnswerSeconds: 20 });
    const b = checkCallHandling(draft({ forwardMode: 'busy', forwardTarget: 'voicemail@other.example.com' }), undefined);
    assert.ok(b.ok);
    assert.equal(b.patch.forward.target, 'sip:voicemail@other.example.com');
  });

  it('names the wrong field as the user types', () => {
    const needed = checkCallHandling(draft({ forwardMode: 'always' }), account);
    assert.deepEqual(needed.ok ? {} : needed.errors, { forwardTarget: 'targetNeeded' });
    const seconds = checkCallHandling(draft({ forwardMode: 'no-answer', forwardTarget: '1009', forwardSeconds: '3' }), account);
    assert.deepEqual(seconds.ok ? {} : seconds.errors, { forwardSeconds: 'forwardSeconds' });
    const noAccount = checkCallHandling(draft({ forwardMode: 'always', forwardTarget: '1009' }), undefined);
    assert.deepEqual(noAccount.ok ? {} : noAccount.errors, { forwardTarget: 'noAccount' });
    const auto = checkCallHandling(draft({ autoAnswerMode: 'after', autoAnswerSeconds: 'two' }), account);
    assert.deepEqual(auto.ok ? {} : auto.errors, { autoAnswerSeconds: 'autoAnswerSeconds' });
  });

  it('ignores fields that do not apply to the mode chosen', () => {
    const r = checkCallHandling(draft({ forwardMode: 'off', forwardSeconds: 'x', autoAnswerMode: 'pbx', autoAnswerSeconds: '' }), account);
    assert.ok(r.ok);
    assert.deepEqual(r.patch.autoAnswer, { mode: 'pbx', afterMs: 0 });
  });

  it('auto-answer after N seconds is stored in ms', () => {
    const r = checkCallHandling(draft({ autoAnswerMode: 'after', autoAnswerSeconds: '5' }), account);
    assert.ok(r.ok);
    assert.deepEqual(r.patch.autoAnswer, { mode: 'after', afterMs: 5000 });
  });

  it('keeps an unplugged saved device in the picker', () => {
    const devices = [{ name: 'USB Headset', input: true, output: true }, { name: 'Speakers', input: false, output: true }];
    assert.deepEqual(deviceOptions(devices, 'input', null), [{ name: 'USB Headset', present: true }]);
    assert.deepEqual(deviceOptions(devices, 'output', 'Jabra'), [{ name: 'USB Headset', present: true }, { name: 'Speakers', present: true }, { name: 'Jabra', present: false }]);
  });
});
