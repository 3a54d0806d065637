/**
 * Idle cost beside baresip 1.0 (figures, not pass/fail): a registered phone with no call, over a
 * window (default 60 s): CPU % of one core (all threads and children; schedstat run time, exact,
 * and tick-sampled utime+stime), wake-ups per second (voluntary context switches), RSS and its
 * private part. Ours as the CLI (`softphone listen`) and as the web host (`softphone web`);
 * baresip registered to the same Kamailio; `--baseline DIR` adds a frozen earlier CLI
 * (bench/support/snapshot.ts) in the same window. Also the time from starting `softphone web` to
 * a usable page (the Number field shown in headless Chromium). Run alone:
 *   node --import tsx bench/idle.ts [--seconds N] [--runs N] [--baseline DIR] [--bin FILE]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startBaresip, startKamailio, testScope } from '../tests/interop/harness/index.js';
import { ProcessMeter, statusMb, type ThreadFigures } from './support/proc-stats.js';
import { startSoftphone, type Softphone } from '../tests/support/softphone-process.js';
import { baresipPid } from './support/call-figures.js';
import { rendererDir } from '../src-main/core/paths.js';
import { softphoneBin } from './support/snapshot.js';
import { median } from './support/median.js';

const argSeconds = process.argv.indexOf('--seconds');
const SECONDS = argSeconds > 0 ? Number(process.argv[argSeconds + 1]) : 60;
const argRuns = process.argv.indexOf('--runs');
const RUNS = argRuns > 0 ? Number(process.argv[argRuns + 1]) : 1;
const argBaseline = process.argv.indexOf('--baseline');
const BASELINE = argBaseline > 0 ? process.argv[argBaseline + 1] : undefined;
const argBin = process.argv.indexOf('--bin');
/** Our CLI (a snapshot's bin/softphone.js; default this repository's). */
const BIN = argBin > 0 ? process.argv[argBin + 1] : undefined;
const GOAL_IDLE_CPU = 0.05;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface IdleFigures { cpuPercent: number; runPercent: number; wakeupsPerS: number; threads: ThreadFigures; rssMb: number; anonMb: number }

async function idleOf(pid: number): Promise<IdleFigures> {
  // Sampled once at the end only: a sampling timer would not wake the measured process, but
  // keeps the numbers simple to read.
  const meter = new ProcessMeter(pid, 3_600_000);
  await sleep(3000); // settle after registration
  meter.mark();
  await sleep(SECONDS * 1000);
  const threads = meter.threadsSinceMark();
  const cpu = meter.cpuSinceMark();
  meter.stop();
  return {
    cpuPercent: cpu.percent, runPercent: threads.cpuPercent, wakeupsPerS: threads.wakeupsPerS, threads: threads.threads,
    rssMb: statusMb(pid, 'VmRSS'), anonMb: statusMb(pid, 'RssAnon'),
  };
}

/** `softphone web`: ms to the web-ready line, and to the Number field visible in Chromium. */
async function webStartup(dir: string): Promise<{ readyMs: number; usableMs: number }> {
  const started = performance.now();
  const web = startSoftphone(['web', '--null-audio', '--data-dir', join(dir, 'web-startup'), '--bind-address', '127.0.0.1'], { stdin: false });
  try {
    const ready = await web.waitEvent((e) => e.event === 'web-ready', 'web-ready', 30_000);
    const readyMs = performance.now() - started;
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      await page.goto(String(ready.url));
      await page.getByRole('textbox', { name: 'Number' }).waitFor({ timeout: 30_000 });
      return { readyMs, usableMs: performance.now() - started };
    } finally {
      await browser.close();
    }
  } finally {
    await web.stop();
  }
}

