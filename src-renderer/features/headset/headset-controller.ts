/**
 * Headset call control as a pure state machine: the core's calls and the headset's signals in,
 * call commands and LED states out. No I/O and no timers of its own — time comes with every
 * input, and `nextDeadline()` says when to `tick` (as werift's stages and our transactions do).
 *
 *            ┌──────── calls: a call rings ────────┐
 *            │                                     ▼      hook off-hook / hook press
 *          idle ◀── last call gone ──────────── ringing ───────────────────────▶ answering
 *            ▲                                  ▲   │ drop / busy: reject            │ (double-press window)
 *            │                                  │   │                                │ 2nd press / on-hook /
 *            │            call gone, one rings ─┘   │                                │ drop / busy: reject ──▶ (settle)
 *            │                                      │ answered elsewhere             │ window over: answer
 *            │ hook on-hook / press / drop: hang up ▼                                ▼
 *            └──────────────────────────────── in-call ◀──────────────────────────────┘
 *                                               │   ▲ flash: resume / swap
 *                         flash: hold ─────────▼   │
 *                                              on-hold (Hold LED; Off-Hook stays lit — some
 *                                                       Jabras end the call when it goes dark)
 *
 * What users expect (issue 12): a ringing call lights Ring (and the headset's Ringer); the hook
 * button answers (Off-Hook LED) and, pressed again, hangs up; mute toggles the core's mute and
 * the Mute LED echoes it at once (headsets revert a mute the host does not acknowledge); Flash
 * answers a waiting call, swaps held and active calls, or holds the only one; Drop, Line Busy
 * Tone or a quick second hook press refuse a ringing call.
 *
 * Quirks: every accepted signal is answered with all LED reports (the device's acknowledgement);
 * hook reports within `echoGuardMs` of the host changing Off-Hook are the device's echo and are
 * ignored; a press repeated within `duplicateMs` is a duplicate report (Plantronics, ~50 ms);
 * a switch hook is compared with the host's state, so Jabra's repeat of the same state ~2 s later
 * changes nothing; a headset plugged in mid-call gets the whole state and an echo guard.
 */
import type { CallSnapshot, Command } from '../../../src-main/contract/calls.js';
import { callFacts, noCalls, type CallFacts } from './call-facts.js';
import type { HeadsetSignal } from './input-signals.js';
import { allOff, type LedState } from './report-codec.js';

export type HeadsetState = 'idle' | 'ringing' | 'answering' | 'in-call' | 'on-hold';

export interface HeadsetTimings {
  /** Hook reports this soon after the host changed the Off-Hook LED are the device's echo [ms]. */
  echoGuardMs: number;
  /** The same press again within this is a duplicate report [ms]. */
  duplicateMs: number;
  /** A ringing call answered from the headset is answered this much later, unless a second press refuses it [ms]. */
  doublePressMs: number;
  /** How long the Mute LED shows a requested mute before it follows the core again [ms]. */
  muteConfirmMs: number;
}

export const defaultTimings: HeadsetTimings = { echoGuardMs: 500, duplicateMs: 120, doublePressMs: 400, muteConfirmMs: 1500 };

export type ControllerInput =
  | { type: 'calls'; calls: readonly CallSnapshot[]; muted: boolean }
  /** What one input report said (several controls may change at once). */
  | { type: 'signals'; signals: readonly HeadsetSignal[] }
  | { type: 'tick' }
  /** The device was (re)opened: it gets every LED report. */
  | { type: 'connected' };

export type ControllerAction =
  | { type: 'command'; command: Command }
  /** `all`: send every output report even if unchanged (an acknowledgement or a fresh device). */
  | { type: 'leds'; leds: LedState; all: boolean };

/** Statistics for diagnostics (what was ignored and why). */
export interface ControllerStats {
  signals: number;
  duplicates: number;
  echoes: number;
  commands: number;
}

const pressTypes = new Set<HeadsetSignal['type']>(['hook-press', 'mute-press', 'flash', 'redial', 'drop', 'busy']);

