import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { denyAllPermissions, type PermissionSession } from '../../../src-main/app/permissions.js';

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

describe('permission handlers deny everything', () => {
  const { session, handlers } = stubSession();
  denyAllPermissions(session);
  const contents = { getURL: () => 'app://nimbus/index.html' };

  for (const permission of permissions) {
    it(`refuses a request for ${permission}, even from our own page`, () => {
      let granted: boolean | undefined;
      handlers.request!(contents, permission, (g) => (granted = g), { requestingUrl: 'app://nimbus/index.html', mediaTypes: ['audio'] });
      assert.equal(granted, false);
    });
    it(`answers false to a check of ${permission}`, () => {
      assert.equal(handlers.check!(contents, permission, 'app://nimbus', { requestingUrl: 'app://nimbus/index.html' }), false);
    });
  }

  it('withholds every device (HID headsets included, until the headset feature allows telephony HID)', () => {
    for (const deviceType of ['hid', 'usb', 'serial', 'bluetooth']) {
      assert.equal(handlers.device!({ deviceType, origin: 'app://nimbus', device: { vendorId: 0x0b0e, productId: 0x245e } }), false);
    }
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
});
