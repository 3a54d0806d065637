/**
 * What the NAT tests (tests/interop/nat-*.test.ts) share: the bed (harness/nat-topology.ts) with
 * Kamailio (no NAT helpers: the phone fixes its own Contact), an auto-answering baresip and, when
 * asked, coturn in the internet namespace; our CLI started in a home; tone files; and a tone check
 * that reports instead of throwing (the control test expects a failure).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWav } from '../../support/wav.js';
import { startSoftphone, type Softphone } from '../../support/softphone-process.js';
import { makeTestPki, type TestPki } from '../../support/pki.js';
import {
  createNatBed, makeToneWav, startBaresip, startCoturn, startKamailio,
  type Baresip, type Coturn, type HomeSpec, type Kamailio, type NatBed, type TestScope,
} from '../harness/index.js';
import { assertTone, type ToneFigures } from './tone-check.js';

export const ourTone = 440;
export const theirTone = 1000;
/** A second phone of ours (two-home tests). */
export const otherTone = 700;

export interface NatServices {
  bed: NatBed;
  kamailio: Kamailio;
  /** `198.51.100.10:PORT`: the SIP domain of every account. */
  domain: string;
  baresip?: Baresip;
  coturn?: Coturn;
  /** CA and server certificate valid for the internet address (TURN over TLS). */
  pki?: TestPki;
}

export interface NatServiceOptions {
  homes: HomeSpec[];
  /** baresip 1010 in the internet, auto-answering, sending `theirTone` (default true). */
  baresip?: boolean;
  /** Extra baresip account parameters (e.g. ';medianat=ice'). */
  baresipAccountParams?: string;
  /** baresip modules loaded before the accounts (e.g. ['ice.so'] with ';medianat=ice'). */
  baresipCoreModules?: string[];
  /** More baresip config lines. */
  baresipConfig?: string[];
  /** coturn in the internet: UDP/TCP on `port` (default 3478), TLS on `tlsPort` when `tls`. */
  coturn?: { port?: number; tls?: boolean; tlsPort?: number };
  /** Kamailio over TCP too (default false: UDP only). */
  kamailioTcp?: boolean;
  /** Kamailio's stun module (STUN on its SIP port) and a Flow-Timer in its REGISTER 2xx (RFC 5626 §5.4). */
  kamailioStun?: { flowTimer?: number };
}

/** Builds the bed and starts the servers; everything is stopped by the scope (last in, first out). */
export async function startNatServices(scope: TestScope, o: NatServiceOptions): Promise<NatServices> {
  const bed = scope.use(await createNatBed(o.homes));
  const kamailio = scope.use(await startKamailio({
    dir: scope.dir, netns: bed.internet, address: bed.internetAddress, tcp: o.kamailioTcp ?? false, fixNatedRegister: false,
    ...(o.kamailioStun ? { stun: true, ...(o.kamailioStun.flowTimer !== undefined ? { flowTimer: o.kamailioStun.flowTimer } : {}) } : {}),
  }));
  const domain = `${bed.internetAddress}:${kamailio.udpPort}`;
  const services: NatServices = { bed, kamailio, domain };
  if (o.baresip ?? true) {
    services.baresip = scope.use(await startBaresip({
      dir: scope.dir, user: '1010', password: 'pw1010', autoAnswer: true, netns: bed.internet, address: bed.internetAddress,
      registrar: { host: kamailio.host, port: kamailio.udpPort, transport: 'udp' },
      audioFile: makeToneWav(join(scope.dir, 'theirs.wav'), { freqHz: theirTone, seconds: 60 }),
      ...(o.baresipAccountParams ? { accountParams: o.baresipAccountParams } : {}),
      ...(o.baresipCoreModules ? { coreModules: o.baresipCoreModules } : {}),
      ...(o.baresipConfig ? { extraConfig: o.baresipConfig } : {}),
    }));
  }
  if (o.coturn) {
    const pki = o.coturn.tls ? makeTestPki(join(scope.dir, 'pki'), { ips: [bed.internetAddress] }) : undefined;
    services.pki = pki;
    services.coturn = scope.use(await startCoturn({
      dir: scope.dir, address: bed.internetAddress, port: o.coturn.port ?? 3478,
      inside: (cmd, args) => bed.inside(bed.internet, cmd, args),
      // The homes' private space, as production servers deny RFC 1918 (and coturn ≥ 4.7 does by
      // default): CreatePermission for it gets 403 (RFC 8656 §9.2), nothing is relayed there.
      deniedPeers: ['192.0.2.0-192.0.2.255'],
      ...(pki ? { tls: { certFile: pki.serverCertFile, keyFile: pki.serverKeyFile }, tlsPort: o.coturn.tlsPort ?? 5349 } : {}),
    }));
  }
  return services;
}

