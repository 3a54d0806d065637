/** Per-test resource scope: a temp dir plus everything started in it, stopped when the test ends. */
import { removeTempDir, makeTempDir, stopAll } from './process.js';

export interface Stoppable { stop(): Promise<void> | void }

export interface TestScope {
  dir: string;
  /** Registers a resource to stop at cleanup (last in, first out) and returns it. */
  use<T extends Stoppable>(resource: T): T;
  cleanup(): Promise<void>;
}

/**
 * Creates a scope; with a node:test context the cleanup runs in `t.after`, so peers stop even
 * when the test fails. Set NIMBUS_KEEP_TMP=1 to keep the folder (logs) afterwards.
 */
export function testScope(t?: { after(fn: () => Promise<void>): void }): TestScope {
  const dir = makeTempDir();
  const resources: Stoppable[] = [];
  let cleaned = false;
  const scope: TestScope = {
    dir,
    use(resource) { resources.push(resource); return resource; },
    async cleanup() {
      if (cleaned) return;
      cleaned = true;
      const errors: unknown[] = [];
      for (const r of resources.reverse()) {
        try { await r.stop(); } catch (e) { errors.push(e); }
      }
      removeTempDir(dir);
      if (errors.length) throw new AggregateError(errors, 'test scope cleanup failed');
    },
  };
  t?.after(() => scope.cleanup());
  return scope;
}

export { stopAll };
