/**
 * Echo cancellation through the capture stage (AEC only, NS and AGC off so levels are the
 * canceller's alone) on seeded image-source rooms: the thresholds (ERLE per ITU-T G.168).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { invertNear, makeScenario, RATE } from '../../support/echo-fixture.js';
import { addedLatency, doubleTalk, erleDb, levelChangeDb } from '../../support/echo-metrics.js';
import { AEC_ONLY, runStage } from './run-stage.js';
import { AEC3_TUNING, Aec3Canceller } from '../../../src-main/media/processing/aec3-canceller.js';
import { resampleOffline } from '../../../src-main/media/dsp/offline-resample.js';

describe('echo canceller (WebRTC AEC3 behind EchoCanceller)', () => {
  it('steady room echo: ≥ 10 dB within 1 s, ≥ 20 dB within 2 s, ≥ 30 dB steady', async () => {
    const s = makeScenario({ seed: 11, durationS: 10 });
    const { out } = await runStage(s, AEC_ONLY);
    const first = erleDb(s.echo, out, RATE, 0.5, 1);
    const second = erleDb(s.echo, out, RATE, 1.5, 2);
    const steady = erleDb(s.echo, out, RATE, 4, 10);
    assert.ok(first >= 10, `ERLE in 0.5–1 s ${first.toFixed(1)} dB`);
    assert.ok(second >= 20, `ERLE in 1.5–2 s ${second.toFixed(1)} dB`);
    assert.ok(steady >= 30, `steady ERLE ${steady.toFixed(1)} dB`);
  });

  for (const delayMs of [0, 250, 500]) {
    it(`echo delayed ${delayMs} ms by the devices: ≥ 30 dB steady`, async () => {
      const s = makeScenario({ seed: 20 + delayMs, durationS: 9, delayMs });
      const { out } = await runStage(s, AEC_ONLY);
      const steady = erleDb(s.echo, out, RATE, 4, 9);
      assert.ok(steady >= 30, `steady ERLE ${steady.toFixed(1)} dB at ${delayMs} ms`);
    });
  }

  // The media worker runs at 48 kHz; the canceller takes any rate with whole samples per 10 ms
  // (WebRTC's AudioBuffer resamples to AEC3's 48 kHz): the steady scenario resampled, 45–50 dB.
  it('other device rates (8, 16, 32, 44.1 kHz): ≥ 30 dB steady', async () => {
    const s = makeScenario({ seed: 11, durationS: 10 });
    for (const rate of [8000, 16000, 32000, 44100]) {
      const echo = Float64Array.from(resampleOffline(Int16Array.from(s.echo, (v) => Math.round(v)), RATE, rate));
      const far = resampleOffline(s.far, RATE, rate), mic = resampleOffline(s.mic, RATE, rate);
      const { out } = await runStage({ ...s, rate, far, mic, echo }, AEC_ONLY);
      const steady = erleDb(echo, out, rate, 4, 10);
      assert.ok(steady >= 30, `steady ERLE ${steady.toFixed(1)} dB at ${rate} Hz`);
    }
  });

  it('AEC3 settings by name: an unknown field or an unsupported rate is refused', async () => {
    await assert.rejects(Aec3Canceller.create(RATE, { 'suppressor.no_such_field': 1 }), /unknown AEC3 setting suppressor\.no_such_field/);
    await assert.rejects(Aec3Canceller.create(44101), RangeError);
    await assert.rejects(Aec3Canceller.create(4000), RangeError);
    const ok = await Aec3Canceller.create(RATE, { ...AEC3_TUNING, 'suppressor.dominant_nearend_detection.use_during_initial_phase': false });
    ok.dispose();
  });

  for (const driftPpm of [100, -100]) {
    it(`${driftPpm} ppm drift between the devices and a soft-clipping loudspeaker: ≥ 25 dB`, async () => {
      const s = makeScenario({ seed: 30 + driftPpm, durationS: 10, driftPpm, clipDrive: 2 });
      const { out } = await runStage(s, AEC_ONLY);
      const steady = erleDb(s.echo, out, RATE, 4, 10);
      assert.ok(steady >= 25, `ERLE ${steady.toFixed(1)} dB under ${driftPpm} ppm and distortion`);
    });
  }

  it('room change mid-call: ≥ 20 dB within 2 s of the change', async () => {
    const s = makeScenario({ seed: 41, durationS: 11, roomChangeS: 5 });
    const { out } = await runStage(s, AEC_ONLY);
    const after = erleDb(s.echo, out, RATE, 7, 11);
    assert.ok(after >= 20, `ERLE from 2 s after the change ${after.toFixed(1)} dB`);
  });

  it('far end silent: near-end speech level within ±1 dB, added latency ≤ 15 ms', async () => {
    const s = makeScenario({ seed: 51, durationS: 10, far: [{ fromS: 0, toS: 4 }], near: [{ fromS: 5, toS: 10 }] });
    const { out } = await runStage(s, AEC_ONLY);
    const from = 5.2 * RATE, to = 9.8 * RATE;
    const lag = addedLatency(s.near, out, from, to, Math.round(0.03 * RATE));
    const latencyMs = (lag / RATE) * 1000;
    const change = levelChangeDb(s.near, out, from, to, lag);
    assert.ok(latencyMs <= 15, `added latency ${latencyMs.toFixed(2)} ms`);
    assert.ok(Math.abs(change) <= 1, `near-end level change ${change.toFixed(2)} dB`);
  });

  // Double talk with our tuning of AEC3 (AEC3_TUNING: a 35-block linear filter and a shorter
  // reverb model, docs/decisions.md) over seeds 61–65: 16.0/1.9, 15.9/2.6, 16.4/2.1, 17.2/2.4 and
  // 16.3/1.9 dB of echo removed / near end lost (AEC3's defaults: 14.7/2.5, 14.8/3.6, 15.9/4.5,
  // 11.5/2.8, 18.2/3.2). The wasm engine is deterministic, so these figures repeat exactly.
  it('double talk (seeds 61–65): each ≥ 15 dB of echo removed while losing ≤ 3 dB of near-end speech (the issue\'s figures)', async (t) => {
    const figures: { seed: number; removed: number; lost: number }[] = [];
    for (const seed of [61, 62, 63, 64, 65]) {
      const s = makeScenario({ seed, durationS: 11, near: [{ fromS: 6, toS: 11 }] });
      const { out } = await runStage(s, AEC_ONLY);
      const { out: outInverted } = await runStage(invertNear(s), AEC_ONLY);
      const from = 6.2 * RATE, to = 10.8 * RATE;
      const lag = addedLatency(s.near, out, from, to, Math.round(0.03 * RATE));
      const dt = doubleTalk(s.near, s.echo, out, outInverted, from, to, lag);
      figures.push({ seed, removed: dt.echoRemovedDb, lost: -dt.nearChangeDb });
    }
    const text = figures.map((f) => `seed ${f.seed}: ${f.removed.toFixed(1)} dB removed, ${f.lost.toFixed(1)} dB lost`).join('; ');
    const mean = (k: 'removed' | 'lost') => figures.reduce((a, f) => a + f[k], 0) / figures.length;
    t.diagnostic(`${text}; mean ${mean('removed').toFixed(2)} dB removed, ${mean('lost').toFixed(2)} dB lost`);
    for (const f of figures) {
      assert.ok(f.removed >= 15, `echo removed during double talk: ${text}`);
      assert.ok(f.lost <= 3, `near end lost during double talk: ${text}`);
    }
  });
});
