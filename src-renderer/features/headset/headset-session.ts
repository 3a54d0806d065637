/**
 * One open headset: its transport, the layout read from its collections, the signal reader and
 * the controller, with real timers and the core's commands plugged in. The thin adapter around
 * the pure parts (usage-map, report-codec, input-signals, headset-controller).
 */
import type { CallSnapshot, Command } from '../../../src-main/contract/calls.js';
import type { HeadsetTransport } from './headset-transport.js';
import { HeadsetController, type ControllerAction, type ControllerInput, type HeadsetTimings } from './headset-controller.js';
import { SignalReader } from './input-signals.js';
import { allOff, changedReports, decodeInput, encodeOutputs, type LedState } from './report-codec.js';
import { describeLayout, telephonyLayout, type TelephonyLayout } from './usage-map.js';

export interface SessionDeps {
  command(command: Command): void;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
  /** Reports that could not be sent (device unplugged mid-write…). */
  onError?(error: Error): void;
  timings?: HeadsetTimings;
}

export class HeadsetSession {
  readonly layout: TelephonyLayout;
  readonly controller: HeadsetController;
  private readonly reader = new SignalReader();
  private readonly sent = new Map<number, Uint8Array>();
  private timer: unknown;
  private offReport: (() => void) | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(private readonly transport: HeadsetTransport, layout: TelephonyLayout, private readonly deps: SessionDeps) {
    this.layout = layout;
    this.controller = new HeadsetController(deps.timings);
  }

  /** Opens the device and lights it for the calls in progress; undefined if it has no telephony collection. */
  static async open(
    transport: HeadsetTransport, deps: SessionDeps, calls: readonly CallSnapshot[], muted: boolean,
  ): Promise<HeadsetSession | undefined> {
    const layout = telephonyLayout(transport.collections);
    if (!layout) return undefined;
    const session = new HeadsetSession(transport, layout, deps);
    await transport.open();
    session.offReport = transport.onReport((id, data) => session.onReport(id, data));
    // The calls first (no output: a calls input never commands), then every report once.
    session.controller.handle({ type: 'calls', calls, muted }, deps.now());
    session.feed({ type: 'connected' });
    return session;
  }

  get controls(): ReturnType<typeof describeLayout> {
    return describeLayout(this.layout);
  }

  calls(calls: readonly CallSnapshot[], muted: boolean): void {
    this.feed({ type: 'calls', calls, muted });
  }

  /** Darkens every LED, then closes the device. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.offReport?.();
    if (this.timer !== undefined) this.deps.clearTimer(this.timer);
    this.write(allOff, true);
    await this.writing;
    await this.transport.close().catch(() => undefined);
  }

  private onReport(reportId: number, data: Uint8Array): void {
    const signals = this.reader.read(decodeInput(this.layout, reportId, data));
    if (signals.length > 0) this.feed({ type: 'signals', signals });
  }

  private feed(input: ControllerInput): void {
    if (this.closed) return;
    this.apply(this.controller.handle(input, this.deps.now()));
    if (this.timer !== undefined) this.deps.clearTimer(this.timer);
    this.timer = undefined;
    const deadline = this.controller.nextDeadline();
    if (deadline !== undefined) {
      this.timer = this.deps.setTimer(() => {
        this.timer = undefined;
        this.feed({ type: 'tick' });
      }, Math.max(0, deadline - this.deps.now()));
    }
  }

  private apply(actions: readonly ControllerAction[]): void {
    for (const action of actions) {
      if (action.type === 'command') this.deps.command(action.command);
      else this.write(action.leds, action.all);
    }
  }

  /** Output reports go out one at a time, in order; unchanged ones only when `all`. */
  private write(leds: LedState, all: boolean): void {
    const reports = encodeOutputs(this.layout, leds);
    const toSend = all ? reports : changedReports(reports, this.sent);
    for (const r of toSend) this.sent.set(r.reportId, r.data);
    this.writing = this.writing.then(async () => {
      for (const r of toSend) {
        try {
          await this.transport.send(r.reportId, r.data);
        } catch (e) {
          this.deps.onError?.(e as Error);
        }
      }
    });
  }
}
