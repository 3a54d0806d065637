/** A WebHID `HIDDevice` as a HeadsetTransport (the renderer's transport, Electron and browsers alike). */
import type { HeadsetTransport } from './headset-transport.js';
import type { HIDDevice, HIDInputReportEvent } from './webhid-types.js';

export function webHidTransport(device: HIDDevice): HeadsetTransport {
  return {
    name: device.productName,
    collections: device.collections,
    open: async () => {
      if (!device.opened) await device.open();
    },
    close: async () => {
      if (device.opened) await device.close();
    },
    send: (reportId, data) => device.sendReport(reportId, data),
    onReport(listener) {
      const handler = (e: HIDInputReportEvent) => listener(e.reportId, new Uint8Array(e.data.buffer, e.data.byteOffset, e.data.byteLength));
      device.addEventListener('inputreport', handler);
      return () => device.removeEventListener('inputreport', handler);
    },
  };
}
