/** sipp runs (built-in `uac`/`uas` scenarios or an XML file) on loopback, tracked by PID. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePortRange } from './ports.js';
import { requireBinary, spawnManaged, type ManagedProcess } from './process.js';

export interface SippOptions {
  /** 'uac' | 'uas' (sipp built-ins) or a path to a scenario XML. */
  scenario: 'uac' | 'uas' | string;
  /** The test's temp dir (sipp runs there; logs land there). */
  dir: string;
  /** Local SIP port (`-p`). */
  localPort: number;
  /** Local address for SIP and media (`-i`, `-mi`; default 127.0.0.1): 127.0.0.2 etc. play another host. */
  localIp?: string;
  /** Remote host:port; required for a UAC. */
  remote?: string;
  /** Calls to make/accept before exiting (`-m`, default 1). */
  calls?: number;
  /** Local media port (`-mp`); default: a free run of 4 ports. */
  mediaPort?: number;
  /** Global timeout in seconds (`-timeout`, default 20): sipp exits with an error afterwards. */
  timeoutSec?: number;
  extraArgs?: string[];
}

export interface SippResult {
  /** sipp's exit code: 0 all calls succeeded, 1 some failed, 97/99 no calls, 255 fatal. */
  code: number;
  /** stdout/stderr plus the -trace_err error log. */
  log: string;
}

export interface SippRun {
  done: Promise<SippResult>;
  stop(): Promise<void>;
}

export function runSipp(opts: SippOptions): SippRun {
  requireBinary('sipp', 'sip-tester');
  const builtin = opts.scenario === 'uac' || opts.scenario === 'uas';
  if (!builtin && !existsSync(opts.scenario)) throw new Error(`runSipp: scenario file not found: ${opts.scenario}`);
  const name = builtin ? opts.scenario : 'scenario';
  let proc: ManagedProcess | undefined;
  let stopped = false;

  const done = (async (): Promise<SippResult> => {
    const mediaPort = opts.mediaPort ?? await freePortRange(4);
    const args = [
      ...(opts.remote ? [opts.remote] : []),
      ...(builtin ? ['-sn', opts.scenario] : ['-sf', opts.scenario]),
      '-i', opts.localIp ?? '127.0.0.1', '-p', String(opts.localPort),
      '-mi', opts.localIp ?? '127.0.0.1', '-mp', String(mediaPort),
      '-m', String(opts.calls ?? 1),
      '-nostdin', '-trace_err', '-timeout', `${opts.timeoutSec ?? 20}s`, '-timeout_error',
      ...(opts.extraArgs ?? []),
    ];
    if (stopped) return { code: -1, log: 'stopped before start' };
    proc = spawnManaged('sipp', args, { name: `sipp-${name}-${opts.localPort}`, dir: opts.dir });
    const exit = await proc.exited;
    const errLogs = readdirSync(opts.dir).filter((f) => f.endsWith('_errors.log') && f.includes(String(proc!.pid)));
    const errText = errLogs.map((f) => readFileSync(join(opts.dir, f), 'utf8')).join('\n');
    return { code: exit.code ?? -1, log: proc.log() + (errText ? `\n--- errors ---\n${errText}` : '') };
  })();

  return {
    done,
    async stop() {
      stopped = true;
      await proc?.stop();
    },
  };
}
