/** baresip 1.0.0 as a peer phone, driven through ctrl_tcp. One config folder per instance. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeToneWav, toBaresipWav } from './audio.js';
import { CtrlTcpClient, type BaresipEvent, type BaresipResponse } from './ctrl-tcp.js';
import { freePortRange, freeUdpTcpPort } from './ports.js';
import { exitedMessage, requireBinary, spawnManaged, waitFor } from './process.js';

const TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'baresip', 'config.template');
const BRIDGE = join(dirname(fileURLToPath(import.meta.url)), 'unix-tcp-bridge.mjs');

export interface BaresipOptions {
  /** The test's temp dir; the instance lives in a subfolder. */
  dir: string;
  /** SIP user, e.g. '1002'. */
  user: string;
  password: string;
  registrar: { host: string; port: number; transport: 'udp' | 'tcp' | 'tls' };
  /** baresip `audio_codecs` value, e.g. 'PCMU', 'opus/48000/1', 'PCMU,PCMA' (default 'PCMU'). */
  codecs?: string;
  /** answermode=auto (default false: manual, answer with `accept`). */
  autoAnswer?: boolean;
  /** WAV (16-bit) to send; default a generated 1 kHz tone of 60 s (the call ends when the file does). */
  audioFile?: string;
  /** Register with the registrar (default true); false sets regint=0. */
  register?: boolean;
  /** Display name in From (e.g. 'Claire Martin'), as a phone book entry would show. */
  displayName?: string;
  /** Application modules loaded after the accounts (module_app), e.g. ['contact.so', 'presence.so', 'mwi.so']; presence publishes with ';pubint=N'. */
  modules?: string[];
  /** Modules loaded with the codecs, before the accounts (`module`): media NAT ones, e.g. ['ice.so'] with accountParams ';medianat=ice'. */
  coreModules?: string[];
  /** More config lines (e.g. 'rtcp_mux\t\tyes'). */
  extraConfig?: string[];
  /** Lines of the contacts file, e.g. '<sip:1001@127.0.0.1:5060>;presence=p2p' (watch 1001's presence). */
  contacts?: string[];
  /** Extra account parameters appended verbatim, e.g. ';mediaenc=srtp'. */
  accountParams?: string;
  /** CA file baresip trusts for TLS (`sip_cafile`). */
  caFile?: string;
  /** baresip audio player/alert device (default 'alsa,default'; needs PulseAudio env for pacing). */
  player?: string;
  /** Environment for the process (e.g. PULSE_SERVER, HOME with .asoundrc). */
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
  /** SIP and RTP address (default 127.0.0.1; '::1' for IPv6); an address of `netns` when one is given. */
  address?: string;
  /** Run inside this network namespace; ctrl_tcp is then reached through a unix-socket bridge. */
  netns?: string;
}

export interface Baresip {
  user: string;
  sipPort: number;
  ctrlPort: number;
  /** Instance folder: config, accounts, baresip.log, recordings (sndfile dumps) in `recDir`. */
  dir: string;
  recDir: string;
  /** The URI other peers dial to reach this instance directly. */
  directUri: string;
  /** Sends a ctrl_tcp command; resolves with `{ ok, data }` (rejects on no response). */
  command(cmd: string, params?: string): Promise<BaresipResponse>;
  /** `dial <uri>`; throws when baresip refuses. */
  dial(uri: string): Promise<void>;
  /** `accept`: answers the ringing incoming call (200 OK). */
  accept(): Promise<void>;
  /** `hangup`: BYE on an established call, CANCEL on an outgoing one, 486 on a ringing incoming one. */
  hangup(): Promise<void>;
  /** Every ctrl_tcp event received so far. */
  events(): BaresipEvent[];
  /** First event of `type` received at or after event index `from` (default 0). */
  waitForEvent(type: string, timeoutMs: number, opts?: { from?: number; match?: (e: BaresipEvent) => boolean }): Promise<BaresipEvent>;
  stop(): Promise<void>;
  log(): string;
}

// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

