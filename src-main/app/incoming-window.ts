/**
 * Carries out incoming-policy.ts's decisions with Electron objects handed in by main.ts: the
 * prompt window (created on the first ringing call, then kept hidden for the next one), OS
 * notifications (one per ringing call, withdrawn when it stops ringing; a click brings the main
 * window forward; Answer answers and brings it forward, Decline refuses the call — buttons from
 * call-notification.ts), and the main window's flashing taskbar entry.
 */
import type { Command } from '../contract/calls.js';
import type { PhoneEvent } from '../contract/channels.js';
import { actionCommand } from './call-notification.js';
import { initialIncomingState, nextIncoming, type IncomingAction, type IncomingInput, type MainWindowFacts, type RingingCall } from './incoming-policy.js';

export interface MainWindowLike {
  isDestroyed(): boolean;
  isVisible(): boolean;
  isMinimized(): boolean;
  isFocused(): boolean;
  flashFrame(flag: boolean): void;
  show(): void;
  restore(): void;
  focus(): void;
}

export interface PromptWindowLike {
  isDestroyed(): boolean;
  /** Shows without activating: the prompt never takes the keyboard from another app. */
  showInactive(): void;
  hide(): void;
}

export interface NotificationLike {
  show(): void;
  close(): void;
  on(event: 'click', listener: () => void): unknown;
  /** A button (`actions`) was pressed: Electron passes `{ actionIndex }` first. */
  on(event: 'action', listener: (details: { actionIndex: number }) => void): unknown;
}

export interface IncomingDeps {
  mainWindow(): MainWindowLike | undefined;
  /** Creates the prompt window (loading the incoming route); called again only if it was destroyed. */
  createPrompt(): PromptWindowLike;
  /** An OS notification for the call, or undefined where the OS has none. */
  createNotification(call: RingingCall): NotificationLike | undefined;
  /** Carries out a notification button's command (answer, reject). */
  command(command: Command): void;
}

export class IncomingCallPresenter {
  #state = initialIncomingState;
  #prompt: PromptWindowLike | undefined;
  readonly #notifications = new Map<string, NotificationLike>();

  constructor(private readonly deps: IncomingDeps) {}

  onPhoneEvent(event: PhoneEvent): void {
    this.#step({ type: 'phone-event', event, main: this.#mainFacts() });
  }

  /** The main window was shown, hidden, focused, blurred, minimised or restored. */
  onMainWindowChanged(): void {
    this.#step({ type: 'main-window', main: this.#mainFacts() });
  }

  /** Calls currently ringing (what the prompt route shows comes from the core's own snapshot). */
  get ringing(): readonly RingingCall[] {
    return this.#state.ringing;
  }

  dispose(): void {
    for (const n of this.#notifications.values()) n.close();
    this.#notifications.clear();
    if (this.#prompt && !this.#prompt.isDestroyed()) this.#prompt.hide();
    const main = this.deps.mainWindow();
    if (main && !main.isDestroyed() && this.#state.flashing) main.flashFrame(false);
    this.#state = initialIncomingState;
  }

  #mainFacts(): MainWindowFacts {
    const main = this.deps.mainWindow();
    if (!main || main.isDestroyed()) return { visible: false, focused: false };
    return { visible: main.isVisible() && !main.isMinimized(), focused: main.isFocused() };
  }

  #step(input: IncomingInput): void {
    const { state, actions } = nextIncoming(this.#state, input);
    this.#state = state;
    for (const action of actions) this.#apply(action);
  }

  #apply(action: IncomingAction): void {
    switch (action.type) {
      case 'show-prompt':
        if (!this.#prompt || this.#prompt.isDestroyed()) this.#prompt = this.deps.createPrompt();
        this.#prompt.showInactive();
        return;
      case 'hide-prompt':
        if (this.#prompt && !this.#prompt.isDestroyed()) this.#prompt.hide();
        return;
      case 'notify': {
        const n = this.deps.createNotification(action.call);
        if (!n) return;
        n.on('click', () => this.#bringMainForward());
        n.on('action', (details) => {
          const pressed = actionCommand(action.call.id, details.actionIndex);
          if (!pressed) return;
          this.deps.command(pressed.command);
          if (pressed.showMain) this.#bringMainForward();
        });
        // Kept referenced until withdrawn (an unreferenced notification can be collected and vanish).
        this.#notifications.set(action.call.id, n);
        n.show();
        return;
      }
      case 'withdraw-notification':
        this.#notifications.get(action.callId)?.close();
        this.#notifications.delete(action.callId);
        return;
      case 'flash': {
        const main = this.deps.mainWindow();
        if (main && !main.isDestroyed()) main.flashFrame(action.on);
        return;
      }
    }
  }

  #bringMainForward(): void {
    const main = this.deps.mainWindow();
    if (!main || main.isDestroyed()) return;
    if (main.isMinimized()) main.restore();
    main.show();
    main.focus();
  }
}
