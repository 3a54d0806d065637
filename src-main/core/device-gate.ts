/**
 * Audio devices open only while a call needs them: from the first call (placed, or ringing — the
 * sound server's start-up hides behind the ring) to the end of the last one. An idle phone holds
 * no microphone (no macOS orange dot) and runs no device clock. File devices (automation) stay
 * open once opened, so a run's recording is one continuous file. Devices still lingering after a
 * call are reused by the next one only when Settings chose the same ones meanwhile; otherwise they
 * are reopened, so a choice applies from the next call however soon it starts. The microphone
 * processing (echo cancellation, noise suppression, gain control) is the exception: a change
 * reaches the open devices at once (`applyProcessing`), a call in progress included.
 */
import { access, constants } from 'node:fs/promises';
import type { MediaEngine } from '../media/engine/media-engine.js';
import type { DeviceSelection } from '../media/engine/protocol.js';

/** What the gate asks of the media engine. */
export type DeviceEngine = Pick<MediaEngine, 'openDevices' | 'closeDevices' | 'setProcessing'>;

const sameProcessing = (a: DeviceSelection['processing'], b: DeviceSelection['processing']) =>
  a?.aec === b?.aec && a?.ns === b?.ns && a?.agc === b?.agc;

export class DeviceGate {
  private opened: Promise<void> | undefined;
  private closing: Promise<void> = Promise.resolve();
  private linger: NodeJS.Timeout | undefined;
  /** The selection the open devices were opened with, and whether they only linger (no user). */
  private openedWith = '';
  private lingering = false;
  /** What the open devices run: their selection, processing changes since included (none while closed, opening, or on the null fallback). */
  private running: DeviceSelection | undefined;
  /** Processing changes, one after another (each compares with what the last one left running). */
  private processingChanges: Promise<void> = Promise.resolve();

  constructor(
    private readonly engine: () => DeviceEngine,
    private readonly selected: () => DeviceSelection,
    private readonly notice: (message: string) => void,
    private readonly lingerMs = 3500,
  ) {}

  /** Fails early (at start) when a WAV named for the microphone cannot be read. */
  async check(): Promise<void> {
    const s = this.selected();
    if (s.kind === 'file' && s.playFile) await access(s.playFile, constants.R_OK);
  }

  get isOpen(): boolean {
    return this.opened !== undefined;
  }

  /** Open the devices if they are closed; resolves once audio flows (bounded by the engine). */
  acquire(): Promise<void> {
    clearTimeout(this.linger);
    if (this.opened && this.lingering && JSON.stringify(this.selected()) !== this.openedWith) this.closeNow();
    this.lingering = false;
    this.opened ??= this.closing.then(() => this.open());
    return this.opened;
  }

  /** The last call ended: close after `lingerMs` (a busy signal still plays; the next call may follow). */
  release(): void {
    if (!this.opened || this.selected().kind === 'file') return;
    clearTimeout(this.linger);
    this.lingering = true;
    this.linger = setTimeout(() => this.closeNow(), this.lingerMs);
    this.linger.unref();
  }

  /**
   * The settings changed: when the processing chosen now differs from what the open devices run,
   * the engine rebuilds its stage with it at once (set-processing); devices opening now read it
   * themselves. Device choices still wait for the next opening. Resolves once the engine has it;
   * a failure becomes a notice (the call keeps its audio with the old processing).
   */
  applyProcessing(): Promise<void> {
    this.processingChanges = this.processingChanges
      .then(() => this.processingNow())
      .catch((e: unknown) => this.notice(`microphone processing not changed: ${e instanceof Error ? e.message : String(e)}`));
    return this.processingChanges;
  }

  private async processingNow(): Promise<void> {
    const opened = this.opened;
    if (!opened) return;
    await opened.catch(() => undefined);
    const running = this.running;
    // Closed or reopened meanwhile (a reopening reads the selection itself), or the null device of
    // a failed opening (no acoustic path: it runs no processing).
    if (this.opened !== opened || !running) return;
    const wanted = this.selected();
    if (!wanted.processing || wanted.kind !== running.kind || sameProcessing(wanted.processing, running.processing)) return;
    await this.engine().setProcessing(wanted.processing);
    this.running = { ...running, processing: wanted.processing };
    // Lingering devices now match the selection again: the next call reuses them.
    this.openedWith = JSON.stringify({ ...(JSON.parse(this.openedWith) as DeviceSelection), processing: wanted.processing });
  }

  private closeNow(): void {
    const wasOpen = this.opened;
    this.opened = undefined;
    this.running = undefined;
    this.lingering = false;
    this.closing = (wasOpen ?? Promise.resolve()).then(() => this.engine().closeDevices()).catch(() => undefined);
  }

  /** The engine was replaced (it died): nothing is open in the new one. */
  reset(): void {
    clearTimeout(this.linger);
    this.opened = undefined;
    this.running = undefined;
    this.closing = Promise.resolve();
  }

  private async open(): Promise<void> {
    const selection = this.selected();
    this.openedWith = JSON.stringify(selection);
    this.running = undefined;
    try {
      await this.engine().openDevices(selection);
      this.running = selection;
    } catch (e) {
      if (selection.kind !== 'portaudio') {
        this.notice(`cannot open audio files: ${(e as Error).message}`);
        throw e;
      }
      // No sound device (a server, a locked-down VM): calls still work, silently.
      this.notice(`no audio device (${(e as Error).message}): continuing without audio`);
      await this.engine().openDevices({ kind: 'null' });
    }
  }
}