export async function startBaresip(opts: BaresipOptions): Promise<Baresip> {
  requireBinary('baresip', 'baresip');
  if (!existsSync('/usr/lib/baresip/modules/ctrl_tcp.so')) {
    throw new Error("baresip module ctrl_tcp.so missing: install the Debian package 'baresip' (and 'baresip-core')");
  }
  const sipPort = await freeUdpTcpPort(2);
  const ctrlPort = await freeUdpTcpPort(1);
  const rtpLo = await freePortRange(10);
  const dir = join(opts.dir, `baresip-${opts.user}-${sipPort}`);
  const recDir = join(dir, 'rec');
  mkdirSync(recDir, { recursive: true });
  // aufile needs 16-bit mono at ausrc_srate (48 kHz): convert whatever the test gives.
  const src = opts.audioFile ? toBaresipWav(opts.audioFile, join(dir, 'source.wav'))
    : makeToneWav(join(dir, 'tone.wav'), { seconds: 60 });

  const address = opts.address ?? '127.0.0.1';
  const v6 = isIP(address) === 6;
  const sipHost = v6 ? `[${address}]` : address; // as written in sip_listen and URIs
  const config = readFileSync(TEMPLATE, 'utf8')
    .replaceAll('@SIPHOST@', sipHost)
    .replaceAll('@ADDR@', address)
    .replaceAll('@SIPPORT@', String(sipPort))
    .replaceAll('@CTRLPORT@', String(ctrlPort))
    .replaceAll('@RTPLO@', String(rtpLo))
    .replaceAll('@RTPHI@', String(rtpLo + 9))
    .replaceAll('@SRC@', src)
    .replaceAll('@REC@', recDir)
    .replaceAll('@PLAYER@', opts.player ?? 'aubridge,nimbus')
    .replaceAll('@CAFILE@', opts.caFile ? `sip_cafile\t\t${opts.caFile}` : '');
  writeFileSync(join(dir, 'config'), config + (opts.extraConfig ?? []).map((l) => `\n${l}`).join('') + (opts.coreModules ?? []).map((m) => `\nmodule\t\t\t${m}`).join('') +
    (opts.modules ?? []).map((m) => `\nmodule_app\t\t${m}`).join('') + '\n');
  const { host, port, transport } = opts.registrar;
  const register = opts.register ?? true;
  const account = `${opts.displayName ? `"${opts.displayName}" ` : ''}<sip:${opts.user}@${host}:${port};transport=${transport}>` +
    `;auth_pass=${opts.password};answermode=${opts.autoAnswer ? 'auto' : 'manual'}` +
    `;audio_codecs=${opts.codecs ?? 'PCMU'};regint=${register ? 600 : 0}${opts.accountParams ?? ''}`;
  writeFileSync(join(dir, 'accounts'), account + '\n');
  writeFileSync(join(dir, 'contacts'), (opts.contacts ?? []).map((c) => `${c}\n`).join(''));

  const env = opts.env ? { env: opts.env } : {};
  const family = v6 ? '-6' : '-4';
  const proc = opts.netns
    ? spawnManaged('ip', ['netns', 'exec', opts.netns, 'baresip', family, '-f', dir], { name: 'baresip', dir, ...env })
    : spawnManaged('baresip', [family, '-f', dir], { name: 'baresip', dir, ...env });
  const ctrlSocket = join(dir, 'ctrl.sock');
  const bridge = opts.netns
    ? spawnManaged('ip', ['netns', 'exec', opts.netns, process.execPath, BRIDGE, ctrlSocket, '127.0.0.1', String(ctrlPort)], { name: 'ctrl-bridge', dir })
    : undefined;
  const failIf = exitedMessage(proc);
  const timeoutMs = opts.startTimeoutMs ?? 10_000;
  let ctrl: CtrlTcpClient | undefined;
  try {
    const target = bridge ? { path: ctrlSocket } : ctrlPort;
    ctrl = await waitFor(() => CtrlTcpClient.connect(target, 500), {
      timeoutMs, what: `baresip ctrl_tcp on ${ctrlPort}`, log: proc.log, failIf, intervalMs: 100,
    });
    const c = ctrl;
    if (register) {
      // REGISTER_OK may fire before we connect, so poll `reginfo` as well as watching events.
      await waitFor(async () => c.events.some((e) => e.type === 'REGISTER_OK') ||
        /\bOK\b/.test(stripAnsi((await c.command('reginfo')).data)), {
        timeoutMs, what: `baresip ${opts.user} REGISTER_OK`, log: proc.log, failIf, intervalMs: 200,
      });
    }
  } catch (e) {
    ctrl?.close();
    await proc.stop();
    await bridge?.stop();
    throw e;
  }
  const client = ctrl;
  const must = async (cmd: string, params?: string) => {
    const r = await client.command(cmd, params);
    if (!r.ok) throw new Error(`baresip ${opts.user}: '${cmd}${params ? ' ' + params : ''}' failed: ${r.data}`);
  };
  return {
    user: opts.user,
    sipPort,
    ctrlPort,
    dir,
    recDir,
    directUri: `sip:${opts.user}@${sipHost}:${sipPort}`,
    command: (cmd, params) => client.command(cmd, params),
    dial: (uri) => must('dial', uri),
    accept: () => must('accept'),
    hangup: () => must('hangup'),
    events: () => [...client.events],
    waitForEvent: (type, ms, o = {}) => client.waitForEvent(type, ms, o.match, o.from ?? 0),
    async stop() { client.close(); await proc.stop(); await bridge?.stop(); },
    log: proc.log,
  };
}

/** baresip's received-audio recordings (`dump-*-dec.wav`, one per call), oldest first. */
export function baresipDumps(b: Pick<Baresip, 'recDir'>): string[] {
  return readdirSync(b.recDir).filter((f) => f.endsWith('-dec.wav')).sort().map((f) => join(b.recDir, f));
}
