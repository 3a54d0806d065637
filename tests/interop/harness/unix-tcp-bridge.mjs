// Runs inside a network namespace (ip netns exec NS node unix-tcp-bridge.mjs SOCKET HOST PORT):
// once HOST:PORT in that namespace accepts connections, listens on the unix socket SOCKET (a file,
// visible from every namespace) and joins each connection on it to a new one to HOST:PORT. This
// is how a test in the root namespace reaches a peer's control port (baresip ctrl_tcp) in another.
import { connect, createServer } from 'node:net';
import { setTimeout } from 'node:timers';

const [path, host, portText] = process.argv.slice(2);
const port = Number(portText);
const deadline = Date.now() + 15_000;

function join(client) {
  const upstream = connect({ host, port });
  const close = () => { client.destroy(); upstream.destroy(); };
  for (const s of [client, upstream]) { s.on('error', close); s.on('close', close); }
  client.pipe(upstream).pipe(client);
}

function whenReachable(then) {
  const probe = connect({ host, port });
  probe.once('connect', () => { probe.destroy(); then(); });
  probe.once('error', () => {
    if (Date.now() > deadline) {
      console.error(`unix-tcp-bridge: ${host}:${port} never accepted a connection`);
      process.exit(1);
    }
    setTimeout(() => whenReachable(then), 50);
  });
}

whenReachable(() => {
  const server = createServer(join);
  server.listen(path, () => console.error(`unix-tcp-bridge: ${path} -> ${host}:${port}`));
  process.on('SIGTERM', () => { server.close(); process.exit(0); });
});
