/**
 * Runs the real `softphone` CLI (`node bin/softphone.js … --json`) with its pid exposed for procfs
 * figures: ours, or a frozen snapshot's (bench/support/snapshot.ts) for before/after figures.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'softphone.js');

export type CliEvent = Record<string, unknown> & { event: string };

export interface CliOptions {
  /** The CLI entry to run (default: this repository's bin/softphone.js). */
  bin?: string;
  /** Node flags before the script (e.g. `--trace-gc`). */
  nodeArgs?: string[];
  /** Keep stdin open for commands (`send`). */
  stdin?: boolean;
}

export interface CliProcess {
  pid: number;
  events: CliEvent[];
  /** stdout lines that are not JSON events (e.g. `--trace-gc` output). */
  lines: string[];
  waitEvent(match: (e: CliEvent) => boolean, what: string, timeoutMs?: number): Promise<CliEvent>;
  exited: Promise<number | null>;
  /** One stdin command line (with `stdin: true`). */
  send(line: string): void;
  stop(): Promise<void>;
}

export function startCli(args: string[], o: CliOptions = {}): CliProcess {
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), o.bin ?? BIN, ...args, '--json'], { stdio: [o.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  const events: CliEvent[] = [];
  const lines: string[] = [];
  let stderr = '';
  let pending = '';
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve((code = c))));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (line.startsWith('{')) events.push(JSON.parse(line) as CliEvent);
      else if (line) lines.push(line);
    }
  });
  return {
    pid: child.pid!,
    events,
    lines,
    async waitEvent(match, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        if (code !== undefined || Date.now() > deadline) {
          throw new Error(`softphone: no ${what} (exit ${code})\n${events.map((e) => JSON.stringify(e)).join('\n')}\n${stderr.slice(-2000)}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    exited,
    send(line) {
      child.stdin?.write(`${line}\n`);
    },
    async stop() {
      if (code === undefined) child.kill('SIGTERM');
      await exited;
    },
  };
}
