/**
 * `softphone`: the headless host. Runs the same core as the app for scripting, automation and
 * interop tests (pjsua-like). Exit codes: 0 success, 1 call/registration failed, 2 usage error.
 */
import { parseCli, usage, UsageError, type CliOptions } from './options.js';
import { CliSession } from './session.js';
import { installCrashGuard } from '../core/phone.js';
import { phoneOptionsFrom } from './phone-options.js';

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(usage + '\n');
    return 0;
  }
  let options: CliOptions;
  try {
    options = parseCli(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`softphone: ${e.message}\n${usage}\n`);
      return 2;
    }
    throw e;
  }
  // Whoever reads our output is gone (the pipe closed): exit, as a Unix tool does on SIGPIPE.
  // Otherwise each failed write became an uncaught error whose report, written to the same closed
  // stderr, failed again: an orphaned CLI spun a core that way (issue 10).
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(1);
      throw e; // anything else: the crash guard's report, as before
    });
  }
  installCrashGuard((message) => process.stderr.write(`softphone: ${message}\n`));
  if (options.command === 'web') {
    // The web host is launched from the CLI (same flags); it serves the UI instead of reading stdin.
    // Imported here, not at the top: the web host's server (ws) is not loaded for a call (memory, issue 10).
    const { runWeb } = await import('../web/run.js');
    const isolation = options.nullAudio || options.playFile || options.recFile ? 'thread' : 'process';
    return runWeb({ phone: phoneOptionsFrom(options, 'web', isolation), bind: options.web!.bind, port: options.web!.port, json: options.json, warnings: options.warnings, ...(options.web!.dataDir ? { dataDir: options.web!.dataDir } : {}) });
  }
  return new CliSession(options).run();
}
