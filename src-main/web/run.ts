/**
 * `softphone web`: the phone with its real UI in a browser. Builds the core (data kept in the data
 * folder), serves the renderer on loopback and prints where: `{"event":"web-ready","url":…}` with
 * --json. Runs until SIGINT/SIGTERM.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createPhone, type PhoneOptions } from '../core/phone.js';
import { defaultDataDir, rendererDir } from '../core/paths.js';
import { startWebHost } from './server.js';

export interface WebRunOptions {
  phone: PhoneOptions;
  bind: string;
  port: number;
  dataDir?: string;
  json: boolean;
  warnings: string[];
}

export async function runWeb(o: WebRunOptions): Promise<number> {
  const print = (event: Record<string, unknown>, text: string) => process.stdout.write((o.json ? JSON.stringify(event) : text) + '\n');
  for (const message of o.warnings) print({ event: 'notice', message }, `notice: ${message}`);
  const dir = rendererDir();
  if (!existsSync(join(dir, 'index.html'))) {
    print({ event: 'error', message: `the renderer is not built in ${dir}: run npm run build` }, `error: the renderer is not built in ${dir}: run npm run build`);
    return 1;
  }
  const dataDir = o.dataDir ?? defaultDataDir();
  let phone;
  try {
    phone = await createPhone({ ...o.phone, host: 'web', dataDir });
  } catch (e) {
    print({ event: 'error', message: (e as Error).message }, `error: ${(e as Error).message}`);
    return 1;
  }
  phone.onEvent((e) => {
    if (e.type === 'notice') print({ event: 'notice', message: e.message }, `notice: ${e.message}`);
    if (e.type === 'registration' && e.state !== 'registering') {
      print({ event: 'registration', account: e.account, state: e.state, ...(e.reason ? { reason: e.reason } : {}) }, `registration ${e.account}: ${e.state}`);
    }
  });
  let host;
  try {
    host = await startWebHost(phone, { bind: o.bind, port: o.port, rendererDir: dir });
  } catch (e) {
    print({ event: 'error', message: `cannot serve on ${o.bind}:${o.port}: ${(e as Error).message}` }, `error: cannot serve on ${o.bind}:${o.port}`);
    await phone.stop();
    return 1;
  }
  const sip = phone.sipAddress;
  print({ event: 'ready', transport: sip.transport, address: sip.address, port: sip.port }, `SIP on ${sip.transport} ${sip.address}:${sip.port}`);
  print({ event: 'web-ready', url: host.url, dataDir }, `Nimbus Phone is at ${host.url}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await host.close();
  await phone.stop();
  return 0;
}
