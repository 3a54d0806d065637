/**
 * The `softphone` command line: flags and config file, validated into one options object.
 * Every error names the flag or config field that is wrong. This is a public interface: keep the
 * names stable (README.md, "CLI").
 */
import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import type { CodecName } from '../core/phone.js';
import { stdinHelp } from './stdin-commands.js';
import { parseServerUri, type ServerUri } from '../net/stun/uri.js';

export type Command = 'listen' | 'call' | 'echo-test' | 'list-devices' | 'web';

export interface CliOptions {
  command: Command;
  target?: string;
  id?: string;
  username?: string;
  password?: string;
  registrar?: string;
  outboundProxy?: string;
  transport: 'udp' | 'tcp' | 'tls';
  localPort: number;
  bindAddress?: string;
  /** Milliseconds before answering; undefined = don't auto-answer. */
  autoAnswer?: number;
  /** Seconds a confirmed call lasts before we hang up; undefined = until someone hangs up. */
  duration?: number;
  json: boolean;
  tlsCa?: string;
  /** Which INVITEs ring (docs/security.md): `trusted` (default), `trusted-or-addressed`, `any`. */
  incomingCallPolicy: 'trusted' | 'trusted-or-addressed' | 'any';
  /** Which REFERs are followed: `domain` (default), `ask` (stdin accept-transfer / reject-transfer), `any`. */
  transferPolicy?: 'domain' | 'ask' | 'any';
  expires: number;
  sipTrace: boolean;
  /** Microphone from a WAV file (looped) instead of a device. */
  playFile?: string;
  /** Record what the far end sends (decoded) to a WAV file. */
  recFile?: string;
  nullAudio: boolean;
  codecs?: CodecName[];
  srtp: 'off' | 'optional' | 'required';
  rtpPort?: number;
  /** Digits sent (RFC 4733, or SIP INFO) once a call is answered. */
  dtmf?: string;
  inputDevice?: string;
  outputDevice?: string;
  ringDevice?: string;
  /** Microphone processing for this run (--aec, --ns, --agc); unset ones keep the stored setting. */
  processing?: { aec?: boolean; ns?: 'off' | 'low' | 'high'; agc?: boolean };
  /** Answering or dialling during a call holds that call first (default true; --no-auto-hold). */
  autoHold: boolean;
  /** Call forwarding by 302: `--forward always|busy|no-answer[:S]=URI`. */
  forward?: { mode: 'always' | 'busy' | 'no-answer'; target: string; noAnswerSeconds: number };
  /** Things the user should fix (e.g. a config file with a password readable by others). */
  warnings: string[];
  /**
   * NAT traversal (issue 13): --stun, --turn (+ --turn-username, --turn-password-file), --ice,
   * --ice-policy. ICE is on by default when a STUN or TURN server is given; --ice off with --turn
   * relays media through TURN without ICE. Unset: today's c=/m= address with latching.
   */
  nat?: { ice: boolean; stun?: ServerUri; turn?: ServerUri & { username: string; password: string }; relayOnly: boolean };
  /** `softphone web`: where the page is served (loopback by default) and where data is kept. */
  web?: { port: number; bind: string; dataDir?: string };
}

export class UsageError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
  }
}

const sipUri = z.string().regex(/^sips?:[^\s]+$/i, 'expected a sip: or sips: URI');
const port = z.number().int().min(0).max(65535);

