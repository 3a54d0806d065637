import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

it('electron-builder.yml states every Electron fuse, hardened', () => {
  const yml = readFileSync(new URL('../../../electron-builder.yml', import.meta.url), 'utf8');
  const block = /^electronFuses:\n((?: {2}\S.*\n)+)/m.exec(yml);
  assert.ok(block, 'an electronFuses block');
  const fuses = Object.fromEntries(block[1]!.trim().split('\n').map((line) => line.trim().split(/:\s*/)));
  assert.deepEqual(fuses, {
    runAsNode: 'false',
    enableCookieEncryption: 'true',
    enableNodeOptionsEnvironmentVariable: 'false',
    enableNodeCliInspectArguments: 'false',
    enableEmbeddedAsarIntegrityValidation: 'true',
    onlyLoadAppFromAsar: 'true',
    grantFileProtocolExtraPrivileges: 'false',
    loadBrowserProcessSpecificV8Snapshot: 'false',
  });
});