/** Account flags for user 1001…1009 at the bed's Kamailio, playing `tone`. */
export function accountArgs(s: NatServices, scope: TestScope, user: string, tone: number): string[] {
  const wav = makeToneWav(join(scope.dir, `tone-${user}.wav`), { freqHz: tone, seconds: 60 });
  return ['--id', `sip:${user}@${s.domain}`, '--password', `pw${user}`, '--play-file', wav];
}

/** Our CLI in home `i` (`ip netns exec`), with SIP trace. */
export function softphoneAtHome(scope: TestScope, s: NatServices, i: number, args: string[]): Softphone {
  return scope.use(startSoftphone(args, { netns: s.bed.homes[i]!.ns, trace: true }));
}

export const registered = (p: Softphone) =>
  p.waitEvent((e) => e.event === 'registration' && e.state !== 'registering', 'registration', 20_000);

export type ToneResult = { ok: true; figures: ToneFigures } | { ok: false; why: string };

/** assertTone that reports: ok with the figures, or why the check failed (no file, silence, wrong tone, gaps). */
export function checkTone(file: string, freq: number, what: string): ToneResult {
  try {
    return { ok: true, figures: assertTone(readWav(file), freq, what) };
  } catch (e) {
    return { ok: false, why: (e as Error).message.split('\n')[0]! };
  }
}

export const describeTone = (r: ToneResult) => r.ok
  ? `${r.figures.frequencyHz.toFixed(1)} Hz at ${r.figures.levelDbfs.toFixed(1)} dBFS over ${r.figures.seconds.toFixed(2)} s`
  : `FAILED: ${r.why}`;

export { baresipDumps } from '../harness/index.js';

export interface NatFlagOptions {
  /** `--stun stun:HOST:PORT` at the bed's coturn. */
  stun?: boolean;
  /** `--turn turn:HOST:PORT?transport=T` with its username and a password file. */
  turn?: { transport: 'udp' | 'tcp' | 'tls'; port?: number };
  ice?: 'on' | 'off';
}

/** The issue 13 flags for the bed's coturn: --stun, --turn, --turn-username, --turn-password-file, --ice (and --tls-ca for TLS). */
export function natFlags(s: NatServices, scope: TestScope, o: NatFlagOptions): string[] {
  const c = s.coturn;
  if (!c) throw new Error('natFlags: start the services with coturn');
  const args: string[] = [];
  if (o.stun) args.push('--stun', `stun:${c.address}:${c.port}`);
  if (o.turn) {
    const port = o.turn.port ?? (o.turn.transport === 'tls' ? c.tlsPort! : c.port);
    const passwordFile = join(scope.dir, 'turn-password');
    writeFileSync(passwordFile, `${c.password}\n`, { mode: 0o600 });
    args.push('--turn', `turn:${c.address}:${port}?transport=${o.turn.transport}`,
      '--turn-username', c.username, '--turn-password-file', passwordFile);
    if (o.turn.transport === 'tls') args.push('--tls-ca', s.pki!.caFile);
  }
  if (o.ice) args.push('--ice', o.ice);
  return args;
}

/**
 * The selected candidate pair the CLI's stats name, as `local/remote` candidate types (e.g.
 * 'relay/host'); undefined when the stats carry none. Accepts `selectedPair` at the top or under
 * `ice`, with `local`/`remote` objects carrying `type`.
 */
export function selectedPairTypes(stats: Record<string, unknown>): string | undefined {
  const ice = stats.ice as Record<string, unknown> | undefined;
  const pair = (stats.selectedPair ?? ice?.selectedPair) as { local?: { type?: string }; remote?: { type?: string } } | undefined;
  if (!pair?.local?.type || !pair.remote?.type) return undefined;
  return `${pair.local.type}/${pair.remote.type}`;
}
