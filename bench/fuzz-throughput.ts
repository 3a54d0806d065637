/**
 * How many messages per second a running stack absorbs from the robustness fuzzer
 * (tests/robustness): the mutated mix over UDP (paced so the socket buffer never drops), the
 * valid-only corpus over UDP, and framed mutations over one TCP connection. Figures, not pass/fail.
 * Run: node --import tsx bench/fuzz-throughput.ts
 */
import { pathToFileURL } from 'node:url';
import { createSipStack } from '../src-main/sip/ua/stack.js';
import { CorpusState, sdp, seedMessage, serialize, type Endpoints } from '../tests/robustness/corpus.js';
import { TestClock } from '../tests/support/test-clock.js';
import { noDns, seededRandom, tcpSink, TcpPeer, turns, UdpPeer } from '../tests/robustness/harness.js';
import { frameable, mutate } from '../tests/robustness/mutate.js';
import { Prng } from '../tests/robustness/prng.js';

export interface FuzzBenchResult {
  generatePerSecond: number;
  udpMixedPerSecond: number;
  udpValidPerSecond: number;
  tcpMixedPerSecond: number;
}

const N = 40_000;
const TCP_N = 10_000;

export async function run(log: (line: string) => void = console.log): Promise<FuzzBenchResult> {
  const clock = new TestClock();
  const stack = await createSipStack({
    bindAddress: '127.0.0.1', port: 0, listenTcp: true, userAgent: 'bench', clock, random: seededRandom(new Prng(7)), resolver: noDns,
  });
  const state = new CorpusState();
  const udp = await UdpPeer.open((data) => state.learn(data));
  const sink = await tcpSink();
  const media = { createOffer: () => sdp(new Prng(1)), createAnswer: () => sdp(new Prng(2)), setAnswer: () => {} };
  stack.ua.on('incoming', (call) => {
    call.setMedia(media);
    call.reject(486);
  });
  const ep: Endpoints = { stackPort: stack.transport.localAddress('udp').port, udpPort: udp.port, tcpSinkPort: sink.port };
  const tcpPort = stack.transport.localAddress('tcp').port;
  const rnd = new Prng(1);
  const other = () => seedMessage(rnd, ep, state, 'UDP');

  try {
    let t0 = performance.now();
    const mixed = Array.from({ length: N }, () => mutate(rnd, seedMessage(rnd, ep, state, 'UDP'), other).data);
    const generatePerSecond = N / ((performance.now() - t0) / 1000);
    log(`  generate mutated inputs           ${generatePerSecond.toFixed(0).padStart(8)} /s`);

    const flood = async (inputs: Buffer[]): Promise<number> => {
      const start = performance.now();
      const base = stack.transport.stats().received;
      for (let i = 0; i < inputs.length;) {
        const before = stack.transport.stats().received;
        let n = 0;
        for (let bytes = 0; n < 64 && i < inputs.length && bytes < 96 * 1024; n++, i++) {
          udp.send(inputs[i]!, ep.stackPort);
          bytes += inputs[i]!.length + 1024;
        }
        await turns(() => stack.transport.stats().received >= before + n, 2000);
        clock.advance(100);
      }
      const got = stack.transport.stats().received - base;
      return got / ((performance.now() - start) / 1000);
    };

    const udpMixedPerSecond = await flood(mixed);
    log(`  UDP, mutated + random mix          ${udpMixedPerSecond.toFixed(0).padStart(8)} msg/s absorbed`);
    const valid = Array.from({ length: N }, () => serialize(seedMessage(rnd, ep, state, 'UDP')));
    const udpValidPerSecond = await flood(valid);
    log(`  UDP, valid corpus only             ${udpValidPerSecond.toFixed(0).padStart(8)} msg/s absorbed`);

    const framed = Array.from({ length: TCP_N }, () => frameable(mutate(rnd, seedMessage(rnd, ep, state, 'TCP'), other).data));
    let conn = await TcpPeer.open(tcpPort);
    t0 = performance.now();
    const base = stack.transport.stats().received;
    for (let i = 0; i < framed.length; i += 16) {
      const before = stack.transport.stats().received;
      const chunk = framed.slice(i, i + 16);
      conn.write(Buffer.concat(chunk));
      const ok = await turns(() => conn.closed || stack.transport.stats().received >= before + chunk.length, 400);
      if (conn.closed || !ok) {
        conn.destroy();
        conn = await TcpPeer.open(tcpPort);
      }
    }
    conn.destroy();
    const tcpMixedPerSecond = (stack.transport.stats().received - base) / ((performance.now() - t0) / 1000);
    log(`  TCP, framed mutations, 16 a write  ${tcpMixedPerSecond.toFixed(0).padStart(8)} msg/s absorbed`);
    return { generatePerSecond, udpMixedPerSecond, udpValidPerSecond, tcpMixedPerSecond };
  } finally {
    await udp.close();
    await sink.close();
    await stack.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
