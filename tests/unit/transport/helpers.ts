/** Helpers for transport tests on loopback sockets. */
import { createSocket, type Socket } from 'node:dgram';
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

/** A plain UDP socket on loopback collecting what it receives; closed by the test's `cleanups`. */
export async function rawUdp(cleanups: (() => Promise<void> | void)[]): Promise<{ socket: Socket; port: number; inbox: Buffer[] }> {
  const socket = createSocket('udp4');
  const inbox: Buffer[] = [];
  socket.on('message', (d) => inbox.push(d));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { socket, port: socket.address().port, inbox };
}
