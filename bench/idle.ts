/**
 * Idle cost beside baresip 1.0 (figures, not pass/fail): a registered phone with no call, over a
 * window (default 60 s): CPU % of one core (all threads and children), RSS and its private part.
 * Ours as the CLI (`softphone listen`) and as the web host (`softphone web`); baresip registered
 * to the same Kamailio. Also the time from starting `softphone web` to a usable page (the Number
 * field shown in headless Chromium). Run alone: `node --import tsx bench/idle.ts [--seconds N]`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startBaresip, startKamailio, testScope } from '../tests/interop/harness/index.js';
import { ProcessMeter, statusMb } from './support/proc-stats.js';
import { startCli, type CliProcess } from './support/cli-process.js';
import { baresipPid } from './support/call-figures.js';
import { rendererDir } from '../src-main/core/paths.js';

const argSeconds = process.argv.indexOf('--seconds');
const SECONDS = argSeconds > 0 ? Number(process.argv[argSeconds + 1]) : 60;
const GOAL_IDLE_CPU = 0.05;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface IdleFigures { cpuPercent: number; rssMb: number; anonMb: number }

async function idleOf(pid: number): Promise<IdleFigures> {
  const meter = new ProcessMeter(pid, 1000);
  await sleep(3000); // settle after registration
  meter.mark();
  await sleep(SECONDS * 1000);
  const cpu = meter.cpuSinceMark();
  meter.stop();
  return { cpuPercent: cpu.percent, rssMb: statusMb(pid, 'VmRSS'), anonMb: statusMb(pid, 'RssAnon') };
}

/** `softphone web`: ms to the web-ready line, and to the Number field visible in Chromium. */
async function webStartup(dir: string): Promise<{ readyMs: number; usableMs: number }> {
  const started = performance.now();
  const web = startCli(['web', '--null-audio', '--data-dir', join(dir, 'web-startup'), '--bind-address', '127.0.0.1']);
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
    const registered = async (cli: CliProcess) => {
      const reg = await cli.waitEvent((e) => e.event === 'registration', 'registration');
      if (reg.state !== 'registered') throw new Error(`registration: ${JSON.stringify(reg)}`);
    };

    const cli = scope.use(startCli(['listen', ...account('1001'), '--null-audio']));
    await registered(cli);
    const web = scope.use(startCli(['web', ...account('1003'), '--null-audio', '--data-dir', join(scope.dir, 'web')]));
    await registered(web);
    const baresip = scope.use(await startBaresip({ dir: scope.dir, user: '1002', password: 'pw1002', registrar: { host: '127.0.0.1', port: kamailio.udpPort, transport: 'udp' } }));
    const [ours, host, theirs] = await Promise.all([idleOf(cli.pid), idleOf(web.pid), idleOf(baresipPid(baresip.dir))]);

    console.log(`idle, registered, ${SECONDS} s window (CPU % of one core; goal ≤ ${GOAL_IDLE_CPU}%):`);
    console.table({
      'softphone listen': row(ours),
      'softphone web': row(host),
      'baresip 1.0 (same run)': row(theirs),
    });
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

function row(f: IdleFigures): Record<string, string> {
  return { 'CPU %': f.cpuPercent.toFixed(3), 'RSS MB': f.rssMb.toFixed(1), 'private MB': f.anonMb.toFixed(1) };
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
