import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyPermissionPolicy, isTelephonyHid, type PermissionSession } from '../../../src-main/app/permissions.js';

/** A stub session that records the handlers the app sets. */
function stubSession() {
  const handlers: {
    request?: Parameters<PermissionSession['setPermissionRequestHandler']>[0];
    check?: Parameters<PermissionSession['setPermissionCheckHandler']>[0];
    device?: Parameters<PermissionSession['setDevicePermissionHandler']>[0];
    select: Map<string, Parameters<PermissionSession['on']>[1]>;
  } = { select: new Map() };
  const session: PermissionSession = {
    setPermissionRequestHandler: (h) => void (handlers.request = h),
    setPermissionCheckHandler: (h) => void (handlers.check = h),
    setDevicePermissionHandler: (h) => void (handlers.device = h),
    on: (event, listener) => void handlers.select.set(event, listener),
  };
  return { session, handlers };
}

/** Every permission name Electron 45 can ask about, and some it may add. */
const permissions = [
  'media', 'notifications', 'geolocation', 'hid', 'usb', 'serial', 'clipboard-read', 'clipboard-sanitized-write',
  'display-capture', 'fullscreen', 'midi', 'midiSysex', 'openExternal', 'pointerLock', 'keyboardLock', 'idle-detection',
  'speaker-selection', 'window-management', 'fileSystem', 'storage-access', 'local-fonts', 'mediaKeySystem', 'unknown',
  'some-future-permission',
];

/** Electron's HIDDevice structure: a Jabra headset (telephony collection) and a keyboard. */
const headset = {
  deviceId: '1', name: 'Jabra Engage 50', vendorId: 0x0b0e, productId: 0x245e,
  collections: [{ usagePage: 0x0c, usage: 1, type: 1 }, { usagePage: 0x0b, usage: 5, type: 1 }],
};
const keyboard = { deviceId: '2', name: 'Keyboard', vendorId: 0x046d, productId: 0xc31c, collections: [{ usagePage: 0x01, usage: 6, type: 1 }] };
const securityKey = { deviceId: '3', name: 'Security Key', vendorId: 0x1050, productId: 0x0407, collections: [{ usagePage: 0xf1d0, usage: 1, type: 1 }] };

describe('permission handlers: telephony HID for our pages, nothing else', () => {
  const { session, handlers } = stubSession();
  applyPermissionPolicy(session);
  const contents = { getURL: () => 'app://nimbus/index.html' };
  const ours = { requestingUrl: 'app://nimbus/index.html', isMainFrame: true, securityOrigin: 'app://nimbus/' };

  for (const permission of permissions) {
    it(`refuses a request for ${permission}, even from our own page`, () => {
      let granted: boolean | undefined;
      handlers.request!(contents, permission, (g) => (granted = g), { requestingUrl: 'app://nimbus/index.html', mediaTypes: ['audio'] });
      assert.equal(granted, false);
    });
    if (permission !== 'hid') {
      it(`answers false to a check of ${permission}`, () => {
        assert.equal(handlers.check!(contents, permission, 'app://nimbus', ours), false);
      });
    }
  }

  it('answers a hid check true for our own top-level page only', () => {
    assert.equal(handlers.check!(contents, 'hid', 'app://nimbus', ours), true);
    assert.equal(handlers.check!(contents, 'hid', 'app://nimbus/', { isMainFrame: true }), true);
    assert.equal(handlers.check!(contents, 'hid', 'app://nimbus', { ...ours, isMainFrame: false }), false, 'a subframe');
    assert.equal(handlers.check!(contents, 'hid', 'app://nimbus', { ...ours, embeddingOrigin: 'https://evil.example' }), false, 'embedded');
    assert.equal(handlers.check!(contents, 'hid', 'app://nimbus', { ...ours, securityOrigin: 'https://evil.example/' }), false);
    for (const origin of ['https://evil.example', 'file://', 'app://nimbus.evil.example', 'app://other', 'http://127.0.0.1:8080', '']) {
      assert.equal(handlers.check!(contents, 'hid', origin, { isMainFrame: true }), false, origin);
    }
  });

  it('grants telephony HID devices to our origin without a chooser', () => {
    assert.equal(handlers.device!({ deviceType: 'hid', origin: 'app://nimbus', device: headset }), true);
    assert.equal(handlers.device!({ deviceType: 'hid', origin: 'app://nimbus/', device: headset }), true);
  });

  it('withholds every other device: non-telephony HID, USB, serial, other origins', () => {
    assert.equal(handlers.device!({ deviceType: 'hid', origin: 'app://nimbus', device: keyboard }), false);
    assert.equal(handlers.device!({ deviceType: 'hid', origin: 'app://nimbus', device: securityKey }), false);
    assert.equal(handlers.device!({ deviceType: 'hid', origin: 'https://evil.example', device: headset }), false);
    assert.equal(handlers.device!({ deviceType: 'hid', origin: 'file://', device: headset }), false);
    for (const deviceType of ['usb', 'serial', 'bluetooth']) {
      assert.equal(handlers.device!({ deviceType, origin: 'app://nimbus', device: headset }), false, deviceType);
    }
    assert.equal(handlers.device!(undefined), false);
    assert.equal(handlers.device!({ deviceType: 'hid', origin: 'app://nimbus', device: { collections: 'not an array' } }), false);
  });

  it('cancels every device chooser without picking a device', () => {
    assert.deepEqual([...handlers.select.keys()].sort(), ['select-hid-device', 'select-serial-port', 'select-usb-device']);
    for (const listener of handlers.select.values()) {
      let prevented = false;
      const picked: unknown[][] = [];
      listener({ preventDefault: () => (prevented = true) }, { deviceList: [{ deviceId: 'headset' }] }, (...args: unknown[]) => void picked.push(args));
      assert.equal(prevented, true);
      assert.deepEqual(picked, [[]]);
    }
  });

  it('knows a telephony device by its collections', () => {
    assert.equal(isTelephonyHid(headset), true);
    assert.equal(isTelephonyHid(keyboard), false);
    assert.equal(isTelephonyHid(null), false);
  });
});
