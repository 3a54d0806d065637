import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTrustedSender } from '../../../src-main/app/ipc.js';

test('only our bundled renderer pages may call into main (Electron security checklist)', () => {
  assert.equal(isTrustedSender('file:///Applications/Nimbus Phone.app/Contents/Resources/app.asar/src-renderer/index.html'), true);
  assert.equal(isTrustedSender('https://evil.example/src-renderer/index.html'), false);
  assert.equal(isTrustedSender('file:///tmp/other/index.html'), false);
  assert.equal(isTrustedSender(undefined), false);
});
