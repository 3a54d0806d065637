/**
 * The renderer is granted one thing: WebHID access to telephony headsets (HID usage page 0x0B),
 * for our own pages (`app://nimbus`) only, so headset buttons work without a device chooser
 * (docs/decisions.md, "Headset call control"). Everything else is refused: audio is captured
 * natively by the media engine, so not even `media`; notifications are shown by main; no USB,
 * serial or non-telephony HID device (keyboards, mice, security keys) is ever exposed, and a
 * device chooser is cancelled rather than letting a page pick. Electron objects come in as
 * parameters, so this is unit-tested with a stub session.
 */
import { appOrigin } from './protocol.js';

type Callback = (granted: boolean) => void;

/** HID usage page of telephony devices (HUT §14). */
export const telephonyUsagePage = 0x0b;

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

/** Exactly our origin (Chromium may or may not add the trailing slash). */
export function isAppOrigin(origin: unknown): boolean {
  return origin === appOrigin || origin === `${appOrigin}/`;
}

/** A WebHID device (Electron's `HIDDevice`) with a telephony application collection. */
export function isTelephonyHid(device: unknown): boolean {
  const collections = (device as { collections?: unknown } | null)?.collections;
  return Array.isArray(collections) && collections.some((c) => (c as { usagePage?: unknown } | null)?.usagePage === telephonyUsagePage);
}

/**
 * `hid` checks pass for our own top-level pages (a check from a subframe, or one embedded
 * elsewhere, fails); devices are granted when they are HID, telephony and asked for by our origin.
 */
export function applyPermissionPolicy(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    if (permission !== 'hid' || !isAppOrigin(requestingOrigin)) return false;
    const d = (details ?? {}) as { isMainFrame?: unknown; embeddingOrigin?: unknown; securityOrigin?: unknown };
    if (d.isMainFrame === false || d.embeddingOrigin !== undefined) return false;
    return d.securityOrigin === undefined || isAppOrigin(d.securityOrigin);
  });
  session.setDevicePermissionHandler((details) => {
    const d = (details ?? {}) as { deviceType?: unknown; origin?: unknown; device?: unknown };
    return d.deviceType === 'hid' && isAppOrigin(d.origin) && isTelephonyHid(d.device);
  });
  // A device chooser would otherwise pick for the page: cancel it (no device id). Telephony
  // headsets need no chooser: the device handler above grants them to getDevices().
  for (const event of ['select-hid-device', 'select-usb-device', 'select-serial-port'] as const) {
    session.on(event, (e, _details, callback) => {
      e.preventDefault();
      callback();
    });
  }
}
