/**
 * Robustness: a running stack on loopback takes ≥100k mutated and random messages over UDP and TCP
 * and must never let an exception escape, never hang, keep its tables bounded, and still answer
 * OPTIONS and ring for an INVITE afterwards. Then every kind of 64 KiB header is refused end to end.
 *
 * Deterministic: the seed (FUZZ_SEED, default below) drives the inputs and the stack's own tokens
 * (the inputs differ between runs only in the ephemeral port numbers they carry).
 * The fuzzed stack runs on a manual clock advanced between batches, so transaction timers
 * (Timer G/H/J…) run in full and expiry can be checked without sleeping.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSipStack, type SipStack } from '../../src-main/sip/ua/stack.js';
import type { SessionMedia } from '../../src-main/sip/ua/session/invite-session.js';
import type { InviteServerSession } from '../../src-main/sip/ua/session/invite-server-session.js';
import type { TransportEvent } from '../../src-main/sip/transport/index.js';
import { serializeMessage } from '../../src-main/sip/message/index.js';
import { CorpusState, sdp, seedMessage, serialize, type Endpoints } from './corpus.js';
import { frameable, mutate } from './mutate.js';
import { TestClock } from '../support/test-clock.js';
import { Prng } from './prng.js';
import { noDns, seededRandom, tcpSink, TcpPeer, trapEscapes, turns, UdpPeer, within } from './harness.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x51d0f00d);
const UDP_INPUTS = 94_000;
const TCP_INPUTS = 8_000;
const BATCH = 64;
const BATCH_BYTES = 96 * 1024;
/** Virtual time per UDP batch: ~190 s over the run, so every 64*T1 timer fires many times over. */
const VIRTUAL_MS_PER_BATCH = 130;

const media: SessionMedia = {
  createOffer: () => sdp(new Prng(1)),
  createAnswer: () => sdp(new Prng(2)),
  setAnswer: () => {},
};

/** Server transactions still alive (reads the layer's private table: diagnostics only). */
function leftovers(stack: SipStack): string[] {
  type Tx = { kind: string; state: string; request: { method: string; headers: { get(name: string): string | undefined } } };
  const servers = (stack.ua.transactions as unknown as { servers: Map<string, Tx> }).servers;
  return [...servers.values()].slice(0, 5).map((tx) =>
    `${tx.kind}/${tx.state} ${tx.request.method} Call-ID ${tx.request.headers.get('Call-ID')?.slice(0, 60)}`);
}

function callIdOf(text: string): string | undefined {
  return /\r\n(?:Call-ID|i)[ \t]*:[ \t]*([^\r\n]+)/i.exec(text)?.[1];
}

function statusOf(text: string): number | undefined {
  const m = /^SIP\/2\.0 (\d{3}) /.exec(text);
  return m ? Number(m[1]) : undefined;
}

