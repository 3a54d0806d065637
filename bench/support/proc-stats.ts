/**
 * CPU time and memory of a process (and its descendants) from Linux procfs: `/proc/<pid>/stat`
 * utime+stime (all threads; clock ticks), `/proc/<pid>/status` VmRSS / VmHWM / RssAnon, and per
 * thread `/proc/<pid>/task/<tid>/schedstat` (run time in ns, exact rather than tick-sampled) with
 * `voluntary_ctxt_switches` (how often the thread went to sleep, i.e. its wake-ups).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** USER_HZ: clock ticks per second of utime/stime. */
const TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
/** Fields of /proc/<pid>/stat after the `(comm)` field, 0-based: state is 0, utime 11, stime 12. */
const STAT_UTIME = 11;
const STAT_STIME = 12;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The process and every live descendant (via /proc/<pid>/task/<tid>/children). */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${out[i]}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      const kids = read(`/proc/${out[i]}/task/${tid}/children`)?.trim();
      if (kids) for (const k of kids.split(/\s+/)) out.push(Number(k));
    }
  }
  return out;
}

/** CPU seconds (user + system, all threads) used so far by the process tree. */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    const stat = read(`/proc/${p}/stat`);
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[STAT_UTIME]) + Number(fields[STAT_STIME]);
  }
  return ticks / TICKS_PER_S;
}

/** A `VmXXX:`/`RssXXX:` line of /proc/<pid>/status in MB, summed over the tree (0 when gone). */
export function statusMb(pid: number, key: 'VmRSS' | 'VmHWM' | 'RssAnon'): number {
  let kb = 0;
  for (const p of processTree(pid)) {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(read(`/proc/${p}/status`) ?? '');
    if (m) kb += Number(m[1]);
  }
  return kb / 1024;
}

/** One thread's counters: run time (ns, schedstat) and voluntary context switches (wake-ups). */
interface ThreadCounters { name: string; runNs: number; wakeups: number }

/** Every thread of the process tree, by `pid/tid`. */
export function threadCounters(pid: number): Map<string, ThreadCounters> {
  const out = new Map<string, ThreadCounters>();
  for (const p of processTree(pid)) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      const base = `/proc/${p}/task/${tid}`;
      const stat = read(`${base}/stat`);
      const sched = read(`${base}/schedstat`);
      const status = read(`${base}/status`);
      if (!stat || !sched || !status) continue;
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const wakeups = Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      out.set(`${p}/${tid}`, { name, runNs: Number(sched.split(' ')[0]), wakeups });
    }
  }
  return out;
}

/** Per thread name (threads of one name summed): % of one core and wake-ups per second. */
export type ThreadFigures = Record<string, { cpuPercent: number; wakeupsPerS: number }>;

function threadDelta(from: Map<string, ThreadCounters>, to: Map<string, ThreadCounters>, windowS: number): ThreadFigures {
  const out: ThreadFigures = {};
  for (const [key, b] of to) {
    const a = from.get(key) ?? { runNs: 0, wakeups: 0 };
    const row = (out[b.name] ??= { cpuPercent: 0, wakeupsPerS: 0 });
    row.cpuPercent += (100 * (b.runNs - a.runNs)) / 1e9 / windowS;
    row.wakeupsPerS += (b.wakeups - a.wakeups) / windowS;
  }
  return out;
}

/** Samples RSS periodically; `cpuPercent` over a window opened with `mark()`. */
export class ProcessMeter {
  private timer: NodeJS.Timeout | undefined;
  maxRssMb = 0;
  /** Private (anonymous) part of RSS, max: RSS without the shared executable and library pages. */
  maxAnonMb = 0;
  private markCpu = 0;
  private markAt = 0;
  private markThreads = new Map<string, ThreadCounters>();

  constructor(readonly pid: number, intervalMs = 250) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    this.maxRssMb = Math.max(this.maxRssMb, statusMb(this.pid, 'VmRSS'));
    this.maxAnonMb = Math.max(this.maxAnonMb, statusMb(this.pid, 'RssAnon'));
  }

  /** Starts the CPU window. */
  mark(): void {
    this.markCpu = cpuSeconds(this.pid);
    this.markThreads = threadCounters(this.pid);
    this.markAt = performance.now();
  }

  /**
   * Since mark(): run time from schedstat (% of one core, exact) and wake-ups per second, in
   * total and per thread name (MainThread, the media WorkerThread, V8 and libuv helpers).
   */
  threadsSinceMark(): { cpuPercent: number; wakeupsPerS: number; threads: ThreadFigures } {
    const windowS = (performance.now() - this.markAt) / 1000;
    const threads = threadDelta(this.markThreads, threadCounters(this.pid), windowS);
    let cpuPercent = 0;
    let wakeupsPerS = 0;
    for (const t of Object.values(threads)) {
      cpuPercent += t.cpuPercent;
      wakeupsPerS += t.wakeupsPerS;
    }
    return { cpuPercent, wakeupsPerS, threads };
  }

  /** CPU used since mark(), in % of one core; and the window, s. */
  cpuSinceMark(): { percent: number; windowS: number } {
    const windowS = (performance.now() - this.markAt) / 1000;
    return { percent: (100 * (cpuSeconds(this.pid) - this.markCpu)) / windowS, windowS };
  }

  /** Peak RSS the kernel recorded for the process tree (includes start-up). */
  peakRssMb(): number {
    return statusMb(this.pid, 'VmHWM');
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
