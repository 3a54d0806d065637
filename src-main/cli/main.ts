/**
 * `softphone`: the headless host. Runs the same core as the app for scripting, automation and
 * interop tests (pjsua-like). Exit codes: 0 success, 1 call/registration failed, 2 usage error.
 */
import { parseCli, usage, UsageError, type CliOptions } from './options.js';
import { CliSession } from './session.js';

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
  return new CliSession(options).run();
}