function options(callId: string, via: string, port: number): Buffer {
  return Buffer.from([
    `OPTIONS sip:127.0.0.1:${port} SIP/2.0`, `Via: ${via}`, 'Max-Forwards: 70',
    'From: <sip:probe@127.0.0.1>;tag=probe', 'To: <sip:127.0.0.1>', `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS', 'Content-Length: 0', '', '',
  ].join('\r\n'));
}

test(`fuzz: ≥100k mutated and random messages at a running UA (seed ${SEED})`, async (t) => {
  const started = performance.now();
  console.log(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} to replay)`);
  const traps = trapEscapes();
  const rnd = new Prng(SEED);
  const clock = new TestClock();
  const events = new Map<string, number>();
  const faults: string[] = [];
  /** The first few messages of every event kind but the (many) parse errors, for the summary. */
  const eventSamples = new Map<string, string[]>();
  const onTransportEvent = (e: TransportEvent) => {
    events.set(e.kind, (events.get(e.kind) ?? 0) + 1);
    const samples = eventSamples.get(e.kind) ?? [];
    if (e.kind !== 'parse-error' && samples.length < 3) eventSamples.set(e.kind, [...samples, e.message.slice(0, 160)]);
    // The transport isolates handler exceptions; for the fuzzer they are still bugs.
    if (e.kind === 'handler-error' || e.message.startsWith('internal error')) faults.push(`${e.kind}: ${e.message}`);
  };
  const stack: SipStack = await createSipStack({
    bindAddress: '127.0.0.1', port: 0, listenTcp: true, userAgent: 'fuzz-target', clock,
    random: seededRandom(new Prng(SEED ^ 0xabcdef)), resolver: noDns, onTransportEvent,
  });
  const sink = await tcpSink();
  const state = new CorpusState();
  let responses = 0;
  const udp = await UdpPeer.open(() => responses++);
  // The corpus learns tags from what the stack sends, read as it is sent (in the stack's own
  // processing order, not the sockets' arrival order): a seed replays the same inputs, up to the
  // ephemeral port numbers written into them.
  const send = stack.transport.send.bind(stack.transport);
  stack.transport.send = (message, destination, opts) => {
    if (message.kind === 'response') state.learn(serializeMessage(message));
    return send(message, destination, opts);
  };
  const stackPort = stack.transport.localAddress('udp').port;
  const tcpPort = stack.transport.localAddress('tcp').port;
  const ep: Endpoints = { stackPort, udpPort: udp.port, tcpSinkPort: sink.port };

  // Incoming calls: reject at once, ring then reject, or ring and leave pending for a while
  // (CANCELs and in-dialog requests from the corpus can then find them).
  let incoming = 0;
  const pending = new Set<InviteServerSession>();
  stack.ua.on('incoming', (call) => {
    incoming++;
    call.setMedia(media);
    switch (incoming % 4) {
      case 0: call.reject(486); break;
      case 1: call.ring(); call.reject(480); break;
      default:
        call.ring();
        pending.add(call);
        call.on('ended', () => pending.delete(call));
        clock.setTimeout(() => call.reject(603), 500 + (incoming % 7) * 1000);
    }
  });
  let notices = 0;
  stack.ua.on('notice', () => notices++);

  const kinds = new Map<string, number>();
  let udpSent = 0;
  let udpLost = 0;
  let maxServers = 0;
  let peakHeap = 0;
  const other = () => seedMessage(rnd, ep, state, 'UDP');
  try {
    // --- UDP: batches paced on what the stack actually received.
    for (let done = 0, batches = 0; done < UDP_INPUTS; batches++) {
      const base = stack.transport.stats().received + udpLost;
      // A batch stops at BATCH datagrams or BATCH_BYTES, well inside the default socket buffer.
      let n = 0;
      for (let bytes = 0; n < BATCH && done + n < UDP_INPUTS && bytes < BATCH_BYTES; n++) {
        const m = mutate(rnd, seedMessage(rnd, ep, state, 'UDP'), other);
        kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
        udp.send(m.data, stackPort);
        bytes += m.data.length + 1024;
        udpSent++;
      }
      await turns(() => stack.transport.stats().received >= base + n, 2000);
      udpLost = Math.max(0, udpSent - stack.transport.stats().received);
      clock.advance(VIRTUAL_MS_PER_BATCH);
      maxServers = Math.max(maxServers, stack.ua.transactions.size.servers);
      done += n;
      if (batches % 100 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }

    // --- TCP: framed mutations, raw mutations, split and merged writes, connection-killing garbage.
    let conn = await TcpPeer.open(tcpPort);
    const tcpCounts = { sent: 0, closedByStack: 0, stalled: 0, reconnects: 0, garbage: 0, garbageClosed: 0 };
    const tcpOther = () => seedMessage(rnd, ep, state, 'TCP');
    const write = (data: Buffer) => conn.write(data);
    for (let i = 0; i < TCP_INPUTS; i++) {
      const before = stack.transport.stats().received;
      const mode = rnd.float();
      let expected = 1;
      let maxTurns = 400;
      if (mode < 0.6) {
        write(frameable(mutate(rnd, seedMessage(rnd, ep, state, 'TCP'), tcpOther).data));
      } else if (mode < 0.72) {
        write(mutate(rnd, seedMessage(rnd, ep, state, 'TCP'), tcpOther).data);
        maxTurns = 20; // may legitimately wait for body bytes that never come
      } else if (mode < 0.84) {
        // One valid message in random pieces, one event-loop turn apart.
        const data = frameable(serialize(seedMessage(rnd, ep, state, 'TCP')));
        for (let at = 0; at < data.length;) {
          const len = rnd.range(1, Math.max(1, data.length >> 2));
          write(data.subarray(at, at + len));
          at += len;
          await turns(() => false, 1);
        }
      } else if (mode < 0.95) {
        // Several messages (and keep-alive CRLFs) in one write.
        expected = rnd.range(2, 5);
        const parts: Buffer[] = [];
        for (let k = 0; k < expected; k++) {
          parts.push(frameable(mutate(rnd, seedMessage(rnd, ep, state, 'TCP'), tcpOther).data));
          if (rnd.chance(0.2)) parts.push(Buffer.from('\r\n\r\n'));
        }
        write(Buffer.concat(parts));
      } else {
        // Garbage that must close the connection (§18.3 framing), on a fresh one.
        conn.destroy();
        conn = await TcpPeer.open(tcpPort);
        tcpCounts.reconnects++;
        expected = Infinity;
        tcpCounts.garbage++;
        write(rnd.pick([
          () => Buffer.from('\n'),
          () => Buffer.from('\r\rOPTIONS'),
          () => Buffer.from('OPTIONS sip:127.0.0.1 SIP/2.0\r\nContent-Length: 99999999\r\n\r\n'),
          () => Buffer.from('OPTIONS sip:127.0.0.1 SIP/2.0\r\nContent-Length: -5\r\n\r\n'),
          () => Buffer.from('OPTIONS sip:127.0.0.1 SIP/2.0\r\nl: ten\r\n\r\n'),
          () => Buffer.from('OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: x\r\n\r\n'),
          () => Buffer.from('OPTIONS sip:127.0.0.1 SIP/2.0\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n'),
          () => Buffer.alloc(70 * 1024, 'A'),
        ])());
      }
      tcpCounts.sent++;
      if (expected === Infinity && (await within(() => conn.closed, 5000))) tcpCounts.garbageClosed++;
      const progressed = await turns(() => conn.closed || stack.transport.stats().received >= before + expected, maxTurns);
      if (conn.closed || !progressed) {
        if (conn.closed) tcpCounts.closedByStack++;
        else tcpCounts.stalled++;
        conn.destroy();
        conn = await TcpPeer.open(tcpPort);
            tcpCounts.reconnects++;
      }
      if (i % 16 === 0) clock.advance(VIRTUAL_MS_PER_BATCH);
      maxServers = Math.max(maxServers, stack.ua.transactions.size.servers);
    }
    conn.destroy();
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);

    const afterFlood = stack.ua.transactions.size;
    const stats = stack.transport.stats();
    const framingCloses = events.get('framing-error') ?? 0;
    const processed = stats.received + framingCloses;

    // --- Let every timer run out: 64*T1 (Timer H/J/F), 2xx retransmits, pending rejections.
    for (let i = 0; i < 400; i++) {
      clock.advance(1000);
      await turns(() => false, 1);
    }
    const drained = stack.ua.transactions.size;
    const wall = ((performance.now() - started) / 1000).toFixed(1);
    const summary = {
      seed: SEED, inputs: udpSent + tcpCounts.sent, udpSent, udpLost, udpSendErrors: udp.sendErrors, tcp: tcpCounts,
      mutationKinds: Object.fromEntries(kinds),
      stats, framingCloses, processed,
      parsed: stats.received - stats.parseErrors, rejected: stats.parseErrors + stats.dropped,
      responsesToFuzzer: responses, incomingCalls: incoming, uaNotices: notices,
      events: Object.fromEntries(events), eventSamples: Object.fromEntries(eventSamples),
      transactions: { maxServers, afterFlood, drained },
      sessionsLeft: stack.ua.sessions.length, pendingTimers: clock.pending,
      peakHeapMiB: Math.round(peakHeap / 2 ** 20), wallSeconds: wall,
    };
    console.log(JSON.stringify(summary, null, 1));
    t.diagnostic(`processed ${processed} (received ${stats.received}, parse errors ${stats.parseErrors}) in ${wall}s`);

    assert.deepEqual(faults.slice(0, 5), [], 'no handler exceptions and no internal errors in the receive path');
    assert.ok(udpSent + tcpCounts.sent >= 100_000, 'at least 100k inputs generated');
    assert.ok(processed >= 100_000, `the stack processed ≥100k inputs (got ${processed})`);
    assert.ok(stats.parseErrors > 10_000 && stats.received - stats.parseErrors > 10_000, 'the mix has both parse failures and valid messages');
    assert.equal(tcpCounts.garbageClosed, tcpCounts.garbage, 'every framing violation closed its connection');
    assert.ok(incoming > 1000, 'valid INVITEs got through to the UA');
    assert.equal(drained.servers, 0, `every server transaction terminated once the timers ran out: ${leftovers(stack).join('; ')}`);
    assert.equal(drained.clients, 0, 'the UA never originated a request toward the fuzzer');
    assert.equal(stack.ua.sessions.length, 0, 'no incoming call outlived its rejection');
    assert.ok(stats.connections <= 4, `connections are bounded (${stats.connections})`);
    assert.ok(peakHeap < 1024 * 2 ** 20, `heap stayed under 1 GiB (${Math.round(peakHeap / 2 ** 20)} MiB)`);

    // --- Still alive: OPTIONS over UDP and TCP, and an INVITE still rings.
    const probe = await UdpPeer.open();
    probe.send(options('alive-udp@fuzz', `SIP/2.0/UDP 127.0.0.1:${probe.port};branch=z9hG4bKaliveudp;rport`, stackPort), stackPort);
    const udpOk = await within(() => probe.received.some((d) => statusOf(d.toString('latin1')) === 200 && callIdOf(d.toString('latin1')) === 'alive-udp@fuzz'), 5000);
    assert.ok(udpOk, 'OPTIONS over UDP answered 200 after the flood');

    const tcp = await TcpPeer.open(tcpPort);
    tcp.write(options('alive-tcp@fuzz', `SIP/2.0/TCP 127.0.0.1:${sink.port};branch=z9hG4bKalivetcp`, tcpPort));
    const tcpOk = await within(() => statusOf(tcp.text()) === 200 && callIdOf(tcp.text()) === 'alive-tcp@fuzz', 5000);
    tcp.destroy();
    assert.ok(tcpOk, 'OPTIONS over TCP answered 200 after the flood');

    let rangFor: string | undefined;
    stack.ua.once('incoming', (call) => (rangFor = call.request.headers.get('Call-ID') ?? ''));
    const body = sdp(new Prng(3));
    probe.send(serialize({
      start: `INVITE sip:alice@127.0.0.1:${stackPort} SIP/2.0`,
      headers: [
        ['Via', `SIP/2.0/UDP 127.0.0.1:${probe.port};branch=z9hG4bKaliveinvite;rport`], ['Max-Forwards', '70'],
        ['From', '<sip:probe@127.0.0.1>;tag=p1'], ['To', '<sip:alice@127.0.0.1>'], ['Call-ID', 'alive-invite@fuzz'],
        ['CSeq', '1 INVITE'], ['Contact', `<sip:probe@127.0.0.1:${probe.port}>`], ['Content-Type', 'application/sdp'],
        ['Content-Length', String(Buffer.byteLength(body))],
      ],
      body,
    }), stackPort);
    assert.ok(await within(() => rangFor !== undefined, 5000), 'an INVITE after the flood still produces an incoming call');
    assert.equal(rangFor, 'alive-invite@fuzz');
    await probe.close();

    assert.deepEqual(traps.escaped, [], 'nothing escaped as an uncaught exception or unhandled rejection');
  } finally {
    traps.stop();
    for (const call of pending) call.reject(603);
    await udp.close();
    await sink.close();
    await stack.stop();
  }
});

