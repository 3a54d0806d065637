/**
 * One measured call through Kamailio to an auto-answering baresip: the caller is our CLI or a
 * second baresip in the same role (both send the same WAV and record what they hear). Figures are
 * taken over the steady part of the call: CPU (% of one core, all threads and children), RSS, and
 * the caller's RTP send intervals captured on loopback.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeUdpTcpPort, startBaresip, type Kamailio } from '../../tests/interop/harness/index.js';
import { startSoftphone } from '../../tests/support/softphone-process.js';
import { readPcapUdp } from './pcap.js';
import { ProcessMeter, type ThreadFigures } from './proc-stats.js';
import { intervalStats, rtpStreams, startCapture, type IntervalStats } from './rtp-capture.js';

export interface CallFigures {
  /** utime+stime of the process tree (clock ticks), % of one core over the steady window. */
  cpuPercent: number;
  /** Run time from schedstat (exact), % of one core, and wake-ups per second; per thread name too. */
  runPercent: number;
  wakeupsPerS: number;
  threads: ThreadFigures;
  windowS: number;
  maxRssMb: number;
  maxAnonMb: number;
  peakRssMb: number;
  /** Send intervals in the steady window, and over the whole call. */
  steady: IntervalStats;
  whole: IntervalStats;
}

export interface CallPlan {
  dir: string;
  kamailio: Kamailio;
  /** Callee (1010) URI through Kamailio. */
  callee: string;
  /** Our CLI codec name and the same codec in baresip's `audio_codecs` syntax. */
  ours: string;
  theirs: string;
  sendWav: string;
  /** What our CLI plays: a short tone it loops. The file device holds its file in memory and
   * baresip's aufile streams, so a long file would count the bench's file, not the phone. */
  loopWav: string;
  /** Extra flags for our CLI's call (e.g. the microphone processing). */
  args?: string[];
  seconds: number;
  /** Our CLI entry (a snapshot's for before/after figures); default this repository's. */
  bin?: string;
  /** Skipped at the start and end of the call before/after the steady window. */
  warmupS: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits through the steady window of a call that has just been answered. */
async function steadyWindow(plan: CallPlan, meter: ProcessMeter) {
  await sleep(plan.warmupS * 1000);
  meter.mark();
  const fromMs = Date.now();
  await sleep((plan.seconds - 2 * plan.warmupS) * 1000);
  const threads = meter.threadsSinceMark();
  const cpu = meter.cpuSinceMark();
  return { fromMs, toMs: Date.now(), cpu, threads };
}

function figures(meter: ProcessMeter, cap: string, ports: (p: number) => boolean, w: Awaited<ReturnType<typeof steadyWindow>>, peakRssMb: number): CallFigures {
  const stream = rtpStreams(cap, ports)[0];
  if (!stream) {
    const seen = [...new Set(readPcapUdp(cap).map((d) => `${d.srcPort}→${d.dstPort}`))].slice(0, 12);
    throw new Error(`no RTP from the caller's ports in ${cap}; UDP flows captured: ${seen.join(', ') || 'none'}`);
  }
  return {
    cpuPercent: w.cpu.percent, runPercent: w.threads.cpuPercent, wakeupsPerS: w.threads.wakeupsPerS, threads: w.threads.threads,
    windowS: w.cpu.windowS, maxRssMb: meter.maxRssMb, maxAnonMb: meter.maxAnonMb, peakRssMb,
    steady: intervalStats(stream.timesMs, w.fromMs, w.toMs), whole: intervalStats(stream.timesMs),
  };
}

/** Our CLI calls the callee for `plan.seconds`. */
export async function measureOurCall(plan: CallPlan): Promise<CallFigures> {
  const rtpPort = await freeUdpTcpPort(2);
  const cap = await startCapture(join(plan.dir, `ours-${plan.ours}-${Date.now()}.pcap`), `udp src port ${rtpPort}`);
  const domain = `127.0.0.1:${plan.kamailio.udpPort}`;
  const cli = startSoftphone(['call', plan.callee, '--id', `sip:1001@${domain}`, '--password', 'pw1001', '--registrar', `sip:${domain}`,
    '--codecs', plan.ours, '--play-file', plan.loopWav, '--rec-file', join(plan.dir, `ours-${plan.ours}-heard.wav`),
    '--rtp-port', String(rtpPort), '--duration', String(plan.seconds), ...(plan.args ?? [])], { stdin: false, ...(plan.bin ? { bin: plan.bin } : {}) });
  const meter = new ProcessMeter(cli.pid);
  try {
    await cli.waitEvent((e) => e.event === 'call' && e.state === 'confirmed', 'confirmed call');
    const w = await steadyWindow(plan, meter);
    const peak = meter.peakRssMb();
    await cli.waitEvent((e) => e.event === 'stats', 'stats', plan.warmupS * 1000 + 10_000);
    await cli.exited;
    meter.stop();
    await cap.stop();
    return figures(meter, cap.file, (p) => p === rtpPort, w, peak);
  } finally {
    meter.stop();
    await cli.stop();
    await cap.stop();
  }
}

export function baresipPid(dir: string): number {
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      if (argv[0]?.endsWith('baresip') && argv.includes(dir)) return Number(p);
    } catch {
      // gone
    }
  }
  throw new Error(`baresip for ${dir} not found in /proc`);
}

/** A second baresip (1001) calls the callee the same way. */
export async function measureBaresipCall(plan: CallPlan): Promise<CallFigures> {
  const caller = await startBaresip({
    dir: plan.dir, user: '1001', password: 'pw1001', codecs: plan.theirs, audioFile: plan.sendWav,
    registrar: { host: plan.kamailio.host, port: plan.kamailio.udpPort, transport: 'udp' },
  });
  const range = /^rtp_ports\s+(\d+)-(\d+)/m.exec(readFileSync(join(caller.dir, 'config'), 'utf8'));
  if (!range) throw new Error('baresip config has no rtp_ports');
  const [lo, hi] = [Number(range[1]), Number(range[2])];
  const cap = await startCapture(join(plan.dir, `baresip-${plan.ours}-${Date.now()}.pcap`), `udp src portrange ${lo}-${hi}`);
  const meter = new ProcessMeter(baresipPid(caller.dir));
  try {
    const from = caller.events().length;
    await caller.dial(plan.callee);
    await caller.waitForEvent('CALL_ESTABLISHED', 15_000, { from });
    const w = await steadyWindow(plan, meter);
    await sleep(plan.warmupS * 1000);
    const peak = meter.peakRssMb();
    await caller.hangup();
    await caller.waitForEvent('CALL_CLOSED', 5000, { from });
    meter.stop();
    await cap.stop();
    return figures(meter, cap.file, (p) => p >= lo && p <= hi, w, peak);
  } finally {
    meter.stop();
    await cap.stop();
    await caller.stop();
  }
}
