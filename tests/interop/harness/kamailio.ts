/**
 * Kamailio registrar + proxy (digest auth, db_text users 1001…1010) on loopback UDP/TCP/TLS, or on
 * an address inside a network namespace the test made (`netns` + `address`).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { freeUdpTcpPort } from './ports.js';
import { exitedMessage, requireBinary, spawnManaged, waitFor } from './process.js';
import { sipPing } from './sip-ping.js';
import { addPresenceTables, checkPresenceModules, presencePlaceholders } from './kamailio-presence.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'kamailio');
const run = promisify(execFile);

export interface KamailioOptions {
  /** The test's temp dir; the instance lives in a subfolder. */
  dir: string;
  /** UDP listener (default true). */
  udp?: boolean;
  /** TCP listener (default true); shares the UDP port number. */
  tcp?: boolean;
  tls?: { certFile: string; keyFile: string; caFile?: string };
  /** Kamailio `debug=` level (default 2; 3 logs every message). */
  debugLevel?: number;
  startTimeoutMs?: number;
  /** Listen on this address instead of 127.0.0.1 (an address of `netns` when one is given; '::1' for IPv6). */
  address?: string;
  /** Run inside this network namespace (`ip netns exec`); readiness is then checked from inside it. */
  netns?: string;
  /**
   * `fix_nated_register()` on every REGISTER (default true). false: the plain testbed registrar,
   * which trusts the Contact as the UA wrote it (no NAT help: a UA behind a NAT must fix its own).
   */
  fixNatedRegister?: boolean;
  /**
   * Also a presence server (kamailio-presence.ts): PUBLISH/SUBSCRIBE for presence, dialog (state of
   * the calls it relays, from pua_dialoginfo) and message-summary (default false).
   */
  presence?: boolean;
  /**
   * Load Kamailio's `stun` module: it answers STUN Binding requests on its SIP UDP port (RFC 5626
   * §4.4.2 keep-alives, §8). Default false: the plain registrar leaves STUN unanswered.
   */
  stun?: boolean;
  /** A `Flow-Timer: N` header (RFC 5626 §5.4) in every 2xx to REGISTER: the UA keeps its flow alive at least that often. */
  flowTimer?: number;
  /**
   * The shortest registration Kamailio grants, s (its default 60 raises shorter requests to 60):
   * a test that waits for a refresh asks for a short one (our CLI's `--expires 30` refreshes at 15 s).
   */
  minExpires?: number;
}

export interface Registration {
  /** The user part as usrloc stores it, e.g. '1002'. */
  aor: string;
  /** The Contact URI the UA registered. */
  contact: string;
  /** Source of the REGISTER (calls are delivered there), e.g. 'sip:127.0.0.1:40000;transport=tcp'. */
  received?: string;
  /** Kamailio's socket it arrived on, e.g. 'udp:127.0.0.1:5060'. */
  socket?: string;
}

export interface Kamailio {
  /** The listen address (127.0.0.1 unless `address` was given). */
  host: string;
  /** The UDP/TCP port (one number for both). */
  udpPort: number;
  tcpPort: number;
  tlsPort?: number;
  /** The instance folder (config, db, run/, kamailio.log). */
  dir: string;
  stop(): Promise<void>;
  registrations(): Promise<Registration[]>;
  log(): string;
}

/** Users the fixture db knows: 1001…1010 with password pw1001…pw1010, realm 127.0.0.1. */
export const KAMAILIO_USERS = Array.from({ length: 10 }, (_, i) => ({
  user: String(1001 + i),
  password: `pw${1001 + i}`,
}));
export const KAMAILIO_REALM = '127.0.0.1';

function modulesPath(): string {
  const candidates = readdirSync('/usr/lib').map((d) => join('/usr/lib', d, 'kamailio', 'modules'));
  const found = candidates.find((d) => existsSync(join(d, 'tm.so')));
  if (!found) throw new Error("kamailio modules not found under /usr/lib/*/kamailio/modules: install the Debian package 'kamailio'");
  return found;
}

