/** Helpers for transport tests on loopback sockets. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestPki, type TestPki } from '../../support/pki.js';

/** Let socket I/O run until `predicate` holds (no timers to inject here: this waits on the kernel). */
export async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

let pki: TestPki | undefined;
/** One test PKI per test file process. */
export function testPki(): TestPki {
  pki ??= makeTestPki(mkdtempSync(join(tmpdir(), 'nimbus-pki-')));
  return pki;
}
