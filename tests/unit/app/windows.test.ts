import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { incomingPageUrl, mainPageUrl, mainWindowOptions, promptWindowOptions, secureWebPreferences } from '../../../src-main/app/windows.js';
import { mainStrings } from '../../../src-main/app/strings.js';

describe('app windows', () => {
  it('every page is sandboxed and context-isolated, without Node, webviews or insecure content', () => {
    const prefs = secureWebPreferences('/app/out/src-main/app/preload.cjs');
    assert.equal(prefs.preload, '/app/out/src-main/app/preload.cjs');
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.nodeIntegrationInSubFrames, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.webviewTag, false);
    assert.deepEqual(mainWindowOptions('/p.cjs').webPreferences, secureWebPreferences('/p.cjs'));
  });

  it('pages load from app://nimbus/, the prompt on its incoming route', () => {
    assert.equal(mainPageUrl, 'app://nimbus/index.html');
    assert.equal(incomingPageUrl, 'app://nimbus/index.html#/incoming');
  });

  it('the prompt is small, frameless, always on top, off the taskbar, hidden until shown inactive, bottom-right', () => {
    const o = promptWindowOptions('/p.cjs', { x: 0, y: 0, width: 1920, height: 1040 });
    assert.equal(o.frame, false);
    assert.equal(o.alwaysOnTop, true);
    assert.equal(o.skipTaskbar, true);
    assert.equal(o.show, false);
    assert.equal(o.focusable, true, 'a user can still click or Tab into it to answer by keyboard');
    assert.deepEqual(o.webPreferences, secureWebPreferences('/p.cjs'));
    assert.equal(o.x! + o.width! + 16, 1920);
    assert.equal(o.y! + o.height! + 16, 1040);
    const second = promptWindowOptions('/p.cjs', { x: 1920, y: 0, width: 1280, height: 984 });
    assert.equal(second.x! + second.width! + 16, 1920 + 1280);
  });

  it('main-process strings follow the language setting, else the OS, else English', () => {
    assert.equal(mainStrings('fr', ['en-US']).incomingCall, 'Appel entrant');
    assert.equal(mainStrings('system', ['fr-CA', 'en-US']).incomingCall, 'Appel entrant');
    assert.equal(mainStrings(undefined, ['de-DE', 'en-GB']).incomingCall, 'Incoming call');
    assert.equal(mainStrings('system', ['ja-JP']).incomingCallOn('Office'), 'Incoming call on Office');
  });
});
