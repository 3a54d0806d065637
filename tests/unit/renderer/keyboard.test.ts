import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { routeKey, type KeyInfo } from '../../../src-renderer/app/keyboard.js';

const key = (k: string, over: Partial<KeyInfo> = {}): KeyInfo =>
  ({ key: k, ctrl: false, meta: false, alt: false, editable: false, inCallScope: false, ...over });
const idle = { keypadOpen: false, hasCurrentCall: false };

describe('renderer: window keys', () => {
  it('typing dial characters anywhere goes to the Number field', () => {
    assert.deepEqual(routeKey(key('5'), idle), { kind: 'type', text: '5' });
    assert.deepEqual(routeKey(key('+'), idle), { kind: 'type', text: '+' });
    assert.deepEqual(routeKey(key('a'), idle), { kind: 'type', text: 'a' });
  });

  it('leaves keys in form fields, shortcuts and non-dial keys alone', () => {
    assert.equal(routeKey(key('5', { editable: true }), idle), undefined);
    assert.equal(routeKey(key('c', { ctrl: true }), idle), undefined);
    assert.equal(routeKey(key('8', { meta: true }), idle), undefined);
    assert.equal(routeKey(key(' '), idle), undefined);
    assert.equal(routeKey(key('Enter'), idle), undefined);
    assert.equal(routeKey(key('Tab'), idle), undefined);
  });

  it('sends DTMF while a keypad is open', () => {
    const keypad = { keypadOpen: true, hasCurrentCall: true };
    assert.deepEqual(routeKey(key('#'), keypad), { kind: 'dtmf', digit: '#' });
    assert.equal(routeKey(key('x'), keypad), undefined);
  });

  it('Esc hangs up only from the call area or the dialpad, and only with a current call', () => {
    const call = { keypadOpen: false, hasCurrentCall: true };
    assert.deepEqual(routeKey(key('Escape', { inCallScope: true }), call), { kind: 'hangup' });
    assert.deepEqual(routeKey(key('Escape', { inCallScope: true, editable: true }), call), { kind: 'hangup' });
    assert.equal(routeKey(key('Escape'), call), undefined);
    assert.equal(routeKey(key('Escape', { inCallScope: true }), idle), undefined);
  });

  it('Esc closes an open keypad or transfer panel before it would hang up', () => {
    assert.deepEqual(routeKey(key('Escape', { inCallScope: true }), { keypadOpen: true, hasCurrentCall: true }), { kind: 'close-panel' });
    assert.deepEqual(routeKey(key('Escape', { inCallScope: true }), { keypadOpen: false, panelOpen: true, hasCurrentCall: true }), { kind: 'close-panel' });
    assert.equal(routeKey(key('Escape'), { keypadOpen: true, hasCurrentCall: true }), undefined);
  });
});

describe('renderer: view shortcuts', () => {
  it('Ctrl/Cmd+1..6 switch views, by physical key too (AZERTY)', () => {
    assert.deepEqual(routeKey(key('1', { ctrl: true }), idle), { kind: 'view', index: 0 });
    assert.deepEqual(routeKey(key('4', { meta: true }), idle), { kind: 'view', index: 3 });
    assert.deepEqual(routeKey(key('&', { ctrl: true, code: 'Digit1' }), idle), { kind: 'view', index: 0 });
    assert.deepEqual(routeKey(key('"', { ctrl: true, code: 'Digit3', editable: true }), idle), { kind: 'view', index: 2 });
    assert.deepEqual(routeKey(key('(', { ctrl: true, code: 'Digit5' }), idle), { kind: 'view', index: 4 });
    assert.deepEqual(routeKey(key('6', { meta: true }), idle), { kind: 'view', index: 5 });
    assert.equal(routeKey(key('7', { ctrl: true, code: 'Digit7' }), idle), undefined);
    assert.equal(routeKey(key('1', { ctrl: true, alt: true }), idle), undefined);
  });

  it('/ focuses the search box, except while typing in a field', () => {
    assert.deepEqual(routeKey(key('/'), idle), { kind: 'focus-search' });
    assert.equal(routeKey(key('/', { editable: true }), idle), undefined);
  });
});
