import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CallSnapshot, CallState, Command } from '../../../src-main/contract/calls.js';
import { actionCommand, callNotificationOptions } from '../../../src-main/app/call-notification.js';
import { mainStrings } from '../../../src-main/app/strings.js';
import { IncomingCallPresenter, type MainWindowLike, type NotificationLike, type PromptWindowLike } from '../../../src-main/app/incoming-window.js';
import type { RingingCall } from '../../../src-main/app/incoming-policy.js';

function call(id: string, state: CallState): CallSnapshot {
  return {
    id, account: undefined, direction: 'incoming', state, progress: 'ringing', peer: { uri: `sip:${id}@pbx`, displayName: `Caller ${id}` },
    startedAt: 0, answeredAt: undefined, endedAt: undefined, codec: undefined, muted: false, onHold: false, remoteHold: false,
    quality: undefined, cause: undefined, status: undefined, reason: undefined,
  };
}

class FakeMain implements MainWindowLike {
  visible = true;
  minimized = false;
  focused = false;
  destroyed = false;
  log: string[] = [];
  isDestroyed() { return this.destroyed; }
  isVisible() { return this.visible; }
  isMinimized() { return this.minimized; }
  isFocused() { return this.focused; }
  flashFrame(flag: boolean) { this.log.push(`flash:${flag}`); }
  show() { this.log.push('show'); this.visible = true; }
  restore() { this.log.push('restore'); this.minimized = false; }
  focus() { this.log.push('focus'); this.focused = true; }
}

class FakePrompt implements PromptWindowLike {
  destroyed = false;
  log: string[] = [];
  isDestroyed() { return this.destroyed; }
  showInactive() { this.log.push('showInactive'); }
  hide() { this.log.push('hide'); }
}

class FakeNotification implements NotificationLike {
  log: string[] = [];
  click: (() => void) | undefined;
  action: ((details: { actionIndex: number }) => void) | undefined;
  constructor(readonly call: RingingCall) {}
  show() { this.log.push('show'); }
  close() { this.log.push('close'); }
  on(event: 'click' | 'action', listener: (() => void) | ((details: { actionIndex: number }) => void)) {
    if (event === 'click') this.click = listener as () => void;
    else this.action = listener;
  }
}

function setup(options: { notifications?: boolean } = {}) {
  const main = new FakeMain();
  const prompts: FakePrompt[] = [];
  const notifications: FakeNotification[] = [];
  const commands: Command[] = [];
  const presenter = new IncomingCallPresenter({
    mainWindow: () => main,
    createPrompt: () => {
      const p = new FakePrompt();
      prompts.push(p);
      return p;
    },
    createNotification: (c) => {
      if (options.notifications === false) return undefined;
      const n = new FakeNotification(c);
      notifications.push(n);
      return n;
    },
    command: (c) => void commands.push(c),
  });
  return { main, prompts, notifications, presenter, commands };
}

