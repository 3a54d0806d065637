import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CallSnapshot, CallState } from '../../../src-main/contract/calls.js';
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
  constructor(readonly call: RingingCall) {}
  show() { this.log.push('show'); }
  close() { this.log.push('close'); }
  on(_event: 'click', listener: () => void) { this.click = listener; }
}

function setup(options: { notifications?: boolean } = {}) {
  const main = new FakeMain();
  const prompts: FakePrompt[] = [];
  const notifications: FakeNotification[] = [];
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
  });
  return { main, prompts, notifications, presenter };
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
