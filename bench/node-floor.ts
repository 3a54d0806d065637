/**
 * What a media worker costs in Node before any media work (figures, not pass/fail): a child
 * `node` process runs a worker thread that does only the skeleton of a call's media path, and its
 * threads are measured like the CLI's (schedstat run time, % of one core; voluntary context
 * switches as wake-ups; RssAnon). Scenarios, each adding to the one before:
 *   - idle worker: a worker thread that waits (a message port open, nothing else);
 *   - 50 Hz tick: an absolute-schedule 20 ms setTimeout, as the paced file devices use;
 *   - + RTP echo: each tick sends one 172-byte datagram to the worker's own UDP socket, which
 *     receives it (one send and one receive per 20 ms: the packets of a PCMU echo-test);
 *   - + postMessage: and posts a small object to the main thread every 100 ms (level reports).
 * Side by side with the CLI's PCMU echo-test (bench/echo-cpu.ts) it tells the part of a call's
 * CPU that is Node's own (timers, libuv, dgram, V8) from the part our code could still remove.
 *
 *   node --import tsx bench/node-floor.ts [--seconds 20] [--runs 3]
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { median } from './support/median.js';
import { ProcessMeter, statusMb } from './support/proc-stats.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const argNum = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = argNum('--seconds', 20);
const RUNS = argNum('--runs', 3);

/** The worker's body per scenario level (0 idle, 1 tick, 2 + RTP echo, 3 + postMessage). */
const workerBody = (level: number) => `
const { parentPort } = require('node:worker_threads');
const dgram = require('node:dgram');
parentPort.on('message', () => {});
const level = ${level};
if (level >= 1) {
  const sock = level >= 2 ? dgram.createSocket({ type: 'udp4', lookup: (a, o, cb) => cb(null, a, 4) }) : undefined;
  const packet = Buffer.alloc(172);
  let port = 0;
  if (sock) { sock.on('message', () => {}); sock.bind(0, '127.0.0.1', () => { port = sock.address().port; }); }
  const start = performance.now();
  let n = 0;
  const tick = () => {
    n++;
    if (sock && port) sock.send(packet, port, '127.0.0.1');
    if (level >= 3 && n % 5 === 0) parentPort.postMessage({ type: 'level', inputDb: -20 - (n % 7), outputDb: -30 });
    setTimeout(tick, Math.max(0, start + (n + 1) * 20 - performance.now()));
  };
  setTimeout(tick, 20);
}`;

const childScript = (level: number) => `
const { Worker } = require('node:worker_threads');
const w = new Worker(${JSON.stringify(workerBody(level))}, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 3 } });
w.on('message', () => {});
process.stdout.write('ready\\n');
setTimeout(() => process.exit(0), ${(SECONDS + 10) * 1000});`;

interface Figures { cpu: number; worker: number; wakeups: number; anonMb: number }

async function measure(level: number): Promise<Figures> {
  const child = spawn(process.execPath, ['--max-semi-space-size=1', '-e', childScript(level)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const meter = new ProcessMeter(child.pid!, 500);
  try {
    await sleep(3000);
    meter.mark();
    await sleep(SECONDS * 1000);
    const t = meter.threadsSinceMark();
    const worker = Object.entries(t.threads).filter(([name]) => name.startsWith('WorkerThread')).reduce((s, [, f]) => s + f.cpuPercent, 0);
    return { cpu: t.cpuPercent, worker, wakeups: t.wakeupsPerS, anonMb: statusMb(child.pid!, 'RssAnon') };
  } finally {
    meter.stop();
    child.kill();
  }
}

const names = ['idle worker', '50 Hz tick', '+ RTP echo (1 send, 1 receive / 20 ms)', '+ postMessage every 100 ms'];
const rows: Figures[][] = names.map(() => []);
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${RUNS} runs of ${SECONDS} s`);
for (let r = 0; r < RUNS; r++) {
  for (let level = 0; level < names.length; level++) rows[level]!.push(await measure(level));
  console.log(`run ${r + 1}/${RUNS} done; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}
const cell = (v: number[], d: number) => `${median(v).toFixed(d)} [${Math.min(...v).toFixed(d)}–${Math.max(...v).toFixed(d)}]`;
const table: Record<string, Record<string, string>> = {};
names.forEach((name, i) => {
  const r = rows[i]!;
  table[name] = {
    'process CPU %': cell(r.map((x) => x.cpu), 3), 'worker thread %': cell(r.map((x) => x.worker), 3),
    'wake-ups/s': cell(r.map((x) => x.wakeups), 0), 'RssAnon MB': cell(r.map((x) => x.anonMb), 1),
  };
});
console.log('bare Node worker, median [min–max]:');
console.table(table);
