/**
 * The phone under test: the real `softphone web` host (core + web host serving the built renderer)
 * as a child process, with a file microphone (our tone) and a file speaker (a recording), and
 * --sip-trace so tests can read the SDP that went on the wire. Built on the interop tests'
 * `startSoftphone` (JSON events on stdout, process group stopped by PID).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeToneWav, waitFor, type TestScope } from '../../interop/harness/index.js';
import { startSoftphone, type Softphone } from '../../support/softphone-process.js';
import { readWav, type MonoPcm } from '../../support/wav.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * The web host serves out/renderer: rebuild it (Vite, a few seconds) when any renderer source or
 * the contract it imports is newer, so the tests never judge a stale UI.
 */
export function ensureRendererBuilt(): void {
  const index = join(root, 'out', 'renderer', 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = Math.max(newestMtime(join(root, 'src-renderer')), newestMtime(join(root, 'src-main', 'contract')));
  if (sources <= built) return;
  execFileSync(process.execPath, [join(root, 'scripts', 'build-renderer.mjs')], { cwd: root, stdio: 'pipe' });
}

export interface WebPhoneOptions {
  /** The data folder (database, secrets): give the same one to a restarted host. */
  dataDir: string;
  /** Our microphone: a sine of this frequency (Hz, default none: silence is still sent). */
  toneHz?: number;
  /** An account from flags (saved in the database like one added in Settings). */
  account?: { user: string; password: string; domain: string };
  /** File names inside the data folder's parent for the tone and the recording (default `ours`). */
  name?: string;
  /**
   * The system's sound devices (PortAudio) in this environment instead of a file microphone and
   * speaker: for a headless PulseAudio (`startPulse`), pass its `env`. `recFile` is then unused.
   */
  systemAudio?: NodeJS.ProcessEnv;
}

export interface WebPhone {
  /** The host process: its JSON events and stderr (SIP trace). */
  process: Softphone;
  /** The URL it printed (`http://127.0.0.1:PORT/#token=…`). */
  url: string;
  token: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Where its SIP listens (UDP, 127.0.0.1). */
  sipPort: number;
  /** What we heard (our speaker): one file for the host's run; see `recordingBetween`. */
  recFile: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts `softphone web` and resolves once it prints `web-ready`. */
export async function startWebPhone(scope: TestScope, o: WebPhoneOptions): Promise<WebPhone> {
  const name = o.name ?? 'ours';
  const play = join(scope.dir, `${name}-tone.wav`);
  if (!existsSync(play)) makeToneWav(play, { freqHz: o.toneHz ?? 600, seconds: 120, ...(o.toneHz ? {} : { volume: 0 }) });
  const recFile = join(scope.dir, `${name}-rec.wav`);
  const account = o.account ? ['--id', `sip:${o.account.user}@${o.account.domain}`, '--registrar', `sip:${o.account.domain}`] : [];
  const base = o.systemAudio ?? process.env;
  const env = o.account ? { ...base, NIMBUS_SIP_PASSWORD: o.account.password } : base;
  // Naming a device keeps the process helper from adding --null-audio; Settings' choices override it.
  const files = o.systemAudio ? ['--input-device', 'default'] : ['--play-file', play, '--rec-file', recFile];
  const p = scope.use(startSoftphone(['web', '--data-dir', o.dataDir, '--bind-address', '127.0.0.1',
    ...files, ...account], { trace: true, env }));
  const ready = await p.waitEvent((e) => e.event === 'web-ready', 'web-ready', 20_000);
  const sip = await p.waitEvent((e) => e.event === 'ready', 'SIP ready');
  const url = String(ready.url);
  const parsed = new URL(url);
  return {
    process: p,
    url,
    token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '',
    origin: parsed.origin,
    sipPort: Number(sip.port),
    recFile,
    dataDir: o.dataDir,
    stop: () => p.stop(),
  };
}

/**
 * The part of our recording between two wall-clock times. The file speaker stays open for the
 * host's whole run (one continuous file, src-main/core/device-gate.ts), paced in real time, and
 * flushes a second at a time, patching the header's sizes each time: so the file's mtime and its
 * sample count tell which sample was played when. Waits until the file covers `toMs`.
 */
export async function recordingBetween(file: string, fromMs: number, toMs: number): Promise<MonoPcm> {
  let read: { pcm: MonoPcm; startMs: number } | undefined;
  await waitFor(() => {
    if (!existsSync(file)) return false;
    const before = statSync(file).mtimeMs;
    const bytes = readFileSync(file);
    if (statSync(file).mtimeMs !== before || bytes.length < 44) return false;
    const rate = bytes.readUInt32LE(24);
    const samples = bytes.readUInt32LE(40) / 2;
    const startMs = before - (samples / rate) * 1000;
    if (startMs + (samples / rate) * 1000 < toMs) return false;
    read = { pcm: readWav(file), startMs };
    return true;
  }, { timeoutMs: 5000, what: `the recording ${file} to reach ${new Date(toMs).toISOString()}`, intervalMs: 100 });
  const { pcm, startMs } = read!;
  const at = (ms: number) => Math.max(0, Math.round(((ms - startMs) / 1000) * pcm.rate));
  return { ...pcm, samples: pcm.samples.subarray(at(fromMs), at(toMs)) };
}
