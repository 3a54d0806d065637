/** Drives the real `softphone` CLI as a child process: flags in, JSON-lines events out, stdin commands. */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'softphone.js');

export type SoftphoneEvent = Record<string, unknown> & { event: string };

export interface Softphone {
  events: SoftphoneEvent[];
  /** stderr (and --sip-trace) text so far. */
  stderr(): string;
  /** Resolves with the first event (past or future) matching, or rejects after timeoutMs. */
  waitEvent(match: (e: SoftphoneEvent) => boolean, what: string, timeoutMs?: number): Promise<SoftphoneEvent>;
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
}

export function startSoftphone(args: string[], opts: SoftphoneOptions = {}): Softphone {
  // Tests that are not about audio run without devices (CI machines have no sound card).
  const audio = args.some((a) => /^--(play-file|rec-file|null-audio|input-device|output-device)/.test(a)) ? [] : ['--null-audio'];
  const argv = [bin, ...args, '--json', ...audio, ...(opts.trace ? ['--sip-trace'] : [])];
  const [cmd, cmdArgs] = opts.netns ? ['ip', ['netns', 'exec', opts.netns, process.execPath, ...argv]] : [process.execPath, argv];
  const child: ChildProcess = spawn(cmd, cmdArgs, {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    env: opts.env ?? process.env,
  });
  const events: SoftphoneEvent[] = [];
  const waiters = new Set<() => void>();
  let err = '';
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (!line.trim()) continue;
      try {
        events.push(JSON.parse(line) as SoftphoneEvent);
      } catch {
        err += `[non-JSON stdout] ${line}\n`;
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

  const describe = () => `events:\n${events.map((e) => JSON.stringify(e)).join('\n')}\nstderr tail:\n${err.split('\n').slice(-60).join('\n')}`;
  return {
    events,
    pid: child.pid!,
    stderr: () => err,
    waitEvent(match, what, timeoutMs = 10_000) {
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
      child.stdin!.write(line + '\n');
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
