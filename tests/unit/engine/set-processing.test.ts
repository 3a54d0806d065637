/**
 * Issue 17: a processing setting changed during a call reaches the open devices through the
 * engine's `set-processing` request. The worker refuses settings it cannot build a stage from
 * (in set-processing and in open-devices) with a clear error; good ones rebuild the stage off the
 * audio path and the streams' statistics go to the host at once. The host side sends the request
 * only while devices are open, and never starts a worker for it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Engine, type EngineEvent } from '../../../src-main/media/engine/engine.js';
import { EchoProcessing } from '../../../src-main/media/engine/echo-processing.js';
import type { FrameProcessing } from '../../../src-main/media/engine/frame-processing.js';
import { MediaEngine, type EngineChannel } from '../../../src-main/media/engine/media-engine.js';
import { checkProcessingSettings } from '../../../src-main/media/engine/processing-check.js';
import type { HostToWorker, RequestDraft, RequestMessage, StreamConfig } from '../../../src-main/media/engine/protocol.js';
import type { ProcessingSettings } from '../../../src-main/media/processing/capture-processor.js';
import { systemClock } from '../../../src-main/util/clock.js';
import { cryptoRandom } from '../../../src-main/util/random.js';

const good: ProcessingSettings = { aec: true, ns: 'low', agc: false };

/** Hostile or broken payloads, each with the error it must be refused with. */
const refused: Array<[unknown, RegExp]> = [
  [undefined, /must be an object/],
  [null, /must be an object/],
  ['aec', /must be an object/],
  [[true, 'low', false], /must be an object/],
  [{ ...good, ns: 'loud' }, /ns must be off, low or high \(got "loud"\)/],
  [{ ...good, ns: 3 }, /ns must be off, low or high/],
  [{ ...good, ns: 'x'.repeat(100_000) }, /ns must be off, low or high \(got "x{40}"\)$/],
  [{ ...good, aec: 'yes' }, /aec must be true or false/],
  [{ aec: true, ns: 'low' }, /agc must be true or false/],
  [{ ...good, agc: 1 }, /agc must be true or false/],
  [{ ...good, delayMs: 500 }, /unknown field "delayMs"/],
];

/** A FrameProcessing that records what it is configured with. */
function recordingProcessing(): FrameProcessing & { configured: Array<ProcessingSettings | undefined> } {
  const configured: Array<ProcessingSettings | undefined> = [];
  return { configured, capture: (f) => f, playback: () => {}, reset: () => {}, configure: (s) => void configured.push(s) };
}

function engineWith(processing: FrameProcessing | undefined) {
  const events: EngineEvent[] = [];
  const engine = new Engine({
    clock: systemClock(), random: cryptoRandom, deviceRate: 48000, cname: 'test@nimbus', post: (e) => events.push(e),
    ...(processing ? { processing } : {}),
  });
  let id = 1;
  const request = (m: RequestDraft) => engine.request({ ...m, id: id++ } as RequestMessage);
  return { engine, events, request };
}

describe('set-processing: the worker checks what it is sent', () => {
  it('accepts the three settings with their values', () => {
    for (const ns of ['off', 'low', 'high'] as const) {
      for (const aec of [true, false]) assert.equal(checkProcessingSettings({ aec, ns, agc: !aec }), undefined);
    }
  });

  it('refuses each bad payload with a clear error', () => {
    for (const [payload, expected] of refused) {
      assert.match(checkProcessingSettings(payload) ?? 'accepted', expected, JSON.stringify(payload)?.slice(0, 80));
    }
  });

  it('a refused set-processing rejects and leaves the stage alone; a good one configures it', async () => {
    const processing = recordingProcessing();
    const { request } = engineWith(processing);
    for (const [payload, expected] of refused) {
      await assert.rejects(request({ type: 'set-processing', processing: payload as ProcessingSettings }), expected);
    }
    assert.deepEqual(processing.configured, []);
    await request({ type: 'set-processing', processing: { aec: false, ns: 'high', agc: true } });
    assert.deepEqual(processing.configured, [{ aec: false, ns: 'high', agc: true }]);
  });

  it('open-devices with bad processing is refused before any device opens', async () => {
    const processing = recordingProcessing();
    const { request } = engineWith(processing);
    await assert.rejects(request({ type: 'open-devices', devices: { kind: 'null', processing: { aec: true, ns: 'max', agc: false } as unknown as ProcessingSettings } }),
      /ns must be off, low or high \(got "max"\)/);
    assert.deepEqual(processing.configured, []);
  });

  it('an engine without capture processing says so', async () => {
    const { request } = engineWith(undefined);
    await assert.rejects(request({ type: 'set-processing', processing: good }), /no capture processing/);
  });
});

