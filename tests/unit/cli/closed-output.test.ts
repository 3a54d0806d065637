/**
 * A CLI whose reader is gone (stdout and stderr pipes closed, e.g. its parent died) exits instead
 * of reporting each failed write to the same closed stderr forever (an orphan spun a core so).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/softphone.js', import.meta.url));

it('exits when the pipes of its output are closed', async () => {
  // `listen` runs until stopped; its first line goes to the closed stdout.
  const child = spawn(process.execPath, [BIN, 'listen', '--null-audio', '--bind-address', '127.0.0.1', '--local-port', '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout.destroy();
  child.stderr.destroy();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Generous: only a process that never exits fails (the loop it replaces spun for as long as it lived).
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await exited;
  clearTimeout(timer);
  assert.equal(code, 1, 'killed after 60 s instead of exiting by itself');
});
