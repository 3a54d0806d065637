/**
 * The presence test bed: Kamailio as registrar, proxy and presence server (presence, dialog-info
 * from pua_dialoginfo, message-summary), baresip peers with their presence/MWI modules, and our
 * CLI as users 1001… (call-control.ts's startOurs, with its tone and recording).
 */
import { join } from 'node:path';
import { makeToneWav, startBaresip, startKamailio, type Baresip, type TestScope } from '../harness/index.js';
import type { Bed } from './call-control.js';
import type { Softphone, SoftphoneEvent } from '../../support/softphone-process.js';

export interface PeerOptions {
  autoAnswer?: boolean;
  /** Users whose presence this baresip watches (contacts with ;presence=p2p). */
  watch?: string[];
  tone?: number;
  /** Also baresip's mwi module (it subscribes to its own message-summary). */
  mwi?: boolean;
}

export async function startPresenceBed(scope: TestScope, peers: Record<string, PeerOptions>): Promise<Bed> {
  const kamailio = scope.use(await startKamailio({ dir: scope.dir, presence: true }));
  const domain = `127.0.0.1:${kamailio.udpPort}`;
  const started: Record<string, Baresip> = {};
  await Promise.all(Object.entries(peers).map(async ([user, o]) => {
    started[user] = scope.use(await startBaresip({
      dir: scope.dir, user, password: `pw${user}`, autoAnswer: o.autoAnswer ?? false,
      registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' },
      audioFile: makeToneWav(join(scope.dir, `tone-${user}.wav`), { freqHz: o.tone ?? 1000, seconds: 60 }),
      modules: ['contact.so', 'presence.so', ...(o.mwi ? ['mwi.so'] : [])],
      contacts: (o.watch ?? []).map((u) => `<sip:${u}@${domain}>;presence=p2p`),
      // pubint: baresip publishes its presence (and refreshes it) every 60 s.
      accountParams: ';pubint=60',
    }));
  }));
  return { kamailio, domain, peers: started };
}

/** The first event at or after index `from` matching. */
export function after(p: Softphone, from: number, match: (e: SoftphoneEvent) => boolean, what: string, ms = 10_000): Promise<SoftphoneEvent> {
  return p.waitEvent((e) => p.events.indexOf(e) >= from && match(e), what, ms);
}

export const lamp = (uri: string, state: string) => (e: SoftphoneEvent) => e.event === 'blf' && e.uri === uri && e.state === state;
export const presenceOf = (uri: string, status: string) => (e: SoftphoneEvent) => e.event === 'presence' && e.uri === uri && e.status === status;

/** baresip's view of its contacts' presence (ctrl_tcp `contacts`): "Online", "Busy", "Offline", … per URI. */
export async function baresipContacts(b: Baresip): Promise<string> {
  // eslint-disable-next-line no-control-regex
  return (await b.command('contacts')).data.replace(/\x1b\[[0-9;]*m/g, '');
}
