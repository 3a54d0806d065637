import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { utilityProcessLauncher, type UtilityChild, type UtilityProcessModule } from '../../../src-main/app/utility-engine.js';
import { MediaEngine } from '../../../src-main/media/engine/media-engine.js';

/** A fake `utilityProcess`: records forks; each child is an EventEmitter that records messages. */
class FakeChild extends EventEmitter implements UtilityChild {
  posted: unknown[] = [];
  kills = 0;
  postMessage(message: unknown): void { this.posted.push(message); }
  kill(): boolean { this.kills++; return true; }
}

function fakeUtilityProcess() {
  const forks: Array<{ modulePath: string; args: string[] | undefined; options: unknown; child: FakeChild }> = [];
  const module: UtilityProcessModule = {
    fork: (modulePath, args, options) => {
      const child = new FakeChild();
      forks.push({ modulePath, args, options, child });
      return child;
    },
  };
  return { module, forks };
}

describe('utilityProcess launcher (fake utilityProcess)', () => {
  it('forks the engine script with its exec arguments, a service name and inherited stdio', () => {
    const { module, forks } = fakeUtilityProcess();
    utilityProcessLauncher(module)('/app/out/src-main/media/engine/engine-worker.js', []);
    assert.equal(forks.length, 1);
    assert.equal(forks[0]!.modulePath, '/app/out/src-main/media/engine/engine-worker.js');
    assert.deepEqual(forks[0]!.args, []);
    assert.deepEqual(forks[0]!.options, { execArgv: [], serviceName: 'Nimbus Phone media engine', stdio: 'inherit' });
  });

  it('passes messages both ways and reports the exit code', () => {
    const { module, forks } = fakeUtilityProcess();
    const channel = utilityProcessLauncher(module)('/w.js', ['--import', 'tsx']);
    const child = forks[0]!.child;
    const received: unknown[] = [];
    const exits: Array<number | null> = [];
    channel.on('message', (m) => received.push(m));
    channel.on('exit', (code) => exits.push(code));
    channel.postMessage({ type: 'mute', muted: true });
    assert.deepEqual(child.posted, [{ type: 'mute', muted: true }]);
    child.emit('message', { type: 'level', inputDb: -10, outputDb: -20 });
    assert.deepEqual(received, [{ type: 'level', inputDb: -10, outputDb: -20 }]);
    child.emit('exit', 3);
    assert.deepEqual(exits, [3]);
  });

  it('turns a V8 fatal error into an Error', () => {
    const { module, forks } = fakeUtilityProcess();
    const channel = utilityProcessLauncher(module)('/w.js', []);
    const errors: Error[] = [];
    channel.on('error', (e) => errors.push(e));
    forks[0]!.child.emit('error', 'FatalError', 'v8::Isolate::Abort', '{}');
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /FatalError at v8::Isolate::Abort/);
  });

  it('neither posts to nor kills a child that has exited', () => {
    const { module, forks } = fakeUtilityProcess();
    const channel = utilityProcessLauncher(module)('/w.js', []);
    const child = forks[0]!.child;
    channel.kill();
    assert.equal(child.kills, 1);
    child.emit('exit', 0);
    channel.postMessage({ type: 'mute', muted: false });
    channel.kill();
    assert.deepEqual(child.posted, []);
    assert.equal(child.kills, 1);
  });

  it('a MediaEngine started through the launcher sends its requests to the child and restarts it after a crash', async () => {
    const { module, forks } = fakeUtilityProcess();
    const engine = new MediaEngine(utilityProcessLauncher(module));
    const crashed: Array<number | null> = [];
    engine.on('crashed', (code) => crashed.push(code));
    const listing = engine.listDevices();
    const request = forks[0]!.child.posted[0] as { type: string; id: number };
    assert.equal(request.type, 'list-devices');
    forks[0]!.child.emit('message', { type: 'reply', id: request.id, ok: true, to: 'list-devices', value: ['null'] });
    assert.deepEqual(await listing, ['null']);
    forks[0]!.child.emit('exit', 9);
    assert.deepEqual(crashed, [9]);
    const again = engine.listDevices();
    assert.equal(forks.length, 2, 'the next request starts a fresh utility process');
    const second = forks[1]!.child.posted[0] as { id: number };
    forks[1]!.child.emit('message', { type: 'reply', id: second.id, ok: true, to: 'list-devices', value: [] });
    assert.deepEqual(await again, []);
  });
});

describe('the real engine worker behind a utility-process parent port', () => {
  // A stand-in for Electron's utilityProcess.fork: a Node child whose `process.parentPort` is
  // shimmed as Electron provides it, so the worker's own utility-process branch runs.
  const shim = fileURLToPath(new URL('./support/utility-parent-port.mjs', import.meta.url));
  const nodeUtilityProcess: UtilityProcessModule = {
    fork: (modulePath, args, options) => {
      const child = fork(modulePath, args ?? [], {
        execArgv: ['--import', shim, ...(options?.execArgv ?? [])],
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const adapted = Object.assign(new EventEmitter(), {
        postMessage: (message: unknown) => void child.send(message as never),
        kill: () => child.kill(),
      });
      child.on('message', (m) => adapted.emit('message', m));
      child.on('exit', (code) => adapted.emit('exit', code ?? 0));
      return adapted as unknown as UtilityChild;
    },
  };

  it('binds an RTP socket on request and shuts down', { timeout: 30_000 }, async () => {
    const engine = new MediaEngine(utilityProcessLauncher(nodeUtilityProcess));
    try {
      const port = await engine.allocate('s1', '127.0.0.1');
      assert.ok(Number.isInteger(port) && port > 0, `port ${port}`);
      assert.equal(await engine.stop('s1'), undefined);
    } finally {
      await engine.shutdown();
    }
  });
});