/** The config file (JSON). Field names match the long flags in camelCase. */
const configSchema = z.strictObject({
  id: sipUri.optional(),
  username: z.string().min(1).optional(),
  password: z.string().optional(),
  passwordFile: z.string().min(1).optional(),
  registrar: sipUri.optional(),
  outboundProxy: sipUri.optional(),
  transport: z.enum(['udp', 'tcp', 'tls']).optional(),
  localPort: port.optional(),
  bindAddress: z.ipv4().or(z.ipv6()).optional(),
  autoAnswer: z.number().int().min(0).max(3_600_000).optional(),
  duration: z.number().positive().max(86_400).optional(),
  tlsCa: z.string().min(1).optional(),
  incomingCallPolicy: z.enum(['trusted', 'trusted-or-addressed', 'any']).optional(),
  transferPolicy: z.enum(['domain', 'ask', 'any']).optional(),
  expires: z.number().int().min(30).max(86_400).optional(),
  codecs: z.array(z.enum(['opus', 'g722', 'pcmu', 'pcma'])).min(1).optional(),
  srtp: z.enum(['off', 'optional', 'required']).optional(),
  rtpPort: port.optional(),
  inputDevice: z.string().min(1).optional(),
  outputDevice: z.string().min(1).optional(),
  ringDevice: z.string().min(1).optional(),
});

const valueFlags = new Set([
  'id', 'username', 'password', 'password-file', 'registrar', 'outbound-proxy', 'transport', 'local-port', 'bind-address',
  'duration', 'config', 'tls-ca', 'incoming-policy', 'transfer-policy', 'expires', 'play-file', 'rec-file', 'codecs', 'srtp', 'rtp-port',
  'dtmf', 'input-device', 'output-device', 'ring-device', 'aec', 'ns', 'agc', 'forward', 'port', 'bind', 'data-dir',
  'stun', 'turn', 'turn-username', 'turn-password-file', 'ice', 'ice-policy',
]);
const webOnlyFlags = ['port', 'bind', 'data-dir'];
const boolFlags = new Set(['json', 'sip-trace', 'null-audio', 'list-devices', 'no-auto-hold']);

const codecNames: Record<string, CodecName> = { opus: 'opus', g722: 'G722', pcmu: 'PCMU', pcma: 'PCMA' };

