/**
 * Runs the media engine in an Electron `utilityProcess`: the packaged app's `runAsNode: false`
 * fuse makes `child_process.fork` impossible (the Electron binary cannot act as Node), and a
 * utility process is Chromium's own way to run Node code off the main process — with native
 * addons (PortAudio, Opus), its own event loop, and a crash that cannot take the window down.
 * The engine (media/engine) stays Electron-free: it takes any `EngineLauncher`, and this one
 * adapts `utilityProcess.fork` to it. `utilityProcess` comes in as a parameter, so this is
 * unit-tested with a fake.
 */
import type { EngineChannel, EngineLauncher } from '../core/engine-launcher.js';

/** The parts of Electron's `UtilityProcess` the launcher uses. */
export interface UtilityChild {
  postMessage(message: unknown): void;
  kill(): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'error', listener: (type: string, location: string, report: string) => void): unknown;
}

/** The parts of Electron's `utilityProcess` module the launcher uses. */
export interface UtilityProcessModule {
  fork(modulePath: string, args?: string[], options?: { execArgv?: string[]; serviceName?: string; stdio?: 'inherit' | 'ignore' | 'pipe' }): UtilityChild;
}

type EngineMessage = Parameters<EngineChannel['postMessage']>[0];
/** Any of the three listener types (each overload's listener is assignable to it). */
type AnyListener = (arg: never) => void;

export function utilityProcessLauncher(utilityProcess: UtilityProcessModule): EngineLauncher {
  return (script, execArgv) => {
    const child = utilityProcess.fork(script, [], {
      execArgv,
      serviceName: 'Nimbus Phone media engine',
      // PortAudio's native library prints to stdout: it goes to the app's log, never a page.
      stdio: 'inherit',
    });
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    const channel: EngineChannel = {
      postMessage(message: EngineMessage) {
        if (!exited) child.postMessage(message);
      },
      on(event: 'message' | 'exit' | 'error', listener: AnyListener) {
        if (event === 'error') {
          // V8 fatal errors (the `exit` event still follows).
          child.on('error', (type, location) => (listener as (e: Error) => void)(new Error(`media engine ${type} at ${location}`)));
        } else if (event === 'exit') {
          child.on('exit', listener as (code: number) => void);
        } else {
          child.on('message', listener as (message: unknown) => void);
        }
        return channel;
      },
      kill() {
        if (!exited) child.kill();
      },
    };
    return channel;
  };
}
