/**
 * The engine's worker lives only while something needs it: started by the first request, stopped
 * after idleStopMs without streams or open devices (not a crash), started again by the next
 * request with the mute and ring state asked for meanwhile. A fake launcher stands in for the
 * worker (EngineChannel), answering requests at once.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { MediaEngine, type EngineChannel } from '../../../src-main/media/engine/media-engine.js';
import type { HostToWorker } from '../../../src-main/media/engine/protocol.js';

class FakeWorker extends EventEmitter {
  readonly received: HostToWorker[] = [];
  killed = false;
  postMessage(m: HostToWorker): void {
    this.received.push(m);
    if ('id' in m) queueMicrotask(() => this.emit('message', { type: 'reply', id: m.id, ok: true, to: m.type, value: m.type === 'allocate' ? 40000 : undefined }));
  }

  kill(): void {
    this.killed = true;
    queueMicrotask(() => this.emit('exit', null));
  }
}

function engineWithFakes(idleStopMs: number) {
  const workers: FakeWorker[] = [];
  const engine = new MediaEngine(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as EngineChannel;
  }, idleStopMs);
  const crashes: Array<number | null> = [];
  engine.on('crashed', (code) => crashes.push(code));
  return { engine, workers, crashes };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const types = (w: FakeWorker) => w.received.map((m) => m.type);

describe('media engine worker lifecycle', () => {
  it('starts no worker until a request needs one; mute, ring, tones and DTMF alone never start one', async () => {
    const { engine, workers } = engineWithFakes(20);
    engine.mute(true);
    engine.ring(true);
    engine.tone('s', 'busy');
    engine.sendDtmf('s', '1');
    engine.conference([]);
    assert.equal(await engine.stop('s'), undefined);
    await engine.closeDevices();
    assert.equal(workers.length, 0);
    assert.equal(engine.isRunning, false);
    // The first request starts one, which is told the mute and ring state first.
    assert.equal(await engine.allocate('s', '127.0.0.1'), 40000);
    assert.equal(workers.length, 1);
    assert.deepEqual(types(workers[0]!), ['mute', 'ring', 'allocate']);
    await engine.shutdown();
  });

  it('stops the worker once it has no stream and no devices for idleStopMs — no crash — and starts a fresh one for the next call', async () => {
    const { engine, workers, crashes } = engineWithFakes(30);
    await engine.openDevices({ kind: 'null' });
    await engine.allocate('a', '127.0.0.1');
    await engine.stop('a');
    await sleep(60);
    assert.equal(workers[0]!.killed, false, 'devices still open');
    await engine.closeDevices();
    assert.equal(engine.isRunning, true, 'kept for idleStopMs');
    await sleep(80);
    assert.equal(workers[0]!.killed, true);
    assert.equal(engine.isRunning, false);
    assert.deepEqual(crashes, []);
    engine.mute(true); // while stopped: kept, not sent anywhere
    await engine.allocate('b', '127.0.0.1');
    assert.equal(workers.length, 2);
    assert.deepEqual(types(workers[1]!), ['mute', 'allocate']);
    assert.equal(engine.launches, 2);
    await engine.shutdown();
  });

  it('a request within idleStopMs keeps the worker; a device listing alone starts one that then stops', async () => {
    const { engine, workers } = engineWithFakes(40);
    await engine.listDevices();
    await sleep(10);
    await engine.allocate('a', '127.0.0.1');
    await sleep(60);
    assert.equal(workers.length, 1);
    assert.equal(workers[0]!.killed, false, 'a stream is allocated');
    await engine.stop('a');
    await sleep(80);
    assert.equal(workers[0]!.killed, true);
    await engine.shutdown();
  });

  it('a worker that dies with a stream is a crash: streams are forgotten, the next request starts anew', async () => {
    const { engine, workers, crashes } = engineWithFakes(20);
    await engine.allocate('a', '127.0.0.1');
    workers[0]!.emit('exit', 9);
    assert.deepEqual(crashes, [9]);
    assert.equal(engine.isRunning, false);
    await sleep(40);
    await engine.allocate('b', '127.0.0.1');
    assert.equal(workers.length, 2);
    await engine.shutdown();
  });

  it('a stream the worker ended (stream-failed) no longer keeps it running', async () => {
    const { engine, workers } = engineWithFakes(20);
    await engine.allocate('a', '127.0.0.1');
    workers[0]!.emit('message', { type: 'stream-failed', stream: 'a', reason: 'boom' });
    await sleep(50);
    assert.equal(workers[0]!.killed, true);
    await engine.shutdown();
  });
});
