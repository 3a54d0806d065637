/**
 * The audio device contract the media engine uses (in its worker thread). Capture delivers fixed
 * frames of signed 16-bit mono PCM at `rate` to `onFrame`; playback takes frames into a small queue
 * that the device drains in real time (underruns counted). Implementations: PortAudio, file, null.
 *
 * Capture frames are reused: `onFrame` must copy what it keeps, and must not block.
 */
import { EventEmitter } from 'node:events';

/** One entry of `listDevices()`. */
export interface AudioDeviceInfo {
  /** Stable within one enumeration (PortAudio index as a string, or a file path). */
  id: string;
  name: string;
  /** Channel counts; 0 = not usable in that direction. */
  inputs: number;
  outputs: number;
  isDefault: boolean;
  hostApi: string;
}

export interface DeviceLost {
  /** Name of the device that stopped. */
  device: string;
  reason: string;
}
export interface DeviceFallback {
  /** The device asked for (by name), and the one in use instead. */
  requested: string;
  using: string;
  reason: string;
}

export interface DeviceEventMap {
  /** Non-fatal problem (the device keeps running or is retrying). */
  error: [err: Error];
  /** The open device failed mid-stream; a reopen follows. */
  'device-lost': [info: DeviceLost];
  /** The named device is missing or failed: another (the default) is used. */
  fallback: [info: DeviceFallback];
}

/** Frame format shared by every device: mono s16 at `rate`, `frameMs` long. */
export interface FrameFormat {
  /** Hz; default 48000. */
  rate?: number;
  /** Frame duration, ms; default 20. */
  frameMs?: number;
}

export const DEFAULT_RATE = 48000;
export const DEFAULT_FRAME_MS = 20;

export function frameSamplesOf(f: FrameFormat): number {
  const n = ((f.rate ?? DEFAULT_RATE) * (f.frameMs ?? DEFAULT_FRAME_MS)) / 1000;
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`frame of ${f.frameMs} ms at ${f.rate} Hz is not whole samples`);
  return n;
}

/** Level of the last captured frame (before mute). dBFS: a full-scale square wave is 0 dBFS. */
export interface LevelReading {
  rmsDbfs: number;
  peakDbfs: number;
}

export interface CaptureStats {
  device: string;
  running: boolean;
  frames: number;
  muted: boolean;
  level: LevelReading;
  /** Times the device was lost and reopened. */
  reopens: number;
}

export interface PlaybackStats {
  device: string;
  running: boolean;
  /** Frames handed to the device (including silence written on underrun). */
  framesPlayed: number;
  framesQueued: number;
  /** Device needed a frame and the queue had not enough samples. */
  underruns: number;
  /** A write found the queue full: the oldest samples were dropped. */
  overflows: number;
  reopens: number;
}

export type FrameHandler = (frame: Int16Array) => void;

export interface CaptureDevice extends EventEmitter<DeviceEventMap> {
  readonly rate: number;
  readonly frameSamples: number;
  /** Receives each frame (a reused buffer). */
  onFrame: FrameHandler | undefined;
  /** When set, frames are zeros (timing unchanged); the level meter still measures the input. */
  muted: boolean;
  readonly level: Readonly<LevelReading>;
  start(): Promise<void>;
  stop(): Promise<void>;
  toJSON(): CaptureStats;
}

export interface PlaybackDevice extends EventEmitter<DeviceEventMap> {
  readonly rate: number;
  readonly frameSamples: number;
  /** Queues a copy of `pcm` (any length; normally one frame). Never blocks. */
  write(pcm: Int16Array): void;
  /**
   * Called once per device period just before the device takes a frame from the queue: the engine
   * may write() the next frame here, pulling playout at the device's own clock.
   */
  onPeriod: (() => void) | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
  toJSON(): PlaybackStats;
}