export class HeadsetController {
  private current: HeadsetState = 'idle';
  private calls: readonly CallSnapshot[] = [];
  private muted = false;
  private facts: CallFacts = noCalls;
  /** Calls we ended or refused from the headset: gone for us before the core says so. */
  private readonly dismissed = new Set<string>();
  /** The ringing call being answered from the headset, and when the double-press window closes [ms]. */
  private answering: { callId: string; until: number } | undefined;
  /** A call answered from the headset, talking for us before the core says so. */
  private answered: string | undefined;
  private pendingMute: { on: boolean; until: number } | undefined;
  private hookGuardUntil = -Infinity;
  private readonly lastPress = new Map<HeadsetSignal['type'], number>();
  private sent: LedState | undefined;
  private actions: ControllerAction[] = [];
  readonly stats: ControllerStats = { signals: 0, duplicates: 0, echoes: 0, commands: 0 };

  constructor(private readonly timings: HeadsetTimings = defaultTimings) {}

  get state(): HeadsetState {
    return this.current;
  }

  /** When to call `handle({type: 'tick'})` next, if anything waits [ms]. */
  nextDeadline(): number | undefined {
    const times = [this.answering?.until, this.pendingMute?.until].filter((t): t is number => t !== undefined);
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  handle(input: ControllerInput, now: number): ControllerAction[] {
    this.actions = [];
    if (input.type === 'calls') {
      this.calls = input.calls;
      this.muted = input.muted;
      this.refreshFacts();
    }
    if (this.pendingMute && (now >= this.pendingMute.until || (input.type === 'calls' && input.muted === this.pendingMute.on))) {
      this.pendingMute = undefined;
    }
    if (input.type === 'signals') {
      const accepted = input.signals.filter((s) => this.accept(s, now));
      if (accepted.length === 0) return [];
      for (const signal of accepted) this.on({ type: 'signal', signal }, now);
      this.emitLeds(now, true, false);
    } else {
      this.on(input, now);
      this.emitLeds(now, input.type === 'connected', true);
    }
    return this.actions;
  }

  /** Duplicates and echoes are dropped (and not acknowledged: that could ping-pong). */
  private accept(signal: HeadsetSignal, now: number): boolean {
    this.stats.signals++;
    if ((signal.type === 'hook' || signal.type === 'hook-press') && now < this.hookGuardUntil) {
      this.stats.echoes++;
      return false;
    }
    if (pressTypes.has(signal.type)) {
      const last = this.lastPress.get(signal.type);
      if (last !== undefined && now - last < this.timings.duplicateMs) {
        this.stats.duplicates++;
        return false;
      }
      this.lastPress.set(signal.type, now);
    }
    return true;
  }

  private on(input: Exclude<ControllerInput, { type: 'signals' }> | { type: 'signal'; signal: HeadsetSignal }, now: number): void {
    const signal = input.type === 'signal' ? input.signal : undefined;
    const offHook = signal?.type === 'hook' ? signal.offHook : undefined;
    const pickUp = offHook === true || signal?.type === 'hook-press';
    const putDown = offHook === false || signal?.type === 'hook-press' || signal?.type === 'drop';
    const { ringing, talking, held } = this.facts;

    switch (this.current) {
      case 'idle':
        if (input.type === 'calls') this.settle();
        else if (signal?.type === 'redial') this.command({ type: 'redial' });
        // Off-hook with nothing to answer: the acknowledgement (Off-Hook dark) puts the headset back.
        break;

      case 'ringing':
        if (input.type === 'calls') this.settle();
        else if (ringing && pickUp) {
          this.answering = { callId: ringing, until: now + this.timings.doublePressMs };
          this.current = 'answering';
        } else if (ringing && (signal?.type === 'drop' || signal?.type === 'busy')) {
          this.reject(ringing);
        }
        break;

      case 'answering': {
        const { callId, until } = this.answering!;
        if (input.type === 'tick' && now >= until) {
          this.answering = undefined;
          this.answered = callId;
          this.command({ type: 'answer', callId });
          this.refreshFacts();
          this.current = 'in-call';
        } else if (offHook === false || signal?.type === 'hook-press' || signal?.type === 'drop' || signal?.type === 'busy') {
          // The second press of a double press (or an explicit refusal): decline instead.
          this.answering = undefined;
          this.reject(callId);
        } else if (input.type === 'calls' && ringing !== callId) {
          // Cancelled by the caller, or answered in the window / elsewhere.
          this.answering = undefined;
          this.settle();
        }
        break;
      }

      case 'in-call':
        if (input.type === 'calls') this.settle();
        else if (talking && putDown) this.hangUp(talking);
        else if (signal?.type === 'mute-press' || signal?.type === 'mute') this.mute(signal, now);
        else if (signal?.type === 'flash') {
          if (ringing) this.command({ type: 'answer', callId: ringing });
          else if (held[0]) this.command({ type: 'swap', callId: held[0] });
          else if (talking) this.command({ type: 'hold', callId: talking });
        } else if (ringing && signal?.type === 'busy') this.reject(ringing);
        break;

      case 'on-hold':
        if (input.type === 'calls') this.settle();
        else if (held[0] && putDown) this.hangUp(held[0]);
        else if (signal?.type === 'mute-press' || signal?.type === 'mute') this.mute(signal, now);
        else if (held[0] && signal?.type === 'flash') this.command({ type: 'resume', callId: held[0] });
        else if (ringing && signal?.type === 'busy') this.reject(ringing);
        break;
    }
  }

  /** The state the calls call for (every state but `answering` follows the calls). */
  private settle(): void {
    const { ringing, talking, held } = this.facts;
    this.current = talking ? 'in-call' : held.length > 0 ? 'on-hold' : ringing ? 'ringing' : 'idle';
  }

  private refreshFacts(): void {
    const present = new Set(this.calls.filter((c) => c.state !== 'ended').map((c) => c.id));
    for (const id of this.dismissed) if (!present.has(id)) this.dismissed.delete(id);
    const facts = callFacts(this.calls, this.muted, this.dismissed);
    if (this.answered && facts.ringing !== this.answered) this.answered = undefined;
    // Answered from the headset but the core has not said so yet: it is our call already.
    this.facts = this.answered && !facts.talking ? { ...facts, ringing: undefined, talking: this.answered } : facts;
  }

  private command(command: Command): void {
    this.stats.commands++;
    this.actions.push({ type: 'command', command });
  }

  private reject(callId: string): void {
    this.command({ type: 'reject', callId });
    this.dismissed.add(callId);
    this.refreshFacts();
    this.settle();
  }

  private hangUp(callId: string): void {
    this.command({ type: 'hangup', callId });
    this.dismissed.add(callId);
    this.refreshFacts();
    this.settle();
  }

  private mute(signal: Extract<HeadsetSignal, { type: 'mute' | 'mute-press' }>, now: number): void {
    const shown = this.pendingMute?.on ?? this.facts.muted;
    const on = signal.type === 'mute' ? signal.on : !shown;
    if (on === shown) return;
    this.command({ type: on ? 'mute' : 'unmute' });
    this.pendingMute = { on, until: now + this.timings.muteConfirmMs };
  }

  ledsFor(): LedState {
    const state = this.current;
    const offHook = state === 'answering' || state === 'in-call' || state === 'on-hold';
    const muted = offHook && (this.pendingMute?.on ?? this.facts.muted);
    return {
      ...allOff,
      offHook,
      ring: this.facts.ringing !== undefined && state !== 'answering',
      ringer: state === 'ringing',
      hold: (state === 'in-call' || state === 'on-hold') && this.facts.held.length > 0,
      mute: muted,
      microphone: muted,
    };
  }

  /** Sends the LEDs when they changed, or all of them to acknowledge; guards hook echoes of host changes. */
  private emitLeds(now: number, all: boolean, hostInitiated: boolean): void {
    const leds = this.ledsFor();
    const before = this.sent;
    const changed = !before || (Object.keys(leds) as (keyof LedState)[]).some((k) => leds[k] !== before[k]);
    if (hostInitiated && (offHookChanged(before, leds) || (all && leds.offHook))) {
      this.hookGuardUntil = now + this.timings.echoGuardMs;
    }
    if (changed || all) this.actions.push({ type: 'leds', leds, all });
    this.sent = leds;
  }
}

function offHookChanged(before: LedState | undefined, after: LedState): boolean {
  return (before?.offHook ?? false) !== after.offHook;
}