function tlsCfg(tls: NonNullable<KamailioOptions['tls']>): string {
  const ca = tls.caFile ? `ca_list = ${tls.caFile}\n` : '';
  return `[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n` +
    `private_key = ${tls.keyFile}\ncertificate = ${tls.certFile}\n${ca}\n` +
    `[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\nrequire_certificate = no\n`;
}

export async function startKamailio(opts: KamailioOptions): Promise<Kamailio> {
  requireBinary('kamailio', 'kamailio');
  requireBinary('kamcmd', 'kamailio');
  const udp = opts.udp ?? true;
  const tcp = opts.tcp ?? true;
  if (opts.tls && !existsSync(join(modulesPath(), 'tls.so'))) {
    throw new Error("kamailio tls.so missing: install the Debian package 'kamailio-tls-modules'");
  }
  const host = opts.address ?? '127.0.0.1';
  const sipHost = isIP(host) === 6 ? `[${host}]` : host; // as written in listen=, alias= and URIs
  const port = await freeUdpTcpPort(1);
  const tlsPort = opts.tls ? await freeUdpTcpPort(1) : undefined;
  const dir = join(opts.dir, `kamailio-${port}`);
  mkdirSync(join(dir, 'db'), { recursive: true });
  mkdirSync(join(dir, 'run'), { recursive: true });
  for (const f of ['subscriber', 'version']) copyFileSync(join(FIXTURES, 'db', f), join(dir, 'db', f));
  if (opts.presence) {
    checkPresenceModules(modulesPath());
    addPresenceTables(FIXTURES, join(dir, 'db'));
  }

  const listen: string[] = [];
  if (udp) listen.push(`listen=udp:${sipHost}:${port}`);
  // Kamailio needs a SIP listener it can use for the readiness ping; TCP-only is allowed too.
  if (tcp) listen.push(`listen=tcp:${sipHost}:${port}`);
  if (!udp && !tcp && !opts.tls) throw new Error('startKamailio: enable at least one of udp, tcp, tls');
  if (udp || tcp) listen.push(`alias="${sipHost}:${port}"`, `alias="localhost:${port}"`);
  let tlsLines = '';
  if (opts.tls && tlsPort !== undefined) {
    writeFileSync(join(dir, 'tls.cfg'), tlsCfg(opts.tls));
    listen.push('enable_tls=yes', `listen=tls:${sipHost}:${tlsPort}`,
      `alias="${sipHost}:${tlsPort}"`, `alias="localhost:${tlsPort}"`);
    tlsLines = `loadmodule "tls.so"\nmodparam("tls", "config", "${join(dir, 'tls.cfg')}")`;
  }
  if (!tcp && !opts.tls) listen.push('disable_tcp=yes');
  let cfg = readFileSync(join(FIXTURES, 'kamailio.cfg.in'), 'utf8')
    .replaceAll('@LISTEN@', listen.join('\n'))
    .replaceAll('@TLS@', tlsLines)
    .replaceAll('@MPATH@', modulesPath() + '/')
    .replaceAll('@DIR@', dir)
    .replace(/^debug=\d+$/m, `debug=${opts.debugLevel ?? 2}`);
  for (const [name, text] of Object.entries(presencePlaceholders(opts.presence ?? false, dir, host, port))) cfg = cfg.replaceAll(name, text);
  if (opts.stun) {
    if (!existsSync(join(modulesPath(), 'stun.so'))) throw new Error("kamailio stun.so missing: install the Debian package 'kamailio'");
    cfg = cfg.replace('loadmodule "nathelper.so"\n', 'loadmodule "nathelper.so"\nloadmodule "stun.so"\n');
  }
  if (opts.flowTimer !== undefined) {
    cfg = cfg.replace(/^(\s*)if \(!save\("location"\)\)/m, `$1append_to_reply("Flow-Timer: ${opts.flowTimer}\\r\\n");\n$&`);
    if (!cfg.includes('Flow-Timer')) throw new Error('startKamailio: the REGISTER route has no save("location") to put Flow-Timer before');
  }
  if (opts.fixNatedRegister === false) cfg = cfg.replace(/^\s*fix_nated_register\(\);\n/m, '');
  if (opts.minExpires !== undefined) {
    cfg = cfg.replace(/^modparam\("registrar", "max_expires", \d+\)$/m, `$&\nmodparam("registrar", "min_expires", ${opts.minExpires})`);
    if (!cfg.includes('"min_expires"')) throw new Error('startKamailio: no registrar max_expires line to put min_expires after');
  }
  const cfgFile = join(dir, 'kamailio.cfg');
  writeFileSync(cfgFile, cfg);

  const runDir = join(dir, 'run');
  const args = ['-f', cfgFile, '-DD', '-E', '-m', '64', '-M', '8', '-Y', runDir, '-P', join(runDir, 'kamailio.pid')];
  const proc = opts.netns
    ? spawnManaged('ip', ['netns', 'exec', opts.netns, 'kamailio', ...args], { name: 'kamailio', dir })
    : spawnManaged('kamailio', args, { name: 'kamailio', dir });
  const ctl = `unix:${join(runDir, 'kamailio_ctl')}`;
  const failIf = exitedMessage(proc);
  try {
    // Ready when it answers an OPTIONS ping on its first listener and the ctl socket works.
    const transport = udp ? 'udp' : tcp ? 'tcp' : 'tls';
    const pingPort = udp || tcp ? port : tlsPort!;
    const ping = opts.netns
      ? () => pingInside(opts.netns!, host, pingPort, transport)
      : () => sipPing({ host, port: pingPort, transport, timeoutMs: 300 });
    await waitFor(ping, {
      timeoutMs: opts.startTimeoutMs ?? 10_000, what: `kamailio OPTIONS 200 on ${transport}:${pingPort}`,
      log: proc.log, failIf, intervalMs: 100,
    });
    await waitFor(async () => (await run('kamcmd', ['-s', ctl, 'core.version'])).stdout.length > 0, {
      timeoutMs: 5000, what: 'kamcmd core.version', log: proc.log, failIf, intervalMs: 100,
    });
  } catch (e) {
    await proc.stop();
    throw e;
  }

  return {
    host,
    udpPort: port,
    tcpPort: port,
    ...(tlsPort !== undefined ? { tlsPort } : {}),
    dir,
    stop: () => proc.stop(),
    log: proc.log,
    async registrations() {
      const { stdout } = await run('kamcmd', ['-s', ctl, 'ul.dump']);
      return parseUlDump(stdout);
    },
  };
}

/** sipPing run from inside a network namespace (a short-lived node with the same module): true on a 200. */
async function pingInside(netns: string, host: string, port: number, transport: 'udp' | 'tcp' | 'tls'): Promise<boolean> {
  const module = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'sip-ping.ts')).href;
  const target = JSON.stringify({ host, port, transport, timeoutMs: 300 });
  const script = `const { sipPing } = await import(${JSON.stringify(module)}); process.exit((await sipPing(${target})) ? 0 : 1);`;
  try {
    await run('ip', ['netns', 'exec', netns, process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** Parses `kamcmd ul.dump` output into AoR + Contact pairs. */
export function parseUlDump(text: string): Registration[] {
  const out: Registration[] = [];
  let aor: string | undefined;
  let cur: Registration | undefined;
  for (const line of text.split('\n')) {
    const m = /^\s*(AoR|Address|Received|Socket):\s*(\S+)/.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'AoR') aor = value;
    else if (key === 'Address' && aor !== undefined) out.push(cur = { aor, contact: value });
    else if (key === 'Received' && cur && value.startsWith('sip')) cur.received = value;
    else if (key === 'Socket' && cur) cur.socket = value;
  }
  return out;
}
