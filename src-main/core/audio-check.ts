/**
 * Audio checks from Settings, without a call: a test tone on the speaker, the ringtone on the
 * ringing device, the microphone's level. Each opens the devices chosen in Settings (by name)
 * through the device gate, as a call would, and ends by itself after a bounded time. Levels come as
 * the usual `levels` events while the devices are open. During a call a check is refused; a call
 * that starts during one ends it (the call's own ring follows: `CallManager` emits `call` before it
 * updates the ringer).
 *
 *   idle --start(kind)--> running(kind) --stop / timer / call / start(other)--> idle
 */
import type { AudioTestKind } from '../contract/settings.js';
import type { LocalTone } from '../media/engine/protocol.js';

/** What a check needs of the media engine (its public API). */
export interface AudioCheckEngine {
  tone(stream: string, tone: LocalTone): void;
  ring(on: boolean): void;
}

/** What a check needs of the device gate. */
export interface AudioCheckGate {
  acquire(): Promise<void>;
  release(): void;
}

export interface AudioCheckDeps {
  engine: () => AudioCheckEngine;
  gate: AudioCheckGate;
  /** True while a call exists (ringing, dialling or up). */
  inCall(): boolean;
  onChange(test: AudioTestKind, running: boolean): void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** How long each check runs at most [ms]: the tone plays 2 s of its 6 s cadence, then stops. */
export const audioCheckMs: Record<AudioTestKind, number> = { speaker: 3000, ring: 6000, microphone: 30_000 };

/** The tone generator's key for the speaker check (tones are keyed by stream; this one has none). */
const TEST_TONE_KEY = 'audio-check';

export class AudioCheck {
  private running: { kind: AudioTestKind; timer: unknown } | undefined;
  private readonly setTimer;
  private readonly clearTimer;

  constructor(private readonly d: AudioCheckDeps) {
    this.setTimer = d.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms).unref());
    this.clearTimer = d.clearTimer ?? ((h: unknown) => clearTimeout(h as NodeJS.Timeout));
  }

  get current(): AudioTestKind | undefined {
    return this.running?.kind;
  }

  async start(kind: AudioTestKind): Promise<{ ok: true; value: null } | { ok: false; error: string }> {
    if (this.d.inCall()) return { ok: false, error: 'audio checks wait until no call is in progress' };
    this.end(false);
    await this.d.gate.acquire();
    // A call (or another check) that started while the devices opened owns them now.
    if (this.d.inCall()) return { ok: false, error: 'audio checks wait until no call is in progress' };
    if (this.running) return { ok: false, error: 'another audio check started' };
    this.running = { kind, timer: this.setTimer(() => this.end(false), audioCheckMs[kind]) };
    if (kind === 'speaker') this.d.engine().tone(TEST_TONE_KEY, 'ringback');
    if (kind === 'ring') this.d.engine().ring(true);
    this.d.onChange(kind, true);
    return { ok: true, value: null };
  }

  stop(): void {
    this.end(false);
  }

  /** A call started: the check ends and leaves the devices to the call. */
  callStarted(): void {
    this.end(true);
  }

  private end(forCall: boolean): void {
    const r = this.running;
    if (!r) return;
    this.running = undefined;
    this.clearTimer(r.timer);
    if (r.kind === 'speaker') this.d.engine().tone(TEST_TONE_KEY, 'none');
    if (r.kind === 'ring') this.d.engine().ring(false);
    if (!forCall) this.d.gate.release();
    this.d.onChange(r.kind, false);
  }
}