export async function run(): Promise<void> {
  const scope = testScope();
  try {
    const kamailio = scope.use(await startKamailio({ dir: scope.dir }));
    const domain = `127.0.0.1:${kamailio.udpPort}`;
    const account = (user: string) => ['--id', `sip:${user}@${domain}`, '--password', `pw${user}`, '--registrar', `sip:${domain}`];
    const registered = async (cli: Softphone) => {
      const reg = await cli.waitEvent((e) => e.event === 'registration', 'registration');
      if (reg.state !== 'registered') throw new Error(`registration: ${JSON.stringify(reg)}`);
    };

    const processes: Array<[string, () => Promise<number>]> = [];
    const listen = async (user: string, bin?: string) => {
      const cli = scope.use(startSoftphone(['listen', ...account(user), '--null-audio'], { stdin: false, ...(bin ? { bin } : {}) }));
      await registered(cli);
      return cli.pid;
    };
    if (BASELINE) processes.push(['softphone listen, before', () => listen('1004', softphoneBin(BASELINE))]);
    processes.push(['softphone listen', () => listen('1001', BIN)]);
    processes.push(['softphone web', async () => {
      const web = scope.use(startSoftphone(['web', ...account('1003'), '--null-audio', '--data-dir', join(scope.dir, 'web')], { stdin: false, ...(BIN ? { bin: BIN } : {}) }));
      await registered(web);
      return web.pid;
    }]);
    processes.push(['baresip 1.0 (same run)', async () => {
      const baresip = scope.use(await startBaresip({ dir: scope.dir, user: '1002', password: 'pw1002', registrar: { host: '127.0.0.1', port: kamailio.udpPort, transport: 'udp' } }));
      return baresipPid(baresip.dir);
    }]);
    const pids: number[] = [];
    for (const [, start] of processes) pids.push(await start());
    const results: IdleFigures[][] = processes.map(() => []);
    for (let r = 0; r < RUNS; r++) {
      const figures = await Promise.all(pids.map((pid) => idleOf(pid)));
      figures.forEach((f, i) => results[i]!.push(f));
    }

    console.log(`idle, registered, ${SECONDS} s window × ${RUNS} (median [min–max]; CPU % of one core; goal ≤ ${GOAL_IDLE_CPU}%):`);
    console.table(Object.fromEntries(processes.map(([name], i) => [name, row(results[i]!)])));
    console.log('per thread (median):');
    console.table(Object.fromEntries(processes.flatMap(([name], i) => threadRows(name, results[i]!))));
    if (existsSync(join(rendererDir(), 'index.html'))) {
      const s = await webStartup(scope.dir);
      console.log(`softphone web start-up: web-ready after ${s.readyMs.toFixed(0)} ms, Number field usable in Chromium after ${s.usableMs.toFixed(0)} ms`);
    } else {
      console.log('softphone web start-up: not measured (renderer not built: npm run build)');
    }
  } finally {
    await scope.cleanup();
  }
}

function spread(values: number[], digits: number): string {
  const m = median(values).toFixed(digits);
  return values.length < 2 ? m : `${m} [${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}]`;
}

function row(f: IdleFigures[]): Record<string, string> {
  return {
    'CPU % (schedstat)': spread(f.map((x) => x.runPercent), 3), 'CPU % (ticks)': spread(f.map((x) => x.cpuPercent), 3),
    'wake-ups/s': spread(f.map((x) => x.wakeupsPerS), 2), 'RSS MB': spread(f.map((x) => x.rssMb), 1), 'private MB': spread(f.map((x) => x.anonMb), 1),
  };
}

function threadRows(name: string, f: IdleFigures[]): Array<[string, Record<string, string>]> {
  const threads = new Set(f.flatMap((x) => Object.keys(x.threads)));
  return [...threads].map((t): [string, Record<string, string>] => [`${name}: ${t}`, {
    'CPU %': median(f.map((x) => x.threads[t]?.cpuPercent ?? 0)).toFixed(4),
    'wake-ups/s': median(f.map((x) => x.threads[t]?.wakeupsPerS ?? 0)).toFixed(2),
  }]).filter(([, r]) => Number(r['CPU %']) > 0 || Number(r['wake-ups/s']) > 0);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
