/** A throwaway test PKI made with openssl: a CA and a server certificate for 127.0.0.1/localhost. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestPki {
  dir: string;
  caFile: string;
  caPem: string;
  serverKeyFile: string;
  serverCertFile: string;
  /** The name the server certificate is valid for (also has IP SAN 127.0.0.1). */
  serverName: string;
}

/** `ips`: more IP SANs for the server certificate (e.g. a server inside a test network namespace). */
export function makeTestPki(dir: string, opts: { ips?: string[] } = {}): TestPki {
  mkdirSync(dir, { recursive: true });
  const f = (name: string) => join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Nimbus Test CA',
    '-keyout', f('ca.key'), '-out', f('ca.pem'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', f('server.key'), '-out', f('server.csr'));
  const sans = ['DNS:localhost', 'IP:127.0.0.1', ...(opts.ips ?? []).map((a) => `IP:${a}`)].join(',');
  writeFileSync(f('server.ext'), `subjectAltName=${sans}\nextendedKeyUsage=serverAuth,clientAuth\n`);
  ssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial',
    '-days', '2', '-extfile', f('server.ext'), '-out', f('server.pem'));
  return {
    dir,
    caFile: f('ca.pem'),
    caPem: readFileSync(f('ca.pem'), 'utf8'),
    serverKeyFile: f('server.key'),
    serverCertFile: f('server.pem'),
    serverName: 'localhost',
  };
}
