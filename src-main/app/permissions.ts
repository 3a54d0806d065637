/**
 * The renderer is granted nothing. Audio is captured natively by the media engine, so not even
 * `media`; notifications are shown by main; HID/USB/serial devices are refused until a feature
 * needs one (the headset issue will allow telephony HID devices here, by usage page, and nothing
 * else). Electron objects come in as parameters, so this is unit-tested with a stub session.
 */

type Callback = (granted: boolean) => void;

/** The parts of Electron's `Session` this module sets. */
export interface PermissionSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: Callback, details: unknown) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string, requestingOrigin: string, details: unknown) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
  on(
    event: 'select-hid-device' | 'select-usb-device' | 'select-serial-port',
    listener: (event: { preventDefault(): void }, details: unknown, callback: (deviceId?: string | null) => void) => void,
  ): unknown;
}

/** Every permission request is refused, every check answers false, every device is withheld. */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // A device chooser would otherwise pick for the page: cancel it (no device id).
  for (const event of ['select-hid-device', 'select-usb-device', 'select-serial-port'] as const) {
    session.on(event, (e, _details, callback) => {
      e.preventDefault();
      callback();
    });
  }
}
