/** Spawn peers in their own process group with output to a log file; stop by group; kill all at exit. */
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SpawnOptions {
  /** Short name used in messages and as the default log file name. */
  name: string;
  /** Folder for the log file (the test's temp dir). */
  dir: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Defaults to `<dir>/<name>.log`. */
  logFile?: string;
}

export interface ExitInfo { code: number | null; signal: NodeJS.Signals | null }

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the group leader exits. */
  readonly exited: Promise<ExitInfo>;
  /** Set once the leader has exited. */
  exitInfo(): ExitInfo | undefined;
  log(): string;
  tail(lines?: number): string;
  /** SIGTERM the whole group, then SIGKILL after `graceMs`; resolves when no member is left. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ManagedProcess>();

function groupAlive(pid: number): boolean {
  try { process.kill(-pid, 0); return true; } catch { return false; }
}
function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(-pid, sig); } catch { /* already gone */ }
}
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function readLog(file: string): string {
  try { return readFileSync(file, 'utf8'); } catch { return ''; }
}
export function tailOf(text: string, lines = 30): string {
  return text.split('\n').slice(-lines).join('\n');
}

/** Throws a clear error when `bin` is not on PATH, naming the Debian package to install. */
export function requireBinary(bin: string, debPackage: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'pipe' });
  } catch {
    throw new Error(`'${bin}' not found on PATH: install the Debian package '${debPackage}' (see .ci/run)`);
  }
}

export function spawnManaged(cmd: string, args: string[], opts: SpawnOptions): ManagedProcess {
  const logFile = opts.logFile ?? join(opts.dir, `${opts.name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, {
    cwd: opts.cwd ?? opts.dir,
    env: opts.env ?? process.env,
    stdio: ['ignore', fd, fd],
    detached: true, // own process group: stop() signals -pid
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`${opts.name}: failed to spawn ${cmd}`);
  const pid = child.pid;
  let info: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => { info = { code, signal }; resolve(info); });
    child.once('error', (err) => {
      info = { code: -1, signal: null };
      resolve(info);
      void err;
    });
  });
  let stopping: Promise<void> | undefined;
  const proc: ManagedProcess = {
    name: opts.name,
    pid,
    logFile,
    exited,
    exitInfo: () => info,
    log: () => readLog(logFile),
    tail: (lines = 30) => tailOf(readLog(logFile), lines),
    stop(graceMs = 3000) {
      stopping ??= (async () => {
        signalGroup(pid, 'SIGTERM');
        const deadline = Date.now() + graceMs;
        while (groupAlive(pid) && Date.now() < deadline) await sleep(25);
        if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
        for (let i = 0; i < 100 && groupAlive(pid); i++) await sleep(20);
        live.delete(proc);
      })();
      return stopping;
    },
  };
  live.add(proc);
  void exited.then(() => { if (!groupAlive(pid)) live.delete(proc); });
  return proc;
}

/** Stops every process started here that is still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop(1000)));
}

// Last resort: never leave peers behind when the test process ends.
process.once('exit', () => { for (const p of live) signalGroup(p.pid, 'SIGKILL'); });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    for (const p of live) signalGroup(p.pid, 'SIGKILL');
    process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
  });
}

export interface WaitOptions {
  timeoutMs: number;
  /** What we are waiting for, used in the timeout message. */
  what: string;
  intervalMs?: number;
  /** Log text whose tail goes into the timeout message. */
  log?: () => string;
  /** Fails at once when this returns a message (e.g. the peer exited). */
  failIf?: () => string | undefined;
}

/** Polls `predicate` until it returns a truthy value; throws with the log tail on timeout. */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  opts: WaitOptions,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 50;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await predicate();
      if (v) return v as NonNullable<T>;
    } catch (e) { lastError = e; }
    const failure = opts.failIf?.();
    const timedOut = Date.now() >= deadline;
    if (failure !== undefined || timedOut) {
      const why = failure ?? `timed out after ${opts.timeoutMs} ms`;
      const last = lastError instanceof Error ? `\nlast error: ${lastError.message}` : '';
      const log = opts.log ? `\n--- log tail ---\n${tailOf(opts.log(), 40)}` : '';
      throw new Error(`waiting for ${opts.what}: ${why}${last}${log}`);
    }
    await sleep(interval);
  }
}

/** Fail-fast helper for `waitFor`: reports when a managed process has exited. */
export function exitedMessage(p: ManagedProcess): () => string | undefined {
  return () => {
    const i = p.exitInfo();
    return i ? `${p.name} exited early (code ${i.code}, signal ${i.signal})` : undefined;
  };
}

/** A fresh temp folder (short path: unix socket paths are limited to 108 bytes). */
export function makeTempDir(prefix = 'nimbus-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes a temp folder unless NIMBUS_KEEP_TMP is set (then its path is kept for inspection). */
export function removeTempDir(dir: string): void {
  if (process.env.NIMBUS_KEEP_TMP || !existsSync(dir)) return;
  rmSync(dir, { recursive: true, force: true });
}
