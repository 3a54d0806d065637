/**
 * The device side of headset control, as small as the controller needs: the device's
 * collections (to read its layout), input reports in, output reports out. WebHID implements it
 * in the renderer (webhid-transport.ts); a node-hid transport in main would be plan B
 * (docs/decisions.md, "Headset call control").
 */
import type { HIDCollectionInfo } from './webhid-types.js';

export interface HeadsetTransport {
  readonly name: string;
  readonly collections: readonly HIDCollectionInfo[];
  open(): Promise<void>;
  close(): Promise<void>;
  /** `data` without the report ID byte. */
  send(reportId: number, data: Uint8Array): Promise<void>;
  /** Input reports (`data` without the report ID byte); returns the unsubscribe. */
  onReport(listener: (reportId: number, data: Uint8Array) => void): () => void;
}