describe('set-processing on open devices (the real stage, null devices, a live stream)', () => {
  it('rebuilds the stage with the new settings and posts the stream\'s statistics at once, without the canceller\'s figures once AEC is off', async (t) => {
    const errors: string[] = [];
    const processing = new EchoProcessing(48000, (e) => errors.push(e.message));
    const { events, request } = engineWith(processing);
    const peer = createSocket('udp4');
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', r));
    t.after(async () => {
      await request({ type: 'shutdown' });
      peer.close();
    });
    const config: StreamConfig = {
      remoteAddress: '127.0.0.1', remotePort: peer.address().port, remoteRtcpPort: peer.address().port, rtcpMux: true,
      codec: 'PCMU', payloadType: 0, telephoneEventPt: undefined, ptime: 20, direction: 'sendrecv', srtp: undefined,
    };
    await request({ type: 'open-devices', devices: { kind: 'null', processing: { aec: true, ns: 'off', agc: false } } });
    await request({ type: 'allocate', stream: 's1', address: '127.0.0.1' });
    await request({ type: 'start', stream: 's1', config });
    // The stage is built off the audio path once the first captured frame gives its length (its
    // WebAssembly loads asynchronously): waited for, up to 30 s on a loaded machine.
    const settled = async (aec: boolean) => {
      for (let i = 0; i < 3000 && processing.stats()?.aec !== aec; i++) await sleep(10);
      assert.equal(processing.stats()?.aec, aec, `the stage runs with aec ${aec} (errors: ${errors.join('; ')})`);
    };
    await settled(true);

    const before = events.length;
    await request({ type: 'set-processing', processing: { aec: false, ns: 'off', agc: true } });
    const posted = events.slice(before).filter((e) => e.type === 'stats');
    assert.equal(posted.length, 1, 'one statistics report for the one stream, at once');
    assert.equal(posted[0]!.type === 'stats' && 'echoRemoving' in posted[0]!.stats, false, 'no "Removing echo" once AEC is off');
    await settled(false);
    assert.equal(processing.stats()?.agc, true, 'gain control on in the rebuilt stage');

    // And back on: the canceller runs again in the same device session.
    await request({ type: 'set-processing', processing: { aec: true, ns: 'off', agc: false } });
    await settled(true);
    assert.deepEqual(errors, [], 'every stage was built');
  });
});

/** A worker stand-in that answers every request at once and keeps what it was sent. */
class FakeWorker extends EventEmitter {
  readonly received: HostToWorker[] = [];
  postMessage(m: HostToWorker): void {
    this.received.push(m);
    if ('id' in m) queueMicrotask(() => this.emit('message', { type: 'reply', id: m.id, ok: true, to: m.type, value: undefined }));
  }

  kill(): void {
    queueMicrotask(() => this.emit('exit', null));
  }
}

describe('MediaEngine.setProcessing (the host side)', () => {
  it('sends set-processing only while devices are open, and never starts a worker for it', async () => {
    const workers: FakeWorker[] = [];
    const engine = new MediaEngine(() => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as EngineChannel;
    }, 0);
    await engine.setProcessing(good);
    assert.equal(workers.length, 0, 'no worker started to change nothing');
    await engine.openDevices({ kind: 'null' });
    await engine.setProcessing({ aec: false, ns: 'off', agc: false });
    await engine.closeDevices();
    await engine.setProcessing(good);
    assert.deepEqual(workers[0]!.received.map((m) => m.type === 'set-processing' ? `${m.type} ${JSON.stringify(m.processing)}` : m.type),
      ['open-devices', 'set-processing {"aec":false,"ns":"off","agc":false}', 'close-devices']);
    await engine.shutdown();
  });
});
