/**
 * Drives the real `softphone` CLI as a child process, for interop tests and benches alike: flags
 * in, JSON-lines events out (typed by the CLI's own output module), stdin commands, the pid for
 * procfs figures, and the whole process group stopped by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliEvent } from '../../src-main/cli/output.js';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'softphone.js');

/** What `softphone web` prints when its page is up (src-main/web/run.ts), beside the CLI's events. */
type WebReadyEvent = { event: 'web-ready'; url: string; dataDir: string };

/** One line of `--json` output; fields beyond the CLI's types read as unknown. */
export type SoftphoneEvent = (CliEvent | WebReadyEvent) & Record<string, unknown>;

export interface Softphone {
  events: SoftphoneEvent[];
  /** stdout lines that are not JSON events (e.g. `--trace-gc` output). */
  lines: string[];
  /** stderr (and --sip-trace) text so far, with non-JSON stdout lines marked `[non-JSON stdout]`. */
  stderr(): string;
  /** Resolves with the first event (past or future) matching, or rejects after timeoutMs or on exit. */
  waitEvent(match: (e: SoftphoneEvent) => boolean, what: string, timeoutMs?: number): Promise<SoftphoneEvent>;
  /** One stdin command line (stdin is open unless `stdin: false`). */
  command(line: string): void;
  exited: Promise<number | null>;
  /** The CLI's process id. */
  pid: number;
  stop(): Promise<void>;
}

export interface SoftphoneOptions {
  /** Adds --sip-trace (SIP messages on stderr). */
  trace?: boolean;
  /** Environment for the process (default process.env), e.g. a headless PulseAudio's `env`. */
  env?: NodeJS.ProcessEnv;
  /** Run inside this network namespace (`ip netns exec`, which execs: the pid stays the CLI's). */
  netns?: string;
  /** The CLI entry to run (default: this repository's bin/softphone.js), e.g. a bench snapshot's. */
  bin?: string;
  /** Node flags before the script (e.g. `--trace-gc`). */
  nodeArgs?: string[];
  /** Keep stdin open for commands (default true); false gives the CLI an empty stdin. */
  stdin?: boolean;
}

export function startSoftphone(args: string[], opts: SoftphoneOptions = {}): Softphone {
  // Runs that are not about audio go without devices (CI machines have no sound card).
  const audio = args.some((a) => /^--(play-file|rec-file|null-audio|input-device|output-device)/.test(a)) ? [] : ['--null-audio'];
  const argv = [...(opts.nodeArgs ?? []), opts.bin ?? BIN, ...args, '--json', ...audio, ...(opts.trace ? ['--sip-trace'] : [])];
  const [cmd, cmdArgs] = opts.netns ? ['ip', ['netns', 'exec', opts.netns, process.execPath, ...argv]] : [process.execPath, argv];
  const child: ChildProcess = spawn(cmd, cmdArgs, {
    stdio: [opts.stdin === false ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    detached: true,
    env: opts.env ?? process.env,
  });
  const events: SoftphoneEvent[] = [];
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let err = '';
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (!line) continue;
      try {
        events.push(JSON.parse(line) as SoftphoneEvent);
      } catch {
        lines.push(line);
        err += `[non-JSON stdout] ${line}\n`; // tests assert that native code never writes there
      }
      for (const w of waiters) w();
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    exitCode = code; // before the waiters look: they fail at once instead of timing out
    for (const w of waiters) w();
    resolve(code);
  }));

  const describe = () => `events:\n${events.map((e) => JSON.stringify(e)).join('\n')}\n` +
    `stderr tail:\n${err.split('\n').slice(-60).join('\n')}`;
  return {
    events,
    lines,
    pid: child.pid!,
    stderr: () => err,
    waitEvent(match, what, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (found) {
            done();
            resolve(found);
          } else if (exitCode !== undefined) {
            done();
            reject(new Error(`softphone exited (${exitCode}) before ${what}\n${describe()}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${describe()}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    command(line) {
      child.stdin?.write(line + '\n');
    },
    exited,
    async stop() {
      if (exitCode !== undefined) return;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export const callState = (state: string, direction?: string) => (e: SoftphoneEvent) =>
  e.event === 'call' && e.state === state && (direction === undefined || e.direction === direction);