describe('incoming-call presenter (stubbed Electron windows)', () => {
  it('shows the prompt inactive (never focus), notifies and flashes; then undoes it all on answer', () => {
    const { main, prompts, notifications, presenter } = setup();
    presenter.onPhoneEvent({ type: 'call', call: call('a', 'incoming') });
    assert.equal(prompts.length, 1);
    assert.deepEqual(prompts[0]!.log, ['showInactive']);
    assert.deepEqual(notifications.map((n) => [n.call.caller, n.log]), [['Caller a', ['show']]]);
    assert.deepEqual(main.log, ['flash:true']);
    presenter.onPhoneEvent({ type: 'call', call: call('a', 'active') });
    assert.deepEqual(prompts[0]!.log, ['showInactive', 'hide']);
    assert.deepEqual(notifications[0]!.log, ['show', 'close']);
    assert.deepEqual(main.log, ['flash:true', 'flash:false']);
    assert.ok(!main.log.includes('focus'), 'the main window is never focused by a ringing call');
  });

  it('creates the prompt window once and reuses it; recreates it only if it was destroyed', () => {
    const { prompts, presenter } = setup();
    presenter.onPhoneEvent({ type: 'call', call: call('a', 'incoming') });
    presenter.onPhoneEvent({ type: 'call', call: call('a', 'ended') });
    presenter.onPhoneEvent({ type: 'call', call: call('b', 'incoming') });
    assert.equal(prompts.length, 1);
    assert.deepEqual(prompts[0]!.log, ['showInactive', 'hide', 'showInactive']);
    presenter.onPhoneEvent({ type: 'call', call: call('b', 'ended') });
    prompts[0]!.destroyed = true;
    presenter.onPhoneEvent({ type: 'call', call: call('c', 'incoming') });
    assert.equal(prompts.length, 2);
  });

  it('follows the main window: focusing it hides the prompt and stops flashing', () => {
    const { main, prompts, presenter } = setup();
    presenter.onPhoneEvent({ type: 'call', call: call('a', 'incoming') });
    main.focused = true;
    presenter.onMainWindowChanged();
    assert.deepEqual(prompts[0]!.log, ['showInactive', 'hide']);
    assert.deepEqual(main.log, ['flash:true', 'flash:false']);
    main.minimized = true;
    presenter.onMainWindowChanged();
    assert.deepEqual(prompts[0]!.log, ['showInactive', 'hide', 'showInactive']);
  });

  it('a notification click brings the main window forward (restore, show, focus)', () => {
    const { main, notifications, presenter } = setup();
    main.visible = false;
    main.minimized = true;
    presenter.onPhoneEvent({ type: 'call', call: call('a', 'incoming') });
    notifications[0]!.click!();
    assert.deepEqual(main.log, ['flash:true', 'restore', 'show', 'focus']);
  });

  it('Answer on the notification answers that call and brings the main window (the call screen) forward', () => {
    const { main, notifications, presenter, commands } = setup();
    main.visible = false;
    presenter.onPhoneEvent({ type: 'call', call: call('a', 'incoming') });
    presenter.onPhoneEvent({ type: 'call', call: call('b', 'incoming') });
    notifications[1]!.action!({ actionIndex: 0 });
    assert.deepEqual(commands, [{ type: 'answer', callId: 'b' }], 'the call of that notification, not the first ringing one');
    assert.deepEqual(main.log, ['flash:true', 'show', 'focus']);
  });

  it('Decline refuses the call and leaves the windows alone; an unknown button does nothing', () => {
    const { main, notifications, presenter, commands } = setup();
    presenter.onPhoneEvent({ type: 'call', call: call('a', 'incoming') });
    notifications[0]!.action!({ actionIndex: 1 });
    notifications[0]!.action!({ actionIndex: 7 });
    notifications[0]!.action!({ actionIndex: -1 });
    assert.deepEqual(commands, [{ type: 'reject', callId: 'a' }]);
    assert.deepEqual(main.log, ['flash:true']);
  });

  it('works where the OS has no notifications', () => {
    const { prompts, presenter } = setup({ notifications: false });
    presenter.onPhoneEvent({ type: 'call', call: call('a', 'incoming') });
    presenter.onPhoneEvent({ type: 'call', call: call('a', 'ended') });
    assert.deepEqual(prompts[0]!.log, ['showInactive', 'hide']);
  });

  it('dispose (quit) closes notifications, hides the prompt and stops flashing', () => {
    const { main, prompts, notifications, presenter } = setup();
    presenter.onPhoneEvent({ type: 'call', call: call('a', 'incoming') });
    presenter.dispose();
    assert.deepEqual(notifications[0]!.log, ['show', 'close']);
    assert.deepEqual(prompts[0]!.log, ['showInactive', 'hide']);
    assert.deepEqual(main.log, ['flash:true', 'flash:false']);
    assert.deepEqual(presenter.ringing, []);
  });
});

describe('incoming-call notification options', () => {
  const ringing: RingingCall = { id: 'a', caller: 'Alice', uri: 'sip:1002@pbx', account: 'sip:1001@pbx' };
  it('macOS and Windows: Answer and Decline buttons, in that order (French too); silent, critical, never timing out', () => {
    for (const platform of ['darwin', 'win32']) {
      const o = callNotificationOptions(ringing, mainStrings('en', []), platform);
      assert.deepEqual(o, {
        title: 'Incoming call', body: 'Alice\nIncoming call on sip:1001@pbx', silent: true, urgency: 'critical', timeoutType: 'never',
        actions: [{ type: 'button', text: 'Answer' }, { type: 'button', text: 'Decline' }],
      });
    }
    assert.deepEqual(callNotificationOptions(ringing, mainStrings('fr', []), 'win32').actions?.map((a) => a.text), ['Répondre', 'Refuser']);
  });
  it('Linux: no buttons (servers differ; the prompt window has them)', () => {
    assert.equal(callNotificationOptions(ringing, mainStrings('en', []), 'linux').actions, undefined);
  });
  it('button indexes map to commands; anything else maps to nothing', () => {
    assert.deepEqual(actionCommand('a', 0), { command: { type: 'answer', callId: 'a' }, showMain: true });
    assert.deepEqual(actionCommand('a', 1), { command: { type: 'reject', callId: 'a' }, showMain: false });
    for (const bad of [2, -1, 0.5, Number.NaN]) assert.equal(actionCommand('a', bad), undefined);
  });
});
