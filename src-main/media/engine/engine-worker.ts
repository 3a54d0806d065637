/**
 * The media worker's entry: a thin adapter between the host link and the Engine (engine.ts),
 * which owns the streams, devices, tones and conference. Requests are answered with a reply that
 * names their id and type; notices and events need none. The link is a worker thread's port, an
 * Electron utility process's parent port, or a forked child's IPC channel.
 */
import { parentPort } from 'node:worker_threads';
import { hostname } from 'node:os';
import { systemClock } from '../../util/clock.js';
import { cryptoRandom } from '../../util/random.js';
import { Engine } from './engine.js';
import { EchoProcessing } from './echo-processing.js';
import type { HostToWorker, RequestMessage, RequestType, WorkerToHost } from './protocol.js';

/** An Electron utility process's link to main (no electron import: it is a property of `process`). */
const utilityPort = Reflect.get(process, 'parentPort') as
  | { postMessage(m: unknown): void; on(event: 'message', handler: (e: { data: unknown }) => void): void }
  | undefined;
/** The host link: a worker thread's port, a utility process's parent port, or a forked child's IPC channel. */
const port = parentPort ?? (utilityPort ? {
  postMessage: (m: WorkerToHost) => utilityPort.postMessage(m),
  on: (_event: 'message', handler: (m: HostToWorker) => void) => utilityPort.on('message', (e) => handler(e.data as HostToWorker)),
} : {
  postMessage: (m: WorkerToHost) => process.send?.(m),
  on: (_event: 'message', handler: (m: HostToWorker) => void) => process.on('message', handler as (m: unknown) => void),
});
if (!parentPort && !utilityPort) process.on('disconnect', () => process.exit(0));

const post = (m: WorkerToHost) => port.postMessage(m);
// A processing stage that cannot start or throws leaves the audio unprocessed: the host hears why.
const processing = new EchoProcessing(48000, (e) => post({ type: 'device', event: 'fallback', detail: `audio processing off: ${e.message}` }));
const engine = new Engine({ clock: systemClock(), random: cryptoRandom, deviceRate: 48000, cname: `nimbus@${hostname()}`, post, processing });

function answer<K extends RequestType>(m: RequestMessage<K>): void {
  engine.request(m).then(
    (value) => post({ type: 'reply', id: m.id, ok: true, to: m.type, value }),
    (e: unknown) => post({ type: 'reply', id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
}

port.on('message', (m: HostToWorker) => {
  if ('id' in m) answer(m);
  else engine.notice(m);
});