export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  if (argv[0] === '--list-devices') argv = ['list-devices', ...argv.slice(1)];
  const [command, ...rest] = argv;
  if (command !== 'listen' && command !== 'call' && command !== 'echo-test' && command !== 'list-devices' && command !== 'web') {
    throw new UsageError('command', `expected "listen", "call <uri>", "echo-test", "web" or "--list-devices", got ${JSON.stringify(command ?? '')}`);
  }
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (name === 'auto-answer') {
      flags.set(name, eq < 0 ? '0' : arg.slice(eq + 1));
    } else if (boolFlags.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name}`, 'takes no value');
      flags.set(name, true);
    } else if (valueFlags.has(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : rest[++i];
      if (value === undefined) throw new UsageError(`--${name}`, 'needs a value');
      flags.set(name, value);
    } else {
      throw new UsageError(`--${name}`, 'unknown flag (see softphone --help)');
    }
  }
  if (command === 'call' && positional.length !== 1) throw new UsageError('uri', 'call needs exactly one target URI');
  if (command !== 'call' && positional.length > 0) throw new UsageError('uri', `${command} takes no URI, got ${positional[0]}`);

  const warnings: string[] = [];
  const config = flags.has('config') ? readConfig(flags.get('config') as string, warnings) : {};
  const str = (flag: string) => flags.get(flag) as string | undefined;
  const fromConfig = config as Partial<CliOptions> & { codecs?: string[] };
  const options: CliOptions = {
    command: flags.has('list-devices') ? 'list-devices' : command,
    nullAudio: flags.has('null-audio'),
    srtp: 'off',
    transport: 'udp',
    localPort: 0,
    json: flags.has('json'),
    sipTrace: flags.has('sip-trace'),
    autoHold: !flags.has('no-auto-hold'),
    incomingCallPolicy: 'trusted',
    warnings,
    expires: 600,
    ...config,
    ...(fromConfig.codecs ? { codecs: fromConfig.codecs.map((c) => codecNames[c]!) } : {}),
  };
  if (command === 'call') options.target = checkUri('uri', positional[0]!);
  for (const flag of webOnlyFlags) if (command !== 'web' && flags.has(flag)) throw new UsageError(`--${flag}`, 'only for "softphone web"');
  if (command === 'web') {
    const bind = str('bind') ?? '127.0.0.1';
    if (!isIP(bind)) throw new UsageError('--bind', `expected an IP address, got ${JSON.stringify(bind)}`);
    options.web = {
      port: flags.has('port') ? integer('--port', str('port')!, 0, 65535) : 0,
      bind,
      ...(str('data-dir') !== undefined ? { dataDir: str('data-dir')! } : {}),
    };
  }
  assignString(options, 'id', str('id'), (v) => checkUri('--id', v));
  assignString(options, 'username', str('username'), (v) => v);
  assignString(options, 'password', str('password'), (v) => v);
  // Safer than --password (visible in ps and shell history): a file, or the environment.
  const passwordFile = str('password-file') ?? (options as { passwordFile?: string }).passwordFile;
  delete (options as { passwordFile?: string }).passwordFile;
  if (str('password') === undefined && passwordFile !== undefined) options.password = readPasswordFile(passwordFile, warnings);
  if (options.password === undefined && env.NIMBUS_SIP_PASSWORD !== undefined && options.id !== undefined) options.password = env.NIMBUS_SIP_PASSWORD;
  assignString(options, 'registrar', str('registrar'), (v) => checkUri('--registrar', v));
  assignString(options, 'outboundProxy', str('outbound-proxy'), (v) => checkUri('--outbound-proxy', v));
  assignString(options, 'tlsCa', str('tls-ca'), (v) => v);
  assignString(options, 'bindAddress', str('bind-address'), (v) => v);
  const transport = str('transport');
  if (transport !== undefined) {
    if (transport !== 'udp' && transport !== 'tcp' && transport !== 'tls') {
      throw new UsageError('--transport', `expected udp, tcp or tls, got ${JSON.stringify(transport)}`);
    }
    options.transport = transport;
  }
  const policy = str('incoming-policy');
  if (policy !== undefined) {
    if (policy !== 'trusted' && policy !== 'any' && policy !== 'trusted-or-addressed') {
      throw new UsageError('--incoming-policy', `expected trusted, trusted-or-addressed or any, got ${JSON.stringify(policy)}`);
    }
    options.incomingCallPolicy = policy;
  }
  const transferPolicy = str('transfer-policy');
  if (transferPolicy !== undefined) {
    if (transferPolicy !== 'domain' && transferPolicy !== 'ask' && transferPolicy !== 'any') {
      throw new UsageError('--transfer-policy', `expected domain, ask or any, got ${JSON.stringify(transferPolicy)}`);
    }
    options.transferPolicy = transferPolicy;
  }
  assignString(options, 'playFile', str('play-file'), (v) => readable('--play-file', v));
  assignString(options, 'recFile', str('rec-file'), (v) => v);
  assignString(options, 'inputDevice', str('input-device'), (v) => v);
  assignString(options, 'outputDevice', str('output-device'), (v) => v);
  assignString(options, 'ringDevice', str('ring-device'), (v) => v);
  assignString(options, 'dtmf', str('dtmf'), (v) => {
    if (!/^[0-9*#A-Da-d]+$/.test(v)) throw new UsageError('--dtmf', `expected digits 0-9 * # A-D, got ${JSON.stringify(v)}`);
    return v.toUpperCase();
  });
  const codecs = str('codecs');
  if (codecs !== undefined) {
    options.codecs = codecs.split(',').map((c) => {
      const name = codecNames[c.trim().toLowerCase()];
      if (!name) throw new UsageError('--codecs', `unknown codec ${JSON.stringify(c)} (opus, g722, pcmu, pcma)`);
      return name;
    });
  }
  const srtp = str('srtp');
  if (srtp !== undefined) {
    if (srtp !== 'off' && srtp !== 'optional' && srtp !== 'required') {
      throw new UsageError('--srtp', `expected off, optional or required, got ${JSON.stringify(srtp)}`);
    }
    options.srtp = srtp;
  }
  const forward = str('forward');
  if (forward !== undefined) {
    const m = /^(always|busy|no-answer)(?::(\d+))?=(sips?:\S+)$/i.exec(forward);
    if (!m || (m[2] !== undefined && m[1]!.toLowerCase() !== 'no-answer')) {
      throw new UsageError('--forward', `expected always=URI, busy=URI or no-answer[:SECONDS]=URI, got ${JSON.stringify(forward)}`);
    }
    const mode = m[1]!.toLowerCase() as 'always' | 'busy' | 'no-answer';
    options.forward = { mode, target: m[3]!, noAnswerSeconds: m[2] !== undefined ? integer('--forward', m[2], 1, 3600) : 20 };
  }
  const onOff = (flag: string): boolean | undefined => {
    const v = str(flag);
    if (v !== undefined && v !== 'on' && v !== 'off') throw new UsageError(`--${flag}`, `expected on or off, got ${JSON.stringify(v)}`);
    return v === undefined ? undefined : v === 'on';
  };
  const aec = onOff('aec'), agc = onOff('agc'), ns = str('ns');
  if (ns !== undefined && ns !== 'off' && ns !== 'low' && ns !== 'high') throw new UsageError('--ns', `expected off, low or high, got ${JSON.stringify(ns)}`);
  if (aec !== undefined || ns !== undefined || agc !== undefined) {
    options.processing = { ...(aec !== undefined ? { aec } : {}), ...(ns !== undefined ? { ns } : {}), ...(agc !== undefined ? { agc } : {}) };
  }
  const nat = natOptions(str, onOff('ice'), warnings);
  if (nat) options.nat = nat;
  if (flags.has('rtp-port')) options.rtpPort = integer('--rtp-port', str('rtp-port')!, 1024, 65534);
  if (options.nullAudio && (options.playFile || options.recFile)) {
    throw new UsageError('--null-audio', 'cannot be combined with --play-file or --rec-file');
  }
  if (flags.has('local-port')) options.localPort = integer('--local-port', str('local-port')!, 0, 65535);
  if (flags.has('expires')) options.expires = integer('--expires', str('expires')!, 30, 86_400);
  if (flags.has('auto-answer')) options.autoAnswer = integer('--auto-answer', str('auto-answer')!, 0, 3_600_000);
  if (flags.has('duration')) {
    const d = Number(str('duration'));
    if (!Number.isFinite(d) || d <= 0 || d > 86_400) throw new UsageError('--duration', `expected seconds (0 < S ≤ 86400), got ${JSON.stringify(str('duration'))}`);
    options.duration = d;
  }
  if ((options.registrar || options.password !== undefined) && !options.id) {
    throw new UsageError('--id', 'an account (--registrar or --password) needs --id sip:user@host');
  }
  if (options.tlsCa !== undefined) {
    try {
      options.tlsCa = readFileSync(options.tlsCa, 'utf8');
    } catch (e) {
      throw new UsageError('--tls-ca', `cannot read ${options.tlsCa}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return options;
}

/** --stun, --turn, --turn-username, --turn-password-file, --ice, --ice-policy, each checked by name. */
function natOptions(str: (flag: string) => string | undefined, ice: boolean | undefined, warnings: string[]): CliOptions['nat'] {
  const server = (flag: 'stun' | 'turn'): ServerUri | undefined => {
    const v = str(flag);
    if (v === undefined) return undefined;
    const r = parseServerUri(v, flag);
    if (typeof r === 'string') throw new UsageError(`--${flag}`, `${r}, got ${JSON.stringify(v.slice(0, 80))}`);
    return r;
  };
  const stun = server('stun'), turnUri = server('turn');
  const username = str('turn-username'), passwordFile = str('turn-password-file'), policy = str('ice-policy');
  if (username !== undefined && (username.length === 0 || username.length > 256)) throw new UsageError('--turn-username', 'expected 1 to 256 characters');
  if (!turnUri && (username !== undefined || passwordFile !== undefined)) throw new UsageError(username !== undefined ? '--turn-username' : '--turn-password-file', 'only with --turn');
  if (turnUri && (username === undefined || passwordFile === undefined)) {
    throw new UsageError(username === undefined ? '--turn-username' : '--turn-password-file', 'needed with --turn (TURN uses long-term credentials, RFC 8656 §9.2)');
  }
  if (policy !== undefined && policy !== 'all' && policy !== 'relay') throw new UsageError('--ice-policy', `expected all or relay, got ${JSON.stringify(policy)}`);
  if (policy === 'relay' && !turnUri) throw new UsageError('--ice-policy', 'relay needs --turn');
  if (!stun && !turnUri && ice === undefined) {
    if (policy !== undefined) throw new UsageError('--ice-policy', 'only with --ice on, --stun or --turn');
    return undefined;
  }
  const password = passwordFile !== undefined ? readPasswordFile(passwordFile, warnings, '--turn-password-file') : undefined;
  if (password !== undefined && (password.length === 0 || password.length > 256)) throw new UsageError('--turn-password-file', 'expected a first line of 1 to 256 characters');
  return {
    ice: ice ?? true, relayOnly: policy === 'relay',
    ...(stun ? { stun } : {}),
    ...(turnUri ? { turn: { ...turnUri, username: username!, password: password! } } : {}),
  };
}

/** The first line of a password file; warns when other users can read it. */
function readPasswordFile(path: string, warnings: string[], flag = '--password-file'): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(flag, `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  warnIfShared(path, warnings);
  return text.split(/\r?\n/)[0]!;
}

function warnIfShared(path: string, warnings: string[]): void {
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    warnings.push(`${path} can be read by other users: chmod 600 ${path}`);
  }
}

function readConfig(path: string, warnings: string[]): Partial<CliOptions> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError('--config', `cannot read ${path} as JSON: ${(e as Error).message}`);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.join('.') : (issue as { keys?: string[] }).keys?.join(', ') ?? '(root)';
    throw new UsageError(`config ${path}: ${field}`, issue.message);
  }
  warnIfShared(path, warnings);
  const out: Partial<CliOptions> = {};
  for (const [k, v] of Object.entries(parsed.data)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

function assignString<K extends keyof CliOptions>(o: CliOptions, key: K, value: string | undefined, check: (v: string) => string): void {
  if (value !== undefined) (o as unknown as Record<string, unknown>)[key] = check(value);
}

function checkUri(field: string, value: string): string {
  if (!/^sips?:[^\s]+$/i.test(value)) throw new UsageError(field, `expected a sip: or sips: URI, got ${JSON.stringify(value)}`);
  return value;
}

function readable(field: string, path: string): string {
  try {
    readFileSync(path, { flag: 'r' }).subarray(0, 0);
  } catch (e) {
    throw new UsageError(field, `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return path;
}

function integer(field: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(field, `expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

export const usage = `usage: softphone listen|call <uri>|echo-test [--id sip:1001@host[:port]] [--username U]
  [--password-file FILE | --password P | env NIMBUS_SIP_PASSWORD]
  [--registrar URI] [--outbound-proxy URI] [--transport udp|tcp|tls] [--local-port N]
  [--bind-address IP] [--auto-answer[=MS]] [--duration S] [--json] [--config FILE]
  [--tls-ca PEMFILE] [--incoming-policy trusted|trusted-or-addressed|any] [--transfer-policy domain|ask|any]
  [--expires S] [--sip-trace]
  [--play-file WAV] [--rec-file WAV] [--null-audio] [--codecs opus,g722,pcmu,pcma]
  [--srtp off|optional|required] [--rtp-port N] [--dtmf DIGITS]
  [--input-device NAME] [--output-device NAME] [--ring-device NAME]
  [--aec on|off] [--ns off|low|high] [--agc on|off]
  [--no-auto-hold] [--forward always|busy|no-answer[:S]=URI]
  [--stun URI] [--turn URI] [--turn-username U] [--turn-password-file F] [--ice on|off] [--ice-policy all|relay]
       softphone web [--port N] [--bind 127.0.0.1] [--data-dir DIR] [--config FILE] [--json] [media flags]
       softphone --list-devices
stdin commands, one per line (ID: a call id from the events; without it the latest call):
  ${stdinHelp}`;
