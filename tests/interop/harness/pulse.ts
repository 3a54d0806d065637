/**
 * Headless PulseAudio for real-device tests (see fixtures/pulse/pulse-default.pa): a paced virtual
 * speaker `vspk` (record its monitor) and a virtual microphone `vmic_src` fed by playing into sink
 * `vmic`. Clients get `env` (PULSE_SERVER, XDG_RUNTIME_DIR, and a HOME whose .asoundrc points ALSA
 * `default` at pulse, so PortAudio's ALSA host API reaches it). PortAudio reads the environment when
 * it initializes: run it in a child process started with `env`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitedMessage, requireBinary, spawnManaged, waitFor, type ManagedProcess } from './process.js';

const TEMPLATE = fileURLToPath(new URL('../fixtures/pulse/pulse-default.pa', import.meta.url));
const ASOUNDRC = 'pcm.!default { type pulse }\nctl.!default { type pulse }\n';

export interface Pulse {
  /** Environment for clients (PortAudio child processes, paplay, parecord, baresip). */
  env: NodeJS.ProcessEnv;
  /** The runtime folder (socket, config, logs). */
  dir: string;
  server: ManagedProcess;
  /** Plays `wav` into the virtual microphone (in real time; ends with the file). */
  playToMic(wav: string): ManagedProcess;
  /** Records the virtual speaker to `wav` until stopped (stop() finalizes the file). */
  recordSpeaker(wav: string): ManagedProcess;
  stop(): Promise<void>;
}

function pactlInfo(env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('pactl', ['info'], { env, timeout: 2000 }, (err) => resolve(!err));
  });
}

/** Starts pulseaudio in user mode with runtime files under `dir` (keep it short: socket path ≤ 108). */
export async function startPulse(dir: string): Promise<Pulse> {
  requireBinary('pulseaudio', 'pulseaudio');
  requireBinary('paplay', 'pulseaudio-utils');
  requireBinary('pactl', 'pulseaudio-utils');
  const home = join(dir, 'home');
  mkdirSync(join(dir, 'state'), { recursive: true });
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, '.asoundrc'), ASOUNDRC);
  const config = join(dir, 'default.pa');
  writeFileSync(config, readFileSync(TEMPLATE, 'utf8').replaceAll('@DIR@', dir));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_RUNTIME_DIR: dir,
    PULSE_RUNTIME_PATH: dir,
    PULSE_STATE_PATH: join(dir, 'state'),
    PULSE_SERVER: `unix:${join(dir, 'native')}`,
  };
  delete env.PULSE_SINK;
  delete env.PULSE_SOURCE;
  const server = spawnManaged('pulseaudio', [
    '-n', '-F', config, '--daemonize=no', '--exit-idle-time=-1', '--use-pid-file=no', '--system=no',
  ], { name: 'pulseaudio', dir, env });
  try {
    await waitFor(async () => existsSync(join(dir, 'native')) && (await pactlInfo(env)), {
      timeoutMs: 10_000, what: 'pulseaudio to accept clients', log: () => server.log(), failIf: exitedMessage(server),
    });
  } catch (e) {
    await server.stop();
    throw e;
  }
  let n = 0;
  return {
    env,
    dir,
    server,
    playToMic: (wav) => spawnManaged('paplay', ['-d', 'vmic', wav], { name: `paplay-${++n}`, dir, env }),
    recordSpeaker: (wav) => spawnManaged('parecord', [
      '-d', 'vspk.monitor', '--file-format=wav', '--rate=48000', '--channels=1', '--format=s16le', wav,
    ], { name: `parecord-${++n}`, dir, env }),
    stop: () => server.stop(),
  };
}
