/**
 * Parser benchmark: parse+serialize throughput of our parser against drachtio-srf's and SIP.js's
 * on the same corpus (printed as ratios), and the time each takes on one oversized
 * WWW-Authenticate or Via header (the regex parsers are superlinear there; ours is linear and,
 * at default limits, rejects on the size check). Run: node --import tsx bench/parse.ts
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { LoggerFactory, Parser } from 'sip.js/lib/core/index.js';
import { defaultLimits, parseMessage, serializeMessage, type ParseLimits } from '../src-main/sip/message/index.js';
import { generateMessages } from '../tests/unit/message/generate.js';
import { vector, vectorNames } from '../tests/unit/message/vectors.js';

const require = createRequire(import.meta.url);
const drachtio = require('drachtio-srf/lib/sip-parser/parser.js') as {
  parseSipMessage(data: Buffer, lazy: boolean): unknown;
  stringifySipMessage(m: unknown): string;
};
const loggerFactory = new LoggerFactory();
loggerFactory.builtinEnabled = false;
const logger = loggerFactory.getLogger('bench');

type Run = (data: Buffer) => void;

const parsers: Record<string, Run> = {
  ours: (d) => {
    const r = parseMessage(d);
    if (r.ok) serializeMessage(r.message);
  },
  'drachtio-srf': (d) => {
    const m = drachtio.parseSipMessage(d, false);
    try {
      if (m) drachtio.stringifySipMessage(m);
    } catch {
      // its stringifier throws on a few valid torture messages (e.g. a To it could not parse)
    }
  },
  // SIP.js has no serializer for incoming messages: parse only (flatters it).
  'sip.js (parse only)': (d) => {
    Parser.parseMessage(d.toString('utf8'), logger);
  },
};

function corpus(): Buffer[] {
  const out: Buffer[] = [];
  for (const set of ['rfc4475', 'rfc5118', 'rfc3261']) {
    for (const name of vectorNames(set)) {
      const d = vector(set, name);
      if (parseMessage(d).ok) out.push(d);
    }
  }
  for (const g of generateMessages(200, 5)) out.push(g.bytes);
  return out;
}

/** Messages per second over about `ms` milliseconds (after a warm-up pass). */
function throughput(run: Run, messages: Buffer[], ms = 1000): number {
  for (const m of messages) run(m);
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (const m of messages) run(m);
    n += messages.length;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

function oversized(kind: 'WWW-Authenticate' | 'Via', bytes: number): Buffer {
  const header = kind === 'Via'
    ? `Via: SIP/2.0/UDP h${' '.repeat(bytes)};`
    : `WWW-Authenticate: Digest ${'a'.repeat(bytes)}`;
  return Buffer.from('SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\n'
    + 'From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:a@127.0.0.1>;tag=2\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\n'
    + `${header}\r\nContent-Length: 0\r\n\r\n`);
}

function timeOnce(run: () => void): number {
  const start = performance.now();
  try {
    run();
  } catch {
    // a thrown parse error still counts as done
  }
  return performance.now() - start;
}

export interface ParseBenchResult {
  throughput: Record<string, number>;
  oversized: Array<{ parser: string; header: string; kib: number; ms: number }>;
}

export function run(log: (line: string) => void = console.log): ParseBenchResult {
  const messages = corpus();
  const result: ParseBenchResult = { throughput: {}, oversized: [] };
  log(`parse+serialize throughput, ${messages.length} messages (RFC 4475/5118/3261 vectors + generated)`);
  for (const [name, p] of Object.entries(parsers)) result.throughput[name] = throughput(p, messages);
  const ours = result.throughput['ours']!;
  for (const [name, rate] of Object.entries(result.throughput)) {
    log(`  ${name.padEnd(22)} ${Math.round(rate).toString().padStart(8)} msg/s   ours/${name} = ${(ours / rate).toFixed(2)}`);
  }
  const raised: ParseLimits = { ...defaultLimits, maxMessageBytes: 1 << 20, maxHeaderBytes: 128 * 1024 };
  const cases: Array<[string, number[], (d: Buffer) => void]> = [
    ['ours (default limits: rejected by size)', [64], (d) => parseMessage(d)],
    ['ours (limits raised: fully scanned)', [64], (d) => parseMessage(d, raised)],
    // Capped: the regex parser grows quadratically, 64 KiB would take seconds.
    ['drachtio-srf', [8, 16, 32], (d) => drachtio.parseSipMessage(d, false)],
    ['sip.js', [8, 16, 32, 64], (d) => Parser.parseMessage(d.toString('utf8'), logger)],
  ];
  log('one oversized header (time per message)');
  for (const header of ['WWW-Authenticate', 'Via'] as const) {
    for (const [parser, sizes, fn] of cases) {
      for (const kib of sizes) {
        const data = oversized(header, kib * 1024);
        timeOnce(() => fn(data)); // warm-up on the same input shape
        const ms = timeOnce(() => fn(data));
        result.oversized.push({ parser, header, kib, ms });
        log(`  ${header.padEnd(16)} ${String(kib).padStart(2)} KiB  ${parser.padEnd(40)} ${ms.toFixed(2)} ms`);
      }
    }
  }
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) run();
