/**
 * Debian coturn (`turnserver`) as a TURN/STUN server for one test: its own ports, config-free
 * command line, a log file in the test's folder, long-term credentials, relay ports in a given
 * range. Loopback by default; `inside` runs it in a network namespace (NAT tests).
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import { requireBinary, spawnManaged, waitFor, type ManagedProcess } from './process.js';
import { freePortRange, freeUdpTcpPort } from './ports.js';

export interface CoturnOptions {
  dir: string;
  /** Address to listen on and relay from (default 127.0.0.1). */
  address?: string;
  /** UDP/TCP port (default: a free one). */
  port?: number;
  /** TLS port; TLS is off without `tls`. */
  tlsPort?: number;
  tls?: { certFile: string; keyFile: string };
  realm?: string;
  username?: string;
  password?: string;
  /** Prefix the command (e.g. `ip netns exec NS`). */
  inside?: (cmd: string, args: string[]) => [string, string[]];
  /** Peer address ranges the server refuses to relay to (`--denied-peer-ip`, e.g. '192.0.2.0-192.0.2.255'). */
  deniedPeers?: string[];
}

export interface Coturn {
  proc: ManagedProcess;
  address: string;
  port: number;
  tlsPort: number | undefined;
  realm: string;
  username: string;
  password: string;
  stop(): Promise<void>;
}

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port }, () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

export async function startCoturn(o: CoturnOptions): Promise<Coturn> {
  requireBinary('turnserver', 'coturn');
  const address = o.address ?? '127.0.0.1';
  const port = o.port ?? await freeUdpTcpPort(1);
  const tlsPort = o.tls ? (o.tlsPort ?? await freeUdpTcpPort(1)) : undefined;
  const relayFirst = await freePortRange(40);
  const realm = o.realm ?? 'nimbus.test';
  const username = o.username ?? 'nimbus';
  const password = o.password ?? 'turn-secret-1';
  const args = [
    '-n', '--no-cli', '--simple-log', '--log-file', 'stdout', '--no-dtls',
    '--listening-ip', address, '--listening-port', String(port), '--relay-ip', address,
    '--min-port', String(relayFirst), '--max-port', String(relayFirst + 39),
    '--realm', realm, '--lt-cred-mech', '--user', `${username}:${password}`,
    '--userdb', join(o.dir, 'turndb'), '--pidfile', join(o.dir, 'turnserver.pid'),
    // Test peers live on loopback; production servers must not relay there.
    '--allow-loopback-peers',
  ];
  for (const range of o.deniedPeers ?? []) args.push('--denied-peer-ip', range);
  if (o.tls) args.push('--tls-listening-port', String(tlsPort), '--cert', o.tls.certFile, '--pkey', o.tls.keyFile);
  else args.push('--no-tls');
  const [cmd, full] = o.inside ? o.inside('turnserver', args) : ['turnserver', args];
  const proc = spawnManaged(cmd, full, { name: 'coturn', dir: o.dir });
  await waitFor(async () => proc.log().includes('Total General servers') && (o.inside !== undefined || await tcpOpen(address, port)), {
    timeoutMs: 15_000, what: 'coturn listening', log: () => proc.log(),
    failIf: () => (proc.exitInfo() ? `turnserver exited: ${JSON.stringify(proc.exitInfo())}` : undefined),
  });
  return { proc, address, port, tlsPort, realm, username, password, stop: () => proc.stop() };
}
