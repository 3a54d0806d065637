/**
 * Last line of defence for a phone that must keep running: anything that escapes every handler
 * (a rejected fire-and-forget promise, a throw in a timer) is reported and the process goes on.
 */
let installed = false;

export function installCrashGuard(report: (message: string) => void): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason) => report(`internal error (kept running): ${describe(reason)}`));
  process.on('uncaughtException', (error) => report(`internal error (kept running): ${describe(error)}`));
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.message}${e.stack ? `\n${e.stack.split('\n').slice(1, 4).join('\n')}` : ''}` : String(e);
}