/** The header kinds of the issue; `name` undefined means the Request-URI itself. */
const bigKinds: { label: string; name?: string; answer: boolean }[] = [
  { label: 'Via', name: 'Via', answer: true },
  { label: 'From', name: 'From', answer: false },
  { label: 'To', name: 'To', answer: false },
  { label: 'Contact', name: 'Contact', answer: true },
  { label: 'Call-ID', name: 'Call-ID', answer: false },
  { label: 'CSeq', name: 'CSeq', answer: false },
  { label: 'WWW-Authenticate', name: 'WWW-Authenticate', answer: true },
  { label: 'Authorization', name: 'Authorization', answer: true },
  { label: 'Route', name: 'Route', answer: true },
  { label: 'Record-Route', name: 'Record-Route', answer: true },
  { label: 'Content-Type', name: 'Content-Type', answer: true },
  { label: 'X-Custom', name: 'X-Custom', answer: true },
  { label: 'Request-URI', answer: false },
];

/**
 * A request of exactly `total` bytes whose `kind` header (or Request-URI) carries the padding.
 * The required headers come first, so a 400 can be built unless the giant one is among them
 * (a second Via for Via: the first one still routes the answer).
 */
function giant(kind: { name?: string }, total: number, via: string, callId: string, port: number): Buffer {
  const build = (pad: string): string => {
    const uri = kind.name === undefined ? `sip:${pad}@127.0.0.1:${port}` : `sip:alice@127.0.0.1:${port}`;
    const fields: [string, string][] = [
      ['Via', via],
      ['From', kind.name === 'From' ? `<sip:${pad}@127.0.0.1>;tag=big` : '<sip:big@127.0.0.1>;tag=big'],
      ['To', kind.name === 'To' ? `<sip:${pad}@127.0.0.1>` : '<sip:alice@127.0.0.1>'],
      ['Call-ID', kind.name === 'Call-ID' ? `${pad}@x` : callId],
      ['CSeq', kind.name === 'CSeq' ? `1${'0'.repeat(pad.length)} OPTIONS` : '1 OPTIONS'],
      ['Max-Forwards', '70'],
    ];
    const value: Record<string, string> = {
      Via: `SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK${pad}`,
      Contact: `<sip:${pad}@127.0.0.1>`,
      'WWW-Authenticate': `Digest realm="${pad}", nonce="n"`,
      Authorization: `Digest username="${pad}", realm="r", nonce="n", uri="sip:a@127.0.0.1", response="00"`,
      Route: `<sip:${pad}@127.0.0.1;lr>`,
      'Record-Route': `<sip:${pad}@127.0.0.1;lr>`,
      'Content-Type': `application/${pad}`,
      'X-Custom': pad,
    };
    if (kind.name && value[kind.name] !== undefined) fields.push([kind.name, value[kind.name]!]);
    fields.push(['Content-Length', '0']);
    return `OPTIONS ${uri} SIP/2.0\r\n${fields.map(([n, v]) => `${n}: ${v}`).join('\r\n')}\r\n\r\n`;
  };
  const overhead = build('').length;
  return Buffer.from(build('a'.repeat(total - overhead)), 'latin1');
}

