/** Free loopback ports for test peers. Ports handed out are remembered so one test process never gets the same port twice. */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

const HOST = '127.0.0.1';
const handedOut = new Set<number>();

function udpFree(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => { s.close(); resolve(undefined); });
    s.bind(port, HOST, () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: HOST, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** True when `port` can be bound on 127.0.0.1 for both UDP and TCP right now. */
export async function canBind(port: number): Promise<boolean> {
  if (port <= 0 || port > 65535) return false;
  return (await udpFree(port)) === port && (await tcpFree(port));
}

/** Like `canBind`, and not already handed out by this process. */
export async function isPortFree(port: number): Promise<boolean> {
  return !handedOut.has(port) && canBind(port);
}

/** A port free for UDP and TCP. With `span` > 1, ports port..port+span-1 are all free (baresip binds SIP port+1 too). */
export async function freeUdpTcpPort(span = 2): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = await udpFree(0);
    if (port === undefined || port + span - 1 > 65535) continue;
    let ok = true;
    for (let i = 0; i < span && ok; i++) ok = await isPortFree(port + i);
    if (!ok) continue;
    for (let i = 0; i < span; i++) handedOut.add(port + i);
    return port;
  }
  throw new Error(`freeUdpTcpPort: no free port run of ${span} found on ${HOST}`);
}

/** `n` distinct ports, each free for UDP and TCP (and each with its +1 free). */
export async function freePorts(n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await freeUdpTcpPort());
  return out;
}

/** The first port of `count` consecutive free ports (RTP ranges). */
export async function freePortRange(count: number): Promise<number> {
  return freeUdpTcpPort(count);
}
