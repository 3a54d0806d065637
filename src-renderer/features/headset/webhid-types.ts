/**
 * The parts of WebHID (https://wicg.github.io/webhid/) headset control uses, typed here because
 * TypeScript's DOM library has no WebHID. Structural, so tests build them from plain objects and
 * the report-descriptor parser produces the same `collections` shape Chromium does.
 */

export interface HIDReportItem {
  isAbsolute: boolean;
  isArray: boolean;
  isBufferedBytes: boolean;
  isConstant: boolean;
  isLinear: boolean;
  isRange: boolean;
  isVolatile: boolean;
  hasNull: boolean;
  hasPreferredState: boolean;
  wrap: boolean;
  /** Extended usages (`page << 16 | id`), one per field; the last one repeats (HID 1.11 §6.2.2.8). */
  usages: number[];
  usageMinimum: number;
  usageMaximum: number;
  /** Bits per field. */
  reportSize: number;
  /** Fields. */
  reportCount: number;
  logicalMinimum: number;
  logicalMaximum: number;
  physicalMinimum: number;
  physicalMaximum: number;
  unitExponent: number;
}

export interface HIDReportInfo {
  /** 0 when the descriptor declares no report IDs. */
  reportId: number;
  items: HIDReportItem[];
}

export interface HIDCollectionInfo {
  usagePage: number;
  usage: number;
  /** 0x01 application, 0x02 logical, 0x00 physical… */
  type: number;
  children: HIDCollectionInfo[];
  inputReports: HIDReportInfo[];
  outputReports: HIDReportInfo[];
  featureReports: HIDReportInfo[];
}

export interface HIDInputReportEvent {
  device: HIDDevice;
  reportId: number;
  /** The report without its ID byte. */
  data: DataView;
}

export interface HIDDevice {
  readonly opened: boolean;
  readonly vendorId: number;
  readonly productId: number;
  readonly productName: string;
  readonly collections: HIDCollectionInfo[];
  open(): Promise<void>;
  close(): Promise<void>;
  sendReport(reportId: number, data: Uint8Array): Promise<void>;
  addEventListener(type: 'inputreport', listener: (event: HIDInputReportEvent) => void): void;
  removeEventListener(type: 'inputreport', listener: (event: HIDInputReportEvent) => void): void;
}

export interface HIDConnectionEvent {
  device: HIDDevice;
}

export interface HIDDeviceFilter {
  vendorId?: number;
  productId?: number;
  usagePage?: number;
  usage?: number;
}

/** `navigator.hid`. */
export interface HID {
  getDevices(): Promise<HIDDevice[]>;
  requestDevice(options: { filters: HIDDeviceFilter[] }): Promise<HIDDevice[]>;
  addEventListener(type: 'connect' | 'disconnect', listener: (event: HIDConnectionEvent) => void): void;
  removeEventListener(type: 'connect' | 'disconnect', listener: (event: HIDConnectionEvent) => void): void;
}