test('a 64 KiB header of any kind is rejected over UDP and TCP, and the stack keeps working', async (t) => {
  const outcomes: string[] = [];
  const traps = trapEscapes();
  const stack = await createSipStack({ bindAddress: '127.0.0.1', port: 0, listenTcp: true, userAgent: 'big-header-target', resolver: noDns });
  const sink = await tcpSink();
  const udp = await UdpPeer.open();
  const udpPort = stack.transport.localAddress('udp').port;
  const tcpPort = stack.transport.localAddress('tcp').port;
  let incoming = 0;
  stack.ua.on('incoming', () => incoming++);
  const answered = (data: Buffer[], callId: string) =>
    data.map((d) => d.toString('latin1')).find((s) => callIdOf(s) === callId && (statusOf(s) ?? 0) >= 400);
  const alive = async (n: number): Promise<void> => {
    const callId = `alive-${n}@big`;
    udp.send(options(callId, `SIP/2.0/UDP 127.0.0.1:${udp.port};branch=z9hG4bKalive${n};rport`, udpPort), udpPort);
    assert.ok(await within(() => udp.received.some((d) => statusOf(d.toString('latin1')) === 200 && callIdOf(d.toString('latin1')) === callId), 5000), `OPTIONS ${n} answered`);
  };
  try {
    let n = 0;
    for (const kind of bigKinds) {
      n++;
      // UDP: one 65,000-byte datagram (loopback carries up to 65,507).
      const callId = `big-udp-${n}@big`;
      const before = stack.transport.stats();
      const data = giant(kind, 65_000, `SIP/2.0/UDP 127.0.0.1:${udp.port};branch=z9hG4bKbigudp${n};rport`, callId, udpPort);
      assert.equal(data.length, 65_000);
      udp.send(data, udpPort);
      await within(() => stack.transport.stats().received > before.received, 5000);
      await alive(n);
      const after = stack.transport.stats();
      assert.equal(after.parseErrors, before.parseErrors + 1, `${kind.label} over UDP: a parse error`);
      const reply = answered(udp.received, callId);
      if (kind.answer) assert.match(reply ?? '', /^SIP\/2\.0 4\d\d /, `${kind.label} over UDP: answered 4xx`);
      else assert.equal(reply, undefined, `${kind.label} over UDP: nothing to build a response from, dropped`);

      // TCP: the same 65,000 bytes (framed; the parser refuses it), then a 64 KiB + 1 value that
      // the framer refuses on its own, each followed at once by an OPTIONS on the same connection.
      // Responses on a connection keep the order of the requests, so either the connection is
      // closed, or a 4xx (when one can be built) comes back before the OPTIONS' 200.
      const seen: string[] = [reply ? `UDP ${statusOf(reply)}` : 'UDP dropped'];
      for (const total of [65_000, 66_000]) {
        const tcpCallId = `big-tcp-${n}-${total}@big`;
        const conn = await TcpPeer.open(tcpPort);
        conn.write(giant(kind, total, `SIP/2.0/TCP 127.0.0.1:${sink.port};branch=z9hG4bKbigtcp${n}x${total}`, tcpCallId, tcpPort));
        conn.write(options(`after-${n}-${total}@big`, `SIP/2.0/TCP 127.0.0.1:${sink.port};branch=z9hG4bKafter${n}x${total}`, tcpPort));
        const settled = await within(() => conn.closed || /\r\nCall-ID: after-/.test(conn.text()), 5000);
        assert.ok(settled, `${kind.label} over TCP (${total}): closed or still answering`);
        const text = conn.text();
        const first = statusOf(text);
        if (conn.closed) {
          assert.equal(text, '', `${kind.label} over TCP (${total}): closed without a response`);
          seen.push(`TCP ${total}: closed`);
        } else if (kind.answer && total === 65_000) {
          assert.match(text, /^SIP\/2\.0 4\d\d /, `${kind.label} over TCP (${total}): 4xx first`);
          assert.equal(callIdOf(text), tcpCallId);
          assert.match(text, /\r\n\r\nSIP\/2\.0 200 /, `${kind.label} over TCP (${total}): then the OPTIONS' 200`);
          seen.push(`TCP ${total}: ${first}`);
        } else {
          assert.equal(kind.answer, false, `${kind.label} over TCP (${total}): silence only when no response can be built`);
          assert.equal(first, 200, `${kind.label} over TCP (${total}): dropped, the OPTIONS after it answered`);
          seen.push(`TCP ${total}: dropped`);
        }
        conn.destroy();
      }
      outcomes.push(`${kind.label}: ${seen.join(', ')}`);
    }
    t.diagnostic(outcomes.join('; '));
    await alive(0);
    assert.equal(incoming, 0, 'no oversized request reached the UA');
    // UDP probes wait out Timer J; TCP ones end at once (§17.2.2): nothing else made a transaction.
    assert.ok(stack.ua.transactions.size.servers <= bigKinds.length + 1, 'only the OPTIONS probes made transactions');
    assert.deepEqual(traps.escaped, []);
  } finally {
    traps.stop();
    await udp.close();
    await sink.close();
    await stack.stop();
  }
});
