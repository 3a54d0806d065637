/**
 * CPU time and memory of a process (and its descendants) from Linux procfs: `/proc/<pid>/stat`
 * utime+stime (all threads; clock ticks) and `/proc/<pid>/status` VmRSS / VmHWM.
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

/** Samples RSS periodically; `cpuPercent` over a window opened with `mark()`. */
export class ProcessMeter {
  private timer: NodeJS.Timeout | undefined;
  maxRssMb = 0;
  /** Private (anonymous) part of RSS, max: RSS without the shared executable and library pages. */
  maxAnonMb = 0;
  private markCpu = 0;
  private markAt = 0;

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
    this.markAt = performance.now();
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
