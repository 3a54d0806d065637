/**
 * Run by stages.test.ts in a fresh Node process (`--expose-gc`, settings as JSON in argv[2]): builds
 * the capture stage, warms it up 2000 frames, then counts garbage collections and heap growth over
 * 5000 frames of seeded noise (the loop itself allocates nothing). Prints { gcs, grownKb } as JSON.
 * A fresh process, as in a media worker that built this stage: in a process that ran other stage
 * configurations first, V8's code for the shared stage may differ (docs/benchmarks.md).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { setImmediate as tick } from 'node:timers/promises';
import { createCaptureProcessor, type ProcessingSettings } from '../../../src-main/media/processing/capture-processor.js';
import { seededRandom } from '../../support/seeded-random.js';
import { FRAME, RATE } from '../../support/echo-fixture.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const settings = JSON.parse(process.argv[2] ?? '{}') as ProcessingSettings;
const stage = await createCaptureProcessor(settings, RATE, FRAME);
const rand = seededRandom(11);
const src = Int16Array.from({ length: FRAME * 50 }, () => Math.round((rand() * 2 - 1) * 2000));
const cap = new Int16Array(FRAME), play = new Int16Array(FRAME);
const run = (frames: number): void => {
  for (let f = 0; f < frames; f++) {
    const o = (f % 50) * FRAME, p = ((f + 25) % 50) * FRAME;
    for (let i = 0; i < FRAME; i++) { cap[i] = src[o + i]!; play[i] = src[p + i]! >> 2; }
    stage.notePlayback(play);
    stage.processCapture(cap);
  }
};
run(2000);
gc();
await tick();
let gcs = 0;
const observer = new PerformanceObserver((list) => { gcs += list.getEntries().length; });
observer.observe({ entryTypes: ['gc'] });
const before = process.memoryUsage().heapUsed;
run(5000);
const grownKb = (process.memoryUsage().heapUsed - before) / 1024;
await tick();
await tick();
observer.disconnect();
stage.dispose();
console.log(JSON.stringify({ gcs, grownKb }));
